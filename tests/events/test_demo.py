import io

import pytest

from techbridge.core import demo as core_demo
from techbridge.events import demo
from techbridge.events.models import Event, Meeting, MeetingRequest, MeetingSeat, ScheduleRun

pytestmark = pytest.mark.django_db


def test_demo_delegations_make_67_participants_from_demo_organisations():
    core_demo.load(stdout=io.StringIO())
    people = demo._delegates()
    assert len(people) == 67 == len({user.pk for user, _org in people})
    assert {org.name for _user, org in people} == {name for name, *_rest in core_demo.ORGANISATIONS}
    assert all(user.memberships.filter(organisation=org).exists() for user, org in people)


def test_demo_loads_conference_with_a_valid_published_schedule_once(monkeypatch):
    monkeypatch.setattr(demo, "PARTICIPANTS", 30)  # the full 67 run the same code; 30 keep the suite fast
    out = io.StringIO()
    core_demo.load(stdout=out)
    demo.load(stdout=out)
    event = Event.objects.get(name=demo.NAME)
    assert event.registrations.filter(status="approved").count() == 30
    assert event.sessions.count() == 3 and event.slots.count() == 10 + 10 + 9
    accepted = MeetingRequest.objects.filter(event=event, status="accepted").count()
    scheduled = Meeting.objects.filter(event=event, slot__isnull=False)
    assert accepted >= 20 and scheduled.count() == accepted
    assert MeetingRequest.objects.filter(event=event, mutual=True, status="accepted").exists()
    assert MeetingSeat.objects.filter(meeting__event=event).count() == 2 * scheduled.count()
    assert scheduled.filter(published=True).count() == scheduled.count()
    assert scheduled.filter(attendance="held").exclude(outcome="").exists()
    assert MeetingRequest.objects.filter(event=event, created_at__year=2019).count() == \
        MeetingRequest.objects.filter(event=event).count()
    assert ScheduleRun.objects.get(event=event).report["ratio"] == 1.0
    assert not event.booking_open and not event.registration_open
    demo.load(stdout=out)
    assert Event.objects.filter(name=demo.NAME).count() == 1
    assert "already loaded" in out.getvalue()
