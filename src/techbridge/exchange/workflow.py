"""The profile life cycle as data: which transition goes from which states to which, and who may run it.

draft → submitted → validated | rejected → published → expired → archived. A rejected profile goes back to
draft when its owner edits it; an expired one may be extended once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from techbridge.core.permissions import Actor
from techbridge.exchange import permissions as perms
from techbridge.exchange.models import Profile, Status


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    allowed: Callable[[Actor, Profile], bool]


def _owner_or_staff(actor: Actor, profile: Profile) -> bool:
    return actor.is_staff or perms.is_owner(actor, profile)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "submit",
            _("Submit for validation"),
            frozenset({Status.DRAFT, Status.REJECTED}),
            Status.SUBMITTED,
            _owner_or_staff,
        ),
        Transition(
            "validate", _("Validate"), frozenset({Status.SUBMITTED}), Status.VALIDATED, perms.can_validate
        ),
        Transition("reject", _("Reject"), frozenset({Status.SUBMITTED}), Status.REJECTED, perms.can_validate),
        Transition(
            "publish", _("Publish"), frozenset({Status.VALIDATED}), Status.PUBLISHED, perms.can_validate
        ),
        Transition(
            "expire",
            _("Expire"),
            frozenset({Status.PUBLISHED}),
            Status.EXPIRED,
            lambda actor, profile: actor.is_staff,
        ),
        Transition(
            "extend",
            _("Extend validity"),
            frozenset({Status.PUBLISHED, Status.EXPIRED}),
            Status.PUBLISHED,
            _owner_or_staff,
        ),
        Transition(
            "archive",
            _("Archive"),
            frozenset({Status.DRAFT, Status.REJECTED, Status.PUBLISHED, Status.EXPIRED}),
            Status.ARCHIVED,
            _owner_or_staff,
        ),
        Transition(
            "withdraw", _("Withdraw to draft"), frozenset({Status.SUBMITTED}), Status.DRAFT, _owner_or_staff
        ),
    ]
}


def available_transitions(actor: Actor, profile: Profile) -> list[Transition]:
    """Transitions this actor could run now, for buttons in the UI and links in the API."""
    result = []
    for transition in TRANSITIONS.values():
        if profile.status not in transition.sources or not transition.allowed(actor, profile):
            continue
        if transition.name == "extend" and profile.extended:
            continue
        result.append(transition)
    return result
