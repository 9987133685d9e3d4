"""Who may see and change which profile. Services and querysets call these; views never decide alone."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from techbridge.core.permissions import Actor, is_focal_point_for, is_member_of
from techbridge.exchange.models import Profile, Status

#: States a focal point sees for its country (drafts stay private to their owners).
FOCAL_POINT_STATES = [Status.SUBMITTED, Status.VALIDATED, Status.REJECTED, Status.PUBLISHED, Status.EXPIRED]
EDITABLE_STATES = {Status.DRAFT, Status.REJECTED, Status.PUBLISHED, Status.VALIDATED, Status.SUBMITTED}


def visible_profiles(actor: Actor, queryset: QuerySet | None = None) -> QuerySet:
    """Profiles this actor may open: published ones for everybody, plus their own, their countries', or all."""
    qs = Profile.objects.all() if queryset is None else queryset
    if actor.is_staff:
        return qs
    condition = Q(status=Status.PUBLISHED)
    if actor.organisation_ids:
        condition |= Q(organisation_id__in=actor.organisation_ids)
    if actor.focal_countries:
        condition |= Q(country_id__in=actor.focal_countries, status__in=FOCAL_POINT_STATES)
    return qs.filter(condition)


def sees_only_published(actor: Actor) -> bool:
    """Whether `visible_profiles(actor)` holds published profiles only (the public, and users with no
    organisation or post): what they list is all in the matching index, known without a query."""
    return not (actor.is_staff or actor.organisation_ids or actor.focal_countries)


def validation_queue(actor: Actor) -> QuerySet:
    """Submitted profiles this actor may validate: staff see all, focal points their countries'."""
    qs = Profile.objects.filter(status=Status.SUBMITTED)
    if actor.is_staff:
        return qs
    return qs.filter(country_id__in=actor.focal_countries)


def is_owner(actor: Actor, profile: Profile) -> bool:
    return is_member_of(actor, profile.organisation_id)


def can_view(actor: Actor, profile: Profile) -> bool:
    if profile.status == Status.PUBLISHED or actor.is_staff or is_owner(actor, profile):
        return True
    return is_focal_point_for(actor, profile.country_id) and profile.status in FOCAL_POINT_STATES


def can_see_private(actor: Actor, profile: Profile) -> bool:
    """Contact details, organisation name and private attachments: the owner and staff only.

    Expressions of interest (matching app) widen this for an accepted counterpart.
    """
    if actor.is_staff or is_owner(actor, profile):
        return True
    from techbridge.exchange.extensions import has_private_access

    return actor.is_authenticated and has_private_access(actor, profile)


def private_profile_ids(actor: Actor, profiles: list[Profile]) -> set[int]:
    """`can_see_private` for a list of profiles at once (an API page): a fixed number of queries."""
    if actor.is_staff:
        return {p.pk for p in profiles}
    own = {p.pk for p in profiles if is_owner(actor, p)}
    if not actor.is_authenticated:
        return own
    from techbridge.exchange.extensions import private_access_ids

    return own | private_access_ids(actor, [p for p in profiles if p.pk not in own])


def can_edit(actor: Actor, profile: Profile) -> bool:
    return (actor.is_staff or is_owner(actor, profile)) and profile.status in EDITABLE_STATES


def can_validate(actor: Actor, profile: Profile) -> bool:
    return actor.is_staff or is_focal_point_for(actor, profile.country_id)


def can_create_for(actor: Actor, organisation_id: int) -> bool:
    return actor.is_staff or is_member_of(actor, organisation_id)
