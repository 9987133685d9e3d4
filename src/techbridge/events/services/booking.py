"""Putting one accepted meeting into a slot and at a table by hand, safely under concurrency.

Two people may book the same round at the same moment (a participant picking a free slot, an organiser
placing a meeting). Two defences, both needed:

* the slot's row is locked (`SELECT … FOR UPDATE`) before anything is checked, so bookings of one round run
  one after the other and the second sees the first's seats;
* the database refuses what the checks might still miss: unique (slot, table) on meetings and unique
  (slot, registration) on seats.

`_place(..., lock=False)` skips the lock; it exists only so the PostgreSQL test can show the race it prevents.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.permissions import Actor, require
from techbridge.events import permissions as perms
from techbridge.events.models import Meeting, MeetingSeat, Slot, Unavailability


def free_slots(*, meeting: Meeting) -> list[Slot]:
    """Slots where both participants are free and available and a table is left: what a participant may pick."""
    req = meeting.request
    people = [req.requester_id, req.recipient_id]
    busy = set(MeetingSeat.objects.filter(registration_id__in=people).exclude(meeting=meeting)
               .values_list("slot_id", flat=True))
    blocked = set(Unavailability.objects.filter(registration_id__in=people).values_list("slot_id", flat=True))
    slots = []
    for slot in Slot.objects.filter(event_id=meeting.event_id).select_related("session"):
        if slot.pk in busy or slot.pk in blocked:
            continue
        used = Meeting.objects.filter(slot=slot).exclude(pk=meeting.pk).count()
        if used < slot.session.tables:
            slots.append(slot)
    return slots


def book_meeting(*, actor: Actor, meeting: Meeting, slot: Slot, table: int | None = None) -> Meeting:
    """Place an accepted meeting by hand; the placement is locked so "Schedule all" keeps it.

    Participants may pick a slot (the table is chosen for them) while the booking phase is open; organisers
    may also choose the table and move published meetings.
    """
    event = meeting.event
    manager = perms.can_manage(actor, event)
    require(manager or perms.is_party(actor, meeting.request), _("This is not your meeting."))
    if not manager:
        if not event.booking_open:
            raise ValidationError({"slot": [_("The booking phase is closed.")]})
        if table is not None:
            raise ValidationError({"table": [_("Tables are assigned by the organiser.")]})
        if meeting.published:
            raise ValidationError({"slot": [_("This meeting is published; ask the organiser to move it.")]})
    with transaction.atomic():
        placed = _place(meeting_id=meeting.pk, slot_id=slot.pk, table=table, lock=True)
        audit.record(actor=actor, action="book", obj=placed,
                     detail={"slot": placed.slot_id, "table": placed.table})
    meeting.refresh_from_db()
    return meeting


def unschedule_meeting(*, actor: Actor, meeting: Meeting) -> Meeting:
    """Take a meeting out of the agenda (organisers only): it waits for the next scheduling run."""
    require(perms.can_manage(actor, meeting.event), _("You do not manage this event."))
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        MeetingSeat.objects.filter(meeting=locked).delete()
        before = locked.slot_id
        locked.slot = None
        locked.table = None
        locked.locked = False
        locked.published = False
        locked.save(update_fields=["slot", "table", "locked", "published"])
        audit.record(actor=actor, action="unschedule", obj=locked, detail={"slot": before})
    meeting.refresh_from_db()
    return meeting


def set_locked(*, actor: Actor, meeting: Meeting, locked: bool) -> Meeting:
    """Pin a scheduled meeting (or release the pin) so later runs leave it (or may move it)."""
    require(perms.can_manage(actor, meeting.event), _("You do not manage this event."))
    if locked and not meeting.scheduled:
        raise ValidationError({"locked": [_("Only a scheduled meeting can be locked.")]})
    with transaction.atomic():
        meeting.locked = bool(locked)
        meeting.save(update_fields=["locked"])
        audit.record(actor=actor, action="lock" if locked else "unlock", obj=meeting)
    return meeting


def _place(*, meeting_id: int, slot_id: int, table: int | None, lock: bool,
           after_check: Callable[[], None] | None = None) -> Meeting:
    """Check and write one placement inside the caller's transaction.

    With `lock` the meeting and then the slot row are locked first (always in that order: no deadlock).
    `after_check` runs between the checks and the writes; the concurrency test uses it to widen the window.
    """
    meetings = Meeting.objects.select_related("request", "event")
    slots = Slot.objects.select_related("session")
    if lock:
        meetings, slots = meetings.select_for_update(of=("self",)), slots.select_for_update(of=("self",))
    meeting = meetings.get(pk=meeting_id)
    slot = slots.filter(pk=slot_id, event_id=meeting.event_id).first()
    if slot is None:
        raise ValidationError({"slot": [_("This slot does not belong to the event.")]})
    req = meeting.request
    if req.status != req.Status.ACCEPTED:
        raise ValidationError({"slot": [_("Only accepted meetings are scheduled.")]})
    people = [req.requester_id, req.recipient_id]
    if Unavailability.objects.filter(registration_id__in=people, slot=slot).exists():
        raise ValidationError({"slot": [_("One of the participants is unavailable in this slot.")]})
    if MeetingSeat.objects.filter(slot=slot, registration_id__in=people).exclude(meeting=meeting).exists():
        raise ValidationError({"slot": [_("One of the participants already has a meeting in this slot.")]})
    used = set(Meeting.objects.filter(slot=slot).exclude(pk=meeting.pk).values_list("table", flat=True))
    capacity = slot.session.tables
    if table is None:
        table = next((t for t in range(1, capacity + 1) if t not in used), None)
        if table is None:
            raise ValidationError({"slot": [_("Every table is taken in this slot.")]})
    elif not 1 <= table <= capacity:
        raise ValidationError({"table": [_("Tables of this session are numbered 1 to %(n)d.") % {"n": capacity}]})
    elif table in used:
        raise ValidationError({"table": [_("Table %(n)d is taken in this slot.") % {"n": table}]})
    if after_check is not None:
        after_check()
    try:
        with transaction.atomic():
            MeetingSeat.objects.filter(meeting=meeting).delete()
            meeting.slot, meeting.table, meeting.locked = slot, table, True
            meeting.save(update_fields=["slot", "table", "locked"])
            MeetingSeat.objects.bulk_create([MeetingSeat(meeting=meeting, registration_id=p, slot=slot)
                                             for p in people])
    except IntegrityError:
        raise ValidationError({"slot": [_("Someone else just booked this slot or table; pick another.")]}) \
            from None
    return meeting
