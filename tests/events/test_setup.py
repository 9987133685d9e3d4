from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from techbridge.core.permissions import actor_for
from techbridge.events.models import Slot
from techbridge.events.services import events as event_services
from tests import factories

pytestmark = pytest.mark.django_db



def _values(**overrides):
    now = timezone.now()
    values = {"name": "Kunming Matchmaking", "time_zone": "Asia/Shanghai", "starts_on": datetime(2030, 6, 13).date(),
              "ends_on": datetime(2030, 6, 14).date(), "registration_opens_at": now,
              "registration_closes_at": now + timedelta(days=20), "meeting_minutes": 20, "published": True}
    values.update(overrides)
    return values


def test_create_event_staff_only_and_validates_dates(staff, member_a):
    with pytest.raises(PermissionDenied):
        event_services.create_event(actor=actor_for(member_a), values=_values())
    with pytest.raises(ValidationError) as exc:
        event_services.create_event(actor=actor_for(staff), values=_values(
            ends_on=datetime(2030, 6, 1).date(), meeting_minutes=25, time_zone="Mars/Olympus"))
    assert {"ends_on", "meeting_minutes", "time_zone"} <= set(exc.value.message_dict)
    event = event_services.create_event(actor=actor_for(staff), values=_values(), organiser_ids=[member_a.pk])
    assert list(event.organisers.all()) == [member_a]


def test_add_session_generates_back_to_back_slots_of_meeting_length(staff):
    event = factories.EventFactory(meeting_minutes=30)
    start = datetime(2030, 6, 13, 1, 0, tzinfo=UTC)
    session = event_services.add_session(actor=actor_for(staff), event=event, name="Morning", starts_at=start,
                                         ends_at=start + timedelta(minutes=100), tables=12)
    slots = list(Slot.objects.filter(session=session).order_by("starts_at"))
    assert [(s.starts_at - start, s.ends_at - s.starts_at) for s in slots] == [
        (timedelta(minutes=0), timedelta(minutes=30)), (timedelta(minutes=30), timedelta(minutes=30)),
        (timedelta(minutes=60), timedelta(minutes=30))]  # the last 10 minutes hold no full meeting


def test_add_session_refuses_overlap_and_too_short(staff):
    event = factories.event_with_slots()
    start = datetime(2030, 6, 13, 2, 0, tzinfo=UTC)
    with pytest.raises(ValidationError) as exc:
        event_services.add_session(actor=actor_for(staff), event=event, name="Clash", starts_at=start,
                                   ends_at=start + timedelta(hours=1), tables=3)
    assert "starts_at" in exc.value.message_dict
    late = datetime(2030, 6, 13, 6, 0, tzinfo=UTC)
    with pytest.raises(ValidationError) as exc:
        event_services.add_session(actor=actor_for(staff), event=event, name="Short", starts_at=late,
                                   ends_at=late + timedelta(minutes=10), tables=3)
    assert "ends_at" in exc.value.message_dict


def test_update_event_refuses_new_meeting_length_once_slots_exist(staff):
    event = factories.event_with_slots()
    with pytest.raises(ValidationError) as exc:
        event_services.update_event(actor=actor_for(staff), event=event, values={"meeting_minutes": 30})
    assert "meeting_minutes" in exc.value.message_dict


def test_organiser_manages_but_other_member_cannot(member_a, member_b):
    event = factories.event_with_slots()
    event.organisers.add(member_a)
    event_services.set_booking_phase(actor=actor_for(member_a), event=event, open_=False)
    event.refresh_from_db()
    assert event.booking_open is False
    with pytest.raises(PermissionDenied):
        event_services.add_participation_type(actor=actor_for(member_b), event=event, name="Investor")


def test_set_tables_refuses_fewer_than_the_highest_table_in_use(staff):
    event = factories.event_with_slots(tables=5)
    a = factories.approved_participant(event=event)
    b = factories.approved_participant(event=event)
    from techbridge.events.services import booking, requests

    req = requests.send_request(actor=actor_for(a.user), event=event, recipient=b)
    requests.accept_request(actor=actor_for(b.user), request=req)
    booking.book_meeting(actor=actor_for(staff), meeting=req.meeting, slot=event.slots.first(), table=4)
    session = event.sessions.get()
    with pytest.raises(ValidationError):
        event_services.set_tables(actor=actor_for(staff), session=session, tables=3)
    event_services.set_tables(actor=actor_for(staff), session=session, tables=4)
    session.refresh_from_db()
    assert session.tables == 4
