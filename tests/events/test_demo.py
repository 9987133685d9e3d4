import io

import pytest

from techbridge.core import demo as core_demo
from techbridge.events import demo
from techbridge.events.models import Event, Meeting, MeetingRequest, MeetingSeat, ScheduleRun

pytestmark = pytest.mark.django_db


def test_demo_loads_kunming_conference_with_a_valid_schedule_once():
    out = io.StringIO()
    core_demo.load(stdout=out)
    demo.load(stdout=out)
    event = Event.objects.get(name=demo.NAME)
    assert event.registrations.filter(status="approved").count() == 67
    assert event.sessions.count() == 3 and event.slots.count() == 10 + 10 + 9
    accepted = MeetingRequest.objects.filter(event=event, status="accepted").count()
    scheduled = Meeting.objects.filter(event=event, slot__isnull=False)
    assert accepted >= 60 and scheduled.count() == accepted
    assert MeetingSeat.objects.filter(meeting__event=event).count() == 2 * scheduled.count()
    assert scheduled.filter(published=True).count() == scheduled.count()
    assert scheduled.filter(attendance="held").exclude(outcome="").exists()
    run = ScheduleRun.objects.get(event=event)
    assert run.report["ratio"] == 1.0
    assert not event.booking_open and not event.registration_open
    assert "67 participants" in out.getvalue()
    demo.load(stdout=out)
    assert Event.objects.filter(name=demo.NAME).count() == 1
    assert "already loaded" in out.getvalue()
