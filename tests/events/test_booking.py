import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from techbridge.core.permissions import actor_for
from techbridge.events.models import Meeting, MeetingSeat
from techbridge.events.services import booking, registrations, requests
from tests import factories

pytestmark = pytest.mark.django_db


def _meeting(event, a, b):
    req = requests.send_request(actor=actor_for(a.user), event=event, recipient=b)
    requests.accept_request(actor=actor_for(b.user), request=req)
    return Meeting.objects.get(request=req)


def test_participant_books_free_slot_first_free_table_and_it_is_locked():
    event = factories.event_with_slots(tables=2)
    a, b = factories.approved_participant(event=event), factories.approved_participant(event=event)
    m = _meeting(event, a, b)
    slot = event.slots.order_by("starts_at")[1]
    booking.book_meeting(actor=actor_for(a.user), meeting=m, slot=slot)
    m.refresh_from_db()
    assert (m.slot_id, m.table, m.locked) == (slot.pk, 1, True)
    assert set(MeetingSeat.objects.values_list("registration_id", "slot_id")) == {(a.pk, slot.pk), (b.pk, slot.pk)}
    with pytest.raises(ValidationError) as exc:
        booking.book_meeting(actor=actor_for(a.user), meeting=m, slot=slot, table=2)
    assert "table" in exc.value.message_dict  # participants do not choose tables


def test_booking_refuses_double_booked_person_full_slot_and_blocked_slot(staff):
    event = factories.event_with_slots(tables=1)
    a, b, c, d = (factories.approved_participant(event=event) for _ in range(4))
    slot, other = event.slots.order_by("starts_at")[:2]
    booking.book_meeting(actor=actor_for(a.user), meeting=_meeting(event, a, b), slot=slot)
    with pytest.raises(ValidationError, match="already has a meeting"):
        booking.book_meeting(actor=actor_for(a.user), meeting=_meeting(event, a, c), slot=slot)
    with pytest.raises(ValidationError, match="Every table is taken"):
        booking.book_meeting(actor=actor_for(c.user), meeting=_meeting(event, c, d), slot=slot)
    registrations.set_unavailable(actor=actor_for(d.user), registration=d, slot_ids=[other.pk])
    with pytest.raises(ValidationError, match="unavailable"):
        booking.book_meeting(actor=actor_for(staff), meeting=Meeting.objects.get(request__requester=c), slot=other)


def test_free_slots_excludes_busy_blocked_and_full_slots():
    event = factories.event_with_slots(tables=1)
    a, b, c, d = (factories.approved_participant(event=event) for _ in range(4))
    s0, s1, s2, s3 = event.slots.order_by("starts_at")[:4]
    booking.book_meeting(actor=actor_for(a.user), meeting=_meeting(event, a, b), slot=s0)
    booking.book_meeting(actor=actor_for(c.user), meeting=_meeting(event, c, d), slot=s1)
    registrations.set_unavailable(actor=actor_for(c.user), registration=c, slot_ids=[s2.pk])
    m = _meeting(event, a, c)
    assert s0 not in booking.free_slots(meeting=m)  # a is busy
    assert s1 not in booking.free_slots(meeting=m)  # c is busy (and the only table is taken)
    assert s2 not in booking.free_slots(meeting=m)  # c blocked it
    assert s3 in booking.free_slots(meeting=m)


def test_published_meeting_moves_only_by_organiser_and_booking_phase_matters(staff):
    event = factories.event_with_slots()
    a, b = factories.approved_participant(event=event), factories.approved_participant(event=event)
    m = _meeting(event, a, b)
    s0, s1 = event.slots.order_by("starts_at")[:2]
    booking.book_meeting(actor=actor_for(staff), meeting=m, slot=s0, table=3)
    Meeting.objects.filter(pk=m.pk).update(published=True)
    m.refresh_from_db()
    with pytest.raises(ValidationError):
        booking.book_meeting(actor=actor_for(a.user), meeting=m, slot=s1)
    booking.book_meeting(actor=actor_for(staff), meeting=m, slot=s1, table=2)
    m.refresh_from_db()
    assert (m.slot_id, m.table) == (s1.pk, 2)
    assert set(MeetingSeat.objects.values_list("slot_id", flat=True)) == {s1.pk}
    outsider = factories.MemberFactory()
    with pytest.raises(PermissionDenied):
        booking.book_meeting(actor=actor_for(outsider), meeting=m, slot=s0)


def test_database_refuses_second_seat_for_a_person_in_one_slot_and_shared_table():
    event = factories.event_with_slots()
    a, b, c = (factories.approved_participant(event=event) for _ in range(3))
    m1, m2 = _meeting(event, a, b), _meeting(event, a, c)
    slot = event.slots.first()
    MeetingSeat.objects.create(meeting=m1, registration=a, slot=slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSeat.objects.create(meeting=m2, registration=a, slot=slot)
    Meeting.objects.filter(pk=m1.pk).update(slot=slot, table=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=m2.pk).update(slot=slot, table=1)


def test_unschedule_frees_seats_and_clears_lock(staff):
    event = factories.event_with_slots()
    a, b = factories.approved_participant(event=event), factories.approved_participant(event=event)
    m = _meeting(event, a, b)
    booking.book_meeting(actor=actor_for(staff), meeting=m, slot=event.slots.first())
    booking.unschedule_meeting(actor=actor_for(staff), meeting=m)
    m.refresh_from_db()
    assert m.slot is None and m.table is None and not m.locked and not MeetingSeat.objects.exists()
