"""Who may see and decide which expression of interest, and who sees whose contact details."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from techbridge.core.permissions import Actor
from techbridge.matching.models import ExpressionOfInterest

EoI = ExpressionOfInterest


def visible_interests(actor: Actor) -> QuerySet:
    """EoIs the actor sent, EoIs on their organisations' profiles, or all of them for staff."""
    qs = EoI.objects.select_related("profile", "sender", "sender_organisation", "sender_profile")
    if actor.is_staff:
        return qs
    if not actor.is_authenticated:
        return qs.none()
    return qs.filter(Q(sender_id=actor.user_id) | Q(profile__organisation_id__in=actor.organisation_ids))


def is_recipient(actor: Actor, eoi: ExpressionOfInterest) -> bool:
    """The profile's owners (members of its organisation) answer an EoI."""
    return eoi.profile.organisation_id in actor.organisation_ids


def can_decide(actor: Actor, eoi: ExpressionOfInterest) -> bool:
    return eoi.status == EoI.Status.PENDING and (is_recipient(actor, eoi) or actor.is_staff)


def can_see_sender_contact(actor: Actor, eoi: ExpressionOfInterest) -> bool:
    """The sender's name and address reach the owner only once the owner has accepted."""
    if actor.user_id == eoi.sender_id or actor.is_staff:
        return True
    return eoi.status == EoI.Status.ACCEPTED and is_recipient(actor, eoi)


def accepted_counterpart_ids(actor: Actor, profile_ids: list[int]) -> set[int]:
    """`accepted_counterpart` for many profiles in two queries (the API's profile lists)."""
    if not actor.is_authenticated or not profile_ids:
        return set()
    accepted = EoI.objects.filter(status=EoI.Status.ACCEPTED)
    granted = set(accepted.filter(profile_id__in=profile_ids, sender_id=actor.user_id)
                  .values_list("profile_id", flat=True))
    if actor.organisation_ids:
        granted |= set(accepted.filter(sender_profile_id__in=profile_ids,
                                       profile__organisation_id__in=actor.organisation_ids)
                       .values_list("sender_profile_id", flat=True))
    return granted


def accepted_counterpart(actor: Actor, profile) -> bool:
    """Private-access hook for the exchange: contact details of a profile for an accepted counterpart.

    The sender of an accepted EoI sees the profile's contacts; the owner who accepted sees the contacts of the
    sender's own related profile, if the sender named one.
    """
    if not actor.is_authenticated:
        return False
    accepted = EoI.objects.filter(status=EoI.Status.ACCEPTED)
    if accepted.filter(profile=profile, sender_id=actor.user_id).exists():
        return True
    return bool(actor.organisation_ids) and accepted.filter(
        sender_profile=profile, profile__organisation_id__in=actor.organisation_ids).exists()
