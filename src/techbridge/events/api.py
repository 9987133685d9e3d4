"""Brokerage events in the JSON API: events, slots, registration, marketplace, requests, agenda, scheduling."""


from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from techbridge.core.api_auth import api_actor
from techbridge.core.security.pagination import PageNumberPagination
from techbridge.events import agenda, recommend, stats
from techbridge.events import permissions as perms
from techbridge.events.models import Event, Meeting, MeetingRequest, Registration
from techbridge.events.services import booking, day, registrations, requests, scheduling

router = Router(tags=["events"])


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


class EventOut(Schema):
    id: int
    name: str
    description: str
    organiser_name: str
    venue: str
    city: str
    country: str | None
    online: bool
    time_zone: str
    starts_on: date
    ends_on: date
    registration_opens_at: datetime
    registration_closes_at: datetime
    registration_open: bool
    booking_open: bool
    auto_accept: bool
    max_meetings: int | None
    meeting_minutes: int


class SlotOut(Schema):
    id: int
    session: str
    starts_at: datetime
    ends_at: datetime
    tables: int


class ParticipantOut(Schema):
    id: int
    name: str
    organisation: str
    country: str
    participation_type: str | None
    headline: str
    offers: str
    needs: str
    score: float | None = None


class RegistrationIn(Schema):
    organisation_id: int = Field(..., ge=1, le=2**62)
    participation_type_id: int | None = Field(None, ge=1, le=2**62)
    headline: str = Field("", max_length=200)
    offers: str = Field("", max_length=2000)
    needs: str = Field("", max_length=2000)
    profile_ids: list[int] = Field(default_factory=list, max_length=20)
    max_meetings: int | None = Field(None, ge=1, le=100)


class RegistrationOut(Schema):
    id: int
    status: str
    organisation: str


class RequestIn(Schema):
    recipient_id: int = Field(..., ge=1, le=2**62)
    message: str = Field("", max_length=1000)


class ReplyIn(Schema):
    response: str = Field("", max_length=500)


class RequestOut(Schema):
    id: int
    requester_id: int
    recipient_id: int
    requester: str
    recipient: str
    message: str
    status: str
    mutual: bool
    meeting_id: int | None


class AgendaItemOut(Schema):
    meeting_id: int
    starts_at: datetime
    ends_at: datetime
    table: int
    with_name: str
    with_organisation: str


class BookIn(Schema):
    slot_id: int = Field(..., ge=1, le=2**62)
    table: int | None = Field(None, ge=1, le=1000)


class OutcomeIn(Schema):
    outcome: Meeting.Outcome
    notes: str = Field("", max_length=2000)


class ScheduleIn(Schema):
    mode: str = Field("all", pattern="^(all|new)$")
    time_limit: float = Field(10.0, ge=0.5, le=120)


class JobOut(Schema):
    job_id: str
    url: str


def _event(request, event_id: int) -> tuple:
    actor = api_actor(request)
    return actor, get_object_or_404(perms.visible_events(actor), pk=event_id)


def _event_data(e: Event) -> dict:
    return {**{f: getattr(e, f) for f in EventOut.model_fields if hasattr(e, f)}, "country": e.country_id}


def _participant(r: Registration, score: float | None = None) -> dict:
    return {"id": r.pk, "name": r.display_name, "organisation": r.organisation.name,
            "country": r.organisation.country_id,
            "participation_type": r.participation_type.name if r.participation_type else None,
            "headline": r.headline, "offers": r.offers, "needs": r.needs, "score": score}


def _request_data(q: MeetingRequest) -> dict:
    meeting = getattr(q, "meeting", None) if q.status == "accepted" else None
    return {"id": q.pk, "requester_id": q.requester_id, "recipient_id": q.recipient_id,
            "requester": q.requester.display_name, "recipient": q.recipient.display_name, "message": q.message,
            "status": q.status, "mutual": q.mutual, "meeting_id": meeting.pk if meeting else None}


@router.get("", response=list[EventOut], summary="Brokerage events you may see")
@paginate(PageNumberPagination, page_size=20)
def list_events(request):
    return [_event_data(e) for e in perms.visible_events(api_actor(request)).order_by("-starts_on", "-id")]


@router.get("/{int:event_id}", response={200: EventOut, 404: ErrorOut})
def get_event(request, event_id: int):
    return _event_data(_event(request, event_id)[1])


@router.get("/{int:event_id}/slots", response={200: list[SlotOut], 404: ErrorOut})
def list_slots(request, event_id: int):
    _actor, event = _event(request, event_id)
    return [{"id": s.pk, "session": s.session.name, "starts_at": s.starts_at, "ends_at": s.ends_at,
             "tables": s.session.tables} for s in event.slots.select_related("session")]


