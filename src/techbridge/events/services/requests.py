"""Meeting requests: send, accept (or automatic acceptance), decline, cancel; mutual interest ranks higher."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.notify import notify
from techbridge.core.permissions import Actor, require, require_signed_in
from techbridge.core.security.ratelimit import check_rate
from techbridge.events import permissions as perms
from techbridge.events.models import Event, Meeting, MeetingRequest, MeetingSeat, Registration

Status = MeetingRequest.Status


#: Abuse limit: one participant may send at most this many meeting requests per hour.
MEETING_REQUESTS_PER_HOUR = 60

def _accepted_count(registration: Registration) -> int:
    return Meeting.objects.filter(Q(request__requester=registration) | Q(request__recipient=registration)).count()


def _check_caps(req: MeetingRequest) -> None:
    for reg in (req.requester, req.recipient):
        cap = reg.meeting_cap()
        if cap is not None and _accepted_count(reg) >= cap:
            raise ValidationError({"status": [_("%(name)s has reached the maximum of %(n)d meetings.")
                                              % {"name": reg.display_name, "n": cap}]})


def _mail(req: MeetingRequest, *, to: Registration, template: str, subject: str) -> None:
    notify(recipients=[to.user.email], subject=subject, template=f"events/mail/{template}.txt",
           context={"request": req, "event": req.event})


def send_request(*, actor: Actor, event: Event, recipient: Registration, message: str = "") -> MeetingRequest:
    """Ask another approved participant for a meeting.

    If they had already asked us, the two wishes meet: their request is accepted and marked mutual, which the
    scheduler weights higher, instead of creating a second request for the same pair.
    """
    require_signed_in(actor)
    requester = perms.own_registration(actor, event)
    require(requester is not None and requester.status == Registration.Status.APPROVED,
            _("Only approved participants request meetings."))
    check_rate(key=f"meeting_request:user:{actor.user_id}", limit=MEETING_REQUESTS_PER_HOUR, period=3600)
    errors: dict[str, list[str]] = {}
    if not event.booking_open:
        errors["event"] = [_("The booking phase is closed.")]
    if recipient.event_id != event.pk or recipient.status != Registration.Status.APPROVED:
        errors["recipient"] = [_("This participant is not in the event's marketplace.")]
    elif recipient.pk == requester.pk:
        errors["recipient"] = [_("You cannot meet yourself.")]
    message = (message or "").strip()
    if len(message) > 1000:
        errors["message"] = [_("At most 1,000 characters.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock both registrations in id order so crossing requests of one pair are decided one at a time.
        list(Registration.objects.select_for_update().filter(pk__in=[requester.pk, recipient.pk]).order_by("pk"))
        pair = MeetingRequest.objects.filter(
            Q(requester=requester, recipient=recipient) | Q(requester=recipient, recipient=requester),
            status__in=MeetingRequest.ACTIVE)
        existing = pair.first()
        if existing is not None and (existing.requester_id == requester.pk or existing.status == Status.ACCEPTED):
            raise ValidationError({"recipient": [_("You already have a request or a meeting with this "
                                                   "participant.")]})
        if existing is not None:
            existing.mutual = True
            existing.save(update_fields=["mutual"])
            audit.record(actor=actor, action="mutual", obj=existing)
            return _accept(actor=actor, req=existing, response=message)
        try:
            req = MeetingRequest.objects.create(event=event, requester=requester, recipient=recipient,
                                                message=message)
        except IntegrityError:
            raise ValidationError({"recipient": [_("You already asked this participant.")]}) from None
        audit.record(actor=actor, action="request", obj=req, to_state=req.status)
        if event.auto_accept:
            try:
                return _accept(actor=None, req=req, response="")
            except ValidationError:
                pass  # a cap is reached: the request waits for a human decision instead
        _mail(req, to=recipient, template="request_received",
              subject=_("%(name)s asks to meet you at %(event)s") % {"name": requester.display_name,
                                                                     "event": event.name})
    return req


def _accept(*, actor: Actor | None, req: MeetingRequest, response: str) -> MeetingRequest:
    _check_caps(req)
    before = req.status
    req.status = Status.ACCEPTED
    req.response = response[:500]
    req.responded_at = timezone.now()
    req.save(update_fields=["status", "response", "responded_at"])
    Meeting.objects.get_or_create(request=req, defaults={"event_id": req.event_id})
    audit.record(actor=actor, action="accept", obj=req, from_state=before, to_state=req.status,
                 detail={"automatic": actor is None})
    for to in (req.requester, req.recipient):
        _mail(req, to=to, template="request_accepted",
              subject=_("Meeting confirmed at %(event)s") % {"event": req.event.name})
    return req


def accept_request(*, actor: Actor, request: MeetingRequest, response: str = "") -> MeetingRequest:
    """The recipient (or an organiser) accepts; the meeting then waits for a slot."""
    _require_respondent(actor, request)
    with transaction.atomic():
        req = MeetingRequest.objects.select_for_update().select_related("event", "requester__user",
                                                                        "recipient__user").get(pk=request.pk)
        if req.status != Status.REQUESTED:
            raise ValidationError({"status": [_("Only open requests can be accepted.")]})
        _accept(actor=actor, req=req, response=(response or "").strip())
    request.refresh_from_db()
    return request


def decline_request(*, actor: Actor, request: MeetingRequest, response: str = "") -> MeetingRequest:
    _require_respondent(actor, request)
    with transaction.atomic():
        req = MeetingRequest.objects.select_for_update().select_related("event", "requester__user").get(
            pk=request.pk)
        if req.status != Status.REQUESTED:
            raise ValidationError({"status": [_("Only open requests can be declined.")]})
        req.status = Status.DECLINED
        req.response = (response or "").strip()[:500]
        req.responded_at = timezone.now()
        req.save(update_fields=["status", "response", "responded_at"])
        audit.record(actor=actor, action="decline", obj=req, from_state=Status.REQUESTED, to_state=req.status)
        _mail(req, to=req.requester, template="request_declined",
              subject=_("Meeting request declined at %(event)s") % {"event": req.event.name})
    request.refresh_from_db()
    return request


def cancel_request(*, actor: Actor, request: MeetingRequest) -> MeetingRequest:
    """Withdraw a request, or call off an accepted meeting (its slot and table become free)."""
    require(perms.is_party(actor, request) or perms.can_manage(actor, request.event),
            _("This is not your meeting."))
    with transaction.atomic():
        req = MeetingRequest.objects.select_for_update().select_related(
            "event", "requester__user", "recipient__user").get(pk=request.pk)
        if req.status not in MeetingRequest.ACTIVE:
            raise ValidationError({"status": [_("This request is closed already.")]})
        if req.status == Status.REQUESTED and not (req.requester.user_id == actor.user_id
                                                   or perms.can_manage(actor, req.event)):
            raise ValidationError({"status": [_("Decline the request instead.")]})
        before = req.status
        meeting = Meeting.objects.filter(request=req).first()
        if meeting is not None:
            if meeting.attendance:
                raise ValidationError({"status": [_("This meeting has taken place.")]})
            MeetingSeat.objects.filter(meeting=meeting).delete()
            meeting.delete()
        req.status = Status.CANCELLED
        req.save(update_fields=["status"])
        audit.record(actor=actor, action="cancel", obj=req, from_state=before, to_state=req.status)
        for to in (req.requester, req.recipient):
            if to.user_id != actor.user_id:
                _mail(req, to=to, template="request_cancelled",
                      subject=_("Meeting cancelled at %(event)s") % {"event": req.event.name})
    request.refresh_from_db()
    return request


def set_boost(*, actor: Actor, request: MeetingRequest, boosted: bool) -> MeetingRequest:
    """Organisers flag meetings the programme depends on; the scheduler weights them higher."""
    require(perms.can_manage(actor, request.event), _("You do not manage this event."))
    with transaction.atomic():
        request.boosted = bool(boosted)
        request.save(update_fields=["boosted"])
        audit.record(actor=actor, action="boost", obj=request, to_state=str(request.boosted).lower())
    return request


def _require_respondent(actor: Actor, request: MeetingRequest) -> None:
    require(request.recipient.user_id == actor.user_id or perms.can_manage(actor, request.event),
            _("Only the invited participant may answer this request."))
