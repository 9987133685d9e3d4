"""Creating and configuring events: sessions, the slots cut from them, participation types, phases."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.permissions import Actor, require
from techbridge.events import permissions as perms
from techbridge.events.models import Event, MeetingLength, MeetingSeat, ParticipationType, Session, Slot

EVENT_FIELDS = [
    "name", "description", "organiser_name", "venue", "city", "country_id", "online", "online_url", "time_zone",
    "starts_on", "ends_on", "registration_opens_at", "registration_closes_at", "booking_open", "auto_accept",
    "max_meetings", "meeting_minutes", "published", "activity_id",
]


def _apply(event: Event, values: dict) -> None:
    errors: dict[str, list[str]] = {}
    for name in sorted(set(values) - set(EVENT_FIELDS)):
        errors.setdefault(name, []).append(_("Unknown field."))
    for name, value in values.items():
        if name in EVENT_FIELDS:
            setattr(event, name, value.strip() if isinstance(value, str) else value)
    if event.meeting_minutes not in MeetingLength.values:
        errors.setdefault("meeting_minutes", []).append(_("Meetings last 15, 20 or 30 minutes."))
    try:
        zoneinfo.ZoneInfo(event.time_zone or "")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors.setdefault("time_zone", []).append(_("Unknown time zone."))
    if event.starts_on and event.ends_on and event.ends_on < event.starts_on:
        errors.setdefault("ends_on", []).append(_("The last day is before the first day."))
    if (event.registration_opens_at and event.registration_closes_at
            and event.registration_closes_at <= event.registration_opens_at):
        errors.setdefault("registration_closes_at", []).append(_("Registration must close after it opens."))
    if event.max_meetings is not None and event.max_meetings < 1:
        errors.setdefault("max_meetings", []).append(_("At least one meeting."))
    try:
        event.full_clean(exclude=["organisers"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def create_event(*, actor: Actor, values: dict, organiser_ids: list[int] | None = None) -> Event:
    """Staff create events and name the organisers who run them day to day."""
    require(perms.can_create_event(actor), _("Only the centre's staff create events."))
    event = Event()
    _apply(event, dict(values))
    with transaction.atomic():
        event.save()
        if organiser_ids:
            event.organisers.set(organiser_ids)
        audit.record(actor=actor, action="create", obj=event)
    return event


def update_event(*, actor: Actor, event: Event, values: dict) -> Event:
    """Change an event's settings; the meeting length is fixed once slots exist, as agendas depend on it."""
    require(perms.can_manage(actor, event), _("You do not manage this event."))
    before = event.meeting_minutes
    _apply(event, dict(values))
    if event.meeting_minutes != before and event.slots.exists():
        raise ValidationError({"meeting_minutes": _("Delete the sessions before changing the meeting length.")})
    with transaction.atomic():
        event.save()
        audit.record(actor=actor, action="update", obj=event, detail={"fields": sorted(values)})
    return event


def slot_times(*, starts_at, ends_at, minutes: int) -> list[tuple]:
    """Back-to-back rounds of `minutes` that fit entirely between the session's start and end."""
    step = timedelta(minutes=minutes)
    times = []
    start = starts_at
    while start + step <= ends_at:
        times.append((start, start + step))
        start += step
    return times


def add_session(*, actor: Actor, event: Event, name: str, starts_at, ends_at, tables: int) -> Session:
    """Add a session and generate its slots from the event's meeting length."""
    require(perms.can_manage(actor, event), _("You do not manage this event."))
    errors: dict[str, list[str]] = {}
    if not (name or "").strip():
        errors["name"] = [_("Give the session a name.")]
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        errors["ends_at"] = [_("The session must end after it starts.")]
    elif ends_at - starts_at > timedelta(hours=14):
        errors["ends_at"] = [_("A session lasts at most 14 hours; add another session for the next day.")]
    if not isinstance(tables, int) or not 1 <= tables <= 1000:
        errors["tables"] = [_("Between 1 and 1,000 tables.")]
    if not errors:
        times = slot_times(starts_at=starts_at, ends_at=ends_at, minutes=event.meeting_minutes)
        if not times:
            errors["ends_at"] = [_("The session is shorter than one meeting.")]
        overlapping = event.sessions.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
        if overlapping.exists():
            errors["starts_at"] = [_("The session overlaps %(name)s.") % {"name": overlapping.first().name}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = Session.objects.create(event=event, name=name.strip(), starts_at=starts_at, ends_at=ends_at,
                                         tables=tables)
        Slot.objects.bulk_create([Slot(event=event, session=session, starts_at=a, ends_at=b) for a, b in times])
        audit.record(actor=actor, action="add_session", obj=event,
                     detail={"session": session.name, "slots": len(times), "tables": tables})
    return session


def set_tables(*, actor: Actor, session: Session, tables: int) -> Session:
    """Change a session's table count; never below a table number already in use."""
    require(perms.can_manage(actor, session.event), _("You do not manage this event."))
    if not isinstance(tables, int) or not 1 <= tables <= 1000:
        raise ValidationError({"tables": [_("Between 1 and 1,000 tables.")]})
    with transaction.atomic():
        slots = list(Slot.objects.select_for_update().filter(session=session))
        used = max((m.table for s in slots for m in s.meetings.all() if m.table), default=0)
        if tables < used:
            raise ValidationError({"tables": [_("Table %(n)d is in use; free it first.") % {"n": used}]})
        session.tables = tables
        session.save(update_fields=["tables"])
        audit.record(actor=actor, action="set_tables", obj=session.event, detail={"session": session.pk,
                                                                                  "tables": tables})
    return session


def delete_session(*, actor: Actor, session: Session) -> None:
    require(perms.can_manage(actor, session.event), _("You do not manage this event."))
    if MeetingSeat.objects.filter(slot__session=session).exists():
        raise ValidationError({"session": [_("Meetings are scheduled in this session; unschedule them first.")]})
    with transaction.atomic():
        audit.record(actor=actor, action="delete_session", obj=session.event, detail={"session": session.name})
        session.delete()


def add_participation_type(*, actor: Actor, event: Event, name: str, description: str = "") -> ParticipationType:
    require(perms.can_manage(actor, event), _("You do not manage this event."))
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationError({"name": [_("A name of at most 120 characters.")]})
    if event.participation_types.filter(name__iexact=name).exists():
        raise ValidationError({"name": [_("This participation type exists already.")]})
    with transaction.atomic():
        ptype = ParticipationType.objects.create(event=event, name=name, description=(description or "")[:500])
        audit.record(actor=actor, action="add_participation_type", obj=event, detail={"name": name})
    return ptype


def set_booking_phase(*, actor: Actor, event: Event, open_: bool) -> Event:
    """Open or close the phase in which participants request meetings and pick slots."""
    require(perms.can_manage(actor, event), _("You do not manage this event."))
    with transaction.atomic():
        before = event.booking_open
        event.booking_open = bool(open_)
        event.save(update_fields=["booking_open"])
        audit.record(actor=actor, action="booking_phase", obj=event, from_state=str(before).lower(),
                     to_state=str(event.booking_open).lower())
    return event


def event_days(*, event: Event) -> list:
    """The dates of the event, first to last (for agendas and the table plan)."""
    days = []
    day = event.starts_on
    while day <= event.ends_on:
        days.append(day)
        day += timedelta(days=1)
    return days


def local(*, event: Event, moment):
    """A stored UTC time in the event's own time zone, as participants read it on the spot."""
    return timezone.localtime(moment, zoneinfo.ZoneInfo(event.time_zone))
