"""Roles, declared once.

Every service and queryset asks these predicates; views never decide on their own. Four roles:
centre staff (`user.is_staff`), national focal point (scoped to its countries), organisation member
(scoped to its organisations) and the anonymous public.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Actor:
    """What a user may do, resolved once per request from their memberships and focal-point posts."""

    user: object | None
    is_staff: bool
    focal_countries: frozenset[str]
    organisation_ids: frozenset[int]
    admin_organisation_ids: frozenset[int]

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)

    @property
    def is_focal_point(self) -> bool:
        return bool(self.focal_countries)


ANONYMOUS = Actor(
    user=None,
    is_staff=False,
    focal_countries=frozenset(),
    organisation_ids=frozenset(),
    admin_organisation_ids=frozenset(),
)


def actor_for(user) -> Actor:
    """Build (and cache on the user object) the Actor for a user; anonymous users get ANONYMOUS."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_techbridge_actor", None)
    if cached is not None:
        return cached
    memberships, focal = _roles_of(user)
    actor = Actor(
        user=user,
        is_staff=bool(user.is_staff),
        focal_countries=frozenset(focal),
        organisation_ids=frozenset(org for org, _ in memberships),
        admin_organisation_ids=frozenset(org for org, role in memberships if role == "admin"),
    )
    user._techbridge_actor = actor
    return actor


def _roles_of(user) -> tuple[list[tuple[int, str]], list[str]]:
    """(organisation id, role) of every membership and the focal-point countries, in one query (every signed-in
    request and API call resolves its actor: two queries were a tenth of a short API request's work)."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast

    from techbridge.core.models import FocalPoint, Membership

    orgs = (Membership.objects.filter(user=user)
            .values_list(Value("org", output_field=CharField()), Cast("organisation_id", CharField()), "role"))
    posts = (FocalPoint.objects.filter(user=user)
             .values_list(Value("focal", output_field=CharField()), "country_id", Value("", output_field=CharField())))
    memberships, focal = [], []
    for what, key, role in orgs.union(posts, all=True):
        if what == "org":
            memberships.append((int(key), role))
        else:
            focal.append(key)
    return memberships, focal


def forget_actor(user) -> None:
    """Drop the cached Actor after roles change within the same request or test."""
    if hasattr(user, "_techbridge_actor"):
        del user._techbridge_actor


def is_staff(actor: Actor) -> bool:
    return actor.is_staff


def is_focal_point_for(actor: Actor, country_iso2: str) -> bool:
    return country_iso2 in actor.focal_countries


def is_member_of(actor: Actor, organisation_id: int | None) -> bool:
    return organisation_id is not None and organisation_id in actor.organisation_ids


def require(condition: bool, message: str = "You are not allowed to do this.") -> None:
    """Raise PermissionDenied unless `condition` holds; services call it before any write."""
    if not condition:
        raise PermissionDenied(message)


def require_signed_in(actor: Actor) -> None:
    require(actor.is_authenticated, "Sign in first.")


def require_staff(actor: Actor) -> None:
    require(actor.is_staff, "Only the centre's staff may do this.")