@router.post("/{int:event_id}/registrations",
             response={201: RegistrationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def register(request, event_id: int, payload: RegistrationIn):
    actor, event = _event(request, event_id)
    values = payload.dict()
    organisation_id = values.pop("organisation_id")
    reg = registrations.register(actor=actor, event=event, organisation_id=organisation_id, values=values)
    return Status(201, {"id": reg.pk, "status": reg.status, "organisation": reg.organisation.name})


@router.get("/{int:event_id}/participants", response={200: list[ParticipantOut], 401: ErrorOut, 403: ErrorOut,
                                                      404: ErrorOut})
@paginate(PageNumberPagination, page_size=20)
def participants(request, event_id: int):
    actor, event = _event(request, event_id)
    if not perms.can_see_marketplace(actor, event):
        raise PermissionDenied("The marketplace is open to approved participants.")
    return [_participant(r) for r in perms.marketplace(event).order_by("organisation__name", "pk")]


@router.get("/{int:event_id}/recommended", response={200: list[ParticipantOut], 401: ErrorOut, 403: ErrorOut,
                                                     404: ErrorOut})
def recommended(request, event_id: int):
    actor, event = _event(request, event_id)
    own = perms.own_registration(actor, event)
    if own is None or own.status != Registration.Status.APPROVED:
        raise PermissionDenied("Only approved participants get recommendations.")
    ranked = recommend.recommend(registration=own, candidates=perms.marketplace(event).prefetch_related("profiles"),
                                 limit=10)
    return [_participant(r, score) for r, score in ranked]


@router.get("/{int:event_id}/requests", response={200: list[RequestOut], 401: ErrorOut, 404: ErrorOut})
@paginate(PageNumberPagination, page_size=20)
def list_requests(request, event_id: int):
    actor, event = _event(request, event_id)
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in first.")
    return [_request_data(q) for q in perms.visible_requests(actor, event).select_related("meeting")]


@router.post("/{int:event_id}/requests", response={201: RequestOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                    422: ErrorOut})
def send_request(request, event_id: int, payload: RequestIn):
    actor, event = _event(request, event_id)
    other = get_object_or_404(perms.marketplace(event), pk=payload.recipient_id)
    req = requests.send_request(actor=actor, event=event, recipient=other, message=payload.message)
    fresh = MeetingRequest.objects.select_related("requester__user", "recipient__user").get(pk=req.pk)
    return Status(201, _request_data(fresh))


@router.post("/{int:event_id}/requests/{int:request_id}/{action}",
             response={200: RequestOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def answer_request(request, event_id: int, request_id: int, action: str, payload: ReplyIn):
    actor, event = _event(request, event_id)
    req = get_object_or_404(perms.visible_requests(actor, event), pk=request_id)
    if action == "accept":
        requests.accept_request(actor=actor, request=req, response=payload.response)
    elif action == "decline":
        requests.decline_request(actor=actor, request=req, response=payload.response)
    elif action == "cancel":
        requests.cancel_request(actor=actor, request=req)
    else:
        return Status(404, {"detail": "action must be accept, decline or cancel"})
    return _request_data(perms.visible_requests(actor, event).get(pk=req.pk))


@router.get("/{int:event_id}/agenda", response={200: list[AgendaItemOut], 401: ErrorOut, 404: ErrorOut})
def my_agenda(request, event_id: int):
    actor, event = _event(request, event_id)
    own = perms.own_registration(actor, event)
    if own is None:
        return Status(404, {"detail": "You are not registered for this event."})
    return [{"meeting_id": r.meeting.pk, "starts_at": r.meeting.slot.starts_at, "ends_at": r.meeting.slot.ends_at,
             "table": r.table, "with_name": r.counterpart.display_name,
             "with_organisation": r.counterpart.organisation.name} for r in agenda.agenda_rows(registration=own)]


@router.post("/{int:event_id}/meetings/{int:meeting_id}/book",
             response={200: AgendaItemOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def book(request, event_id: int, meeting_id: int, payload: BookIn):
    actor, event = _event(request, event_id)
    m = get_object_or_404(perms.visible_meetings(actor, event), pk=meeting_id)
    slot = get_object_or_404(event.slots.all(), pk=payload.slot_id)
    m = booking.book_meeting(actor=actor, meeting=m, slot=slot, table=payload.table)
    other = m.request.recipient if m.request.requester.user_id == actor.user_id else m.request.requester
    return {"meeting_id": m.pk, "starts_at": m.slot.starts_at, "ends_at": m.slot.ends_at, "table": m.table,
            "with_name": other.display_name, "with_organisation": other.organisation.name}


@router.post("/{int:event_id}/meetings/{int:meeting_id}/outcome",
             response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def outcome(request, event_id: int, meeting_id: int, payload: OutcomeIn):
    actor, event = _event(request, event_id)
    m = get_object_or_404(perms.visible_meetings(actor, event), pk=meeting_id)
    day.record_outcome(actor=actor, meeting=m, outcome=str(payload.outcome.value), notes=payload.notes)
    return Status(204, None)


@router.post("/{int:event_id}/schedule", response={202: JobOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                    422: ErrorOut})
def schedule(request, event_id: int, payload: ScheduleIn):
    actor, event = _event(request, event_id)
    job = scheduling.start_schedule(actor=actor, event=event, mode=payload.mode, time_limit=payload.time_limit)
    return Status(202, {"job_id": str(job.pk), "url": f"/jobs/{job.pk}/"})


@router.get("/{int:event_id}/statistics", response={200: dict, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def statistics(request, event_id: int):
    actor, event = _event(request, event_id)
    if not perms.can_manage(actor, event):
        raise PermissionDenied("Only the event's organisers see its statistics.")
    data = stats.event_statistics(event=event)
    return {"total": data["total"], "by_country": dict(data["by_country"]), "by_type": dict(data["by_type"])}
