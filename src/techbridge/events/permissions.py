"""Who may see and do what in a brokerage event. Services and querysets call these; views never decide alone.

Roles: the centre's staff and an event's organisers manage it; an approved participant sees the marketplace
and requests meetings; everyone sees published events.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from techbridge.core.permissions import Actor
from techbridge.events.models import Event, Meeting, MeetingRequest, Registration


def visible_events(actor: Actor) -> QuerySet:
    """Published events for everyone; drafts only for staff and their organisers."""
    qs = Event.objects.all()
    if actor.is_staff:
        return qs
    if actor.is_authenticated:
        return qs.filter(Q(published=True) | Q(organisers=actor.user_id)).distinct()
    return qs.filter(published=True)


def managed_events(actor: Actor) -> QuerySet:
    if actor.is_staff:
        return Event.objects.all()
    if not actor.is_authenticated:
        return Event.objects.none()
    return Event.objects.filter(organisers=actor.user_id)


def can_manage(actor: Actor, event: Event) -> bool:
    """Staff and the event's organisers run registrations, the schedule and the day itself."""
    if actor.is_staff:
        return True
    return actor.is_authenticated and event.organisers.filter(pk=actor.user_id).exists()


def can_create_event(actor: Actor) -> bool:
    return actor.is_staff


def own_registration(actor: Actor, event: Event) -> Registration | None:
    if not actor.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user_id=actor.user_id).select_related("event").first()


def is_participant(actor: Actor, event: Event) -> bool:
    reg = own_registration(actor, event)
    return reg is not None and reg.status == Registration.Status.APPROVED


def can_see_marketplace(actor: Actor, event: Event) -> bool:
    return can_manage(actor, event) or is_participant(actor, event)


def marketplace(event: Event) -> QuerySet:
    """Approved participants of the event, the only ones others may browse and ask for a meeting."""
    return (Registration.objects.filter(event=event, status=Registration.Status.APPROVED)
            .select_related("user", "organisation", "organisation__country", "participation_type"))


def visible_requests(actor: Actor, event: Event) -> QuerySet:
    """Requests the actor sent or received; organisers see all of the event's."""
    qs = MeetingRequest.objects.filter(event=event).select_related(
        "requester__user", "requester__organisation", "recipient__user", "recipient__organisation")
    if can_manage(actor, event):
        return qs
    if not actor.is_authenticated:
        return qs.none()
    return qs.filter(Q(requester__user_id=actor.user_id) | Q(recipient__user_id=actor.user_id))


def visible_meetings(actor: Actor, event: Event) -> QuerySet:
    qs = Meeting.objects.filter(event=event).select_related(
        "slot", "request__requester__user", "request__requester__organisation", "request__recipient__user",
        "request__recipient__organisation")
    if can_manage(actor, event):
        return qs
    if not actor.is_authenticated:
        return qs.none()
    return qs.filter(Q(request__requester__user_id=actor.user_id) | Q(request__recipient__user_id=actor.user_id))


def is_party(actor: Actor, request: MeetingRequest) -> bool:
    return actor.is_authenticated and actor.user_id in {request.requester.user_id, request.recipient.user_id}
