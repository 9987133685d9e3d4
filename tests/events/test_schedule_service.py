import pytest
from django.core.exceptions import ValidationError

from techbridge.core.models import Job
from techbridge.core.permissions import actor_for
from techbridge.events.models import Meeting, MeetingSeat, ScheduleRun
from techbridge.events.scheduling.solver import check_schedule
from techbridge.events.services import booking, registrations, requests, scheduling
from tests import factories

pytestmark = pytest.mark.django_db


def _accepted(event, a, b):
    req = requests.send_request(actor=actor_for(a.user), event=event, recipient=b)
    requests.accept_request(actor=actor_for(b.user), request=req)
    return Meeting.objects.get(request=req)


def _run(staff, event, mode="all", callbacks=None):
    with callbacks(execute=True):
        job = scheduling.start_schedule(actor=actor_for(staff), event=event, mode=mode, time_limit=2)
    job.refresh_from_db()
    return job, ScheduleRun.objects.filter(event=event).first()


def _assert_seats_match(event):
    for m in Meeting.objects.filter(event=event):
        seats = set(MeetingSeat.objects.filter(meeting=m).values_list("registration_id", "slot_id"))
        expected = set() if m.slot_id is None else {(m.request.requester_id, m.slot_id),
                                                    (m.request.recipient_id, m.slot_id)}
        assert seats == expected


def test_schedule_all_places_every_meeting_validly_through_a_job(staff, django_capture_on_commit_callbacks):
    event = factories.event_with_slots(tables=2)  # 6 slots x 2 tables
    people = [factories.approved_participant(event=event) for _ in range(5)]
    for i, a in enumerate(people):
        for b in people[i + 1:]:
            _accepted(event, a, b)  # 10 meetings, each person in 4
    job, run = _run(staff, event, callbacks=django_capture_on_commit_callbacks)
    assert job.state == Job.State.DONE, job.message
    assert run.state == ScheduleRun.State.DONE
    assert run.report["scheduled"] == 10 and run.report["unscheduled"] == []
    assert run.report["ratio"] == 1.0 and run.report["upper_bound"] >= 10
    assert job.result["next_url"] == f"/events/{event.pk}/schedule/"
    _assert_seats_match(event)
    instance, _ = scheduling.build_instance(event=event)
    placed = [type("A", (), {"meeting": str(m.pk), "slot": str(m.slot_id), "table": m.table})
              for m in Meeting.objects.filter(event=event)]
    assert check_schedule(instance=instance, assignments=placed) == []


def test_locked_and_published_meetings_never_move_on_rerun(staff, django_capture_on_commit_callbacks):
    event = factories.event_with_slots(tables=3)
    people = [factories.approved_participant(event=event) for _ in range(6)]
    meetings = [_accepted(event, people[i], people[j]) for i, j in [(0, 1), (2, 3), (4, 5), (0, 2), (1, 3)]]
    last = event.slots.order_by("-starts_at").first()
    booking.book_meeting(actor=actor_for(staff), meeting=meetings[0], slot=last, table=3)
    _run(staff, event, callbacks=django_capture_on_commit_callbacks)
    scheduling.publish_schedule(actor=actor_for(staff), event=event)
    before = {m.pk: (m.slot_id, m.table) for m in Meeting.objects.filter(event=event)}
    assert before[meetings[0].pk] == (last.pk, 3)
    newcomer = _accepted(event, people[4], people[1])
    _, run = _run(staff, event, callbacks=django_capture_on_commit_callbacks)
    after = {m.pk: (m.slot_id, m.table) for m in Meeting.objects.filter(event=event)}
    assert {pk: after[pk] for pk in before} == before
    assert after[newcomer.pk][0] is not None
    assert run.report["fixed"] == 5
    _assert_seats_match(event)


def test_mode_new_keeps_draft_placements_and_reports_unschedulable(staff, django_capture_on_commit_callbacks):
    event = factories.event_with_slots(tables=5, slots_hours=1)  # 3 slots
    a, b, c = (factories.approved_participant(event=event) for _ in range(3))
    m_ab = _accepted(event, a, b)
    _run(staff, event, callbacks=django_capture_on_commit_callbacks)
    m_ab.refresh_from_db()
    placed = (m_ab.slot_id, m_ab.table)
    m_ac = _accepted(event, a, c)
    slots = list(event.slots.values_list("pk", flat=True))
    registrations.set_unavailable(actor=actor_for(c.user), registration=c, slot_ids=slots)
    _, run = _run(staff, event, mode="new", callbacks=django_capture_on_commit_callbacks)
    m_ab.refresh_from_db()
    assert (m_ab.slot_id, m_ab.table) == placed
    assert run.report["unscheduled"] == [{"meeting": m_ac.pk, "pair": run.report["unscheduled"][0]["pair"],
                                          "reason": run.report["unscheduled"][0]["reason"]}]
    assert "available" in run.report["unscheduled"][0]["reason"]
    assert run.report["ratio"] == 1.0  # the bound knows c cannot meet at all


def test_start_schedule_requires_organiser_and_slots(member_a):
    event = factories.EventFactory()
    event.organisers.add(member_a)
    with pytest.raises(ValidationError):
        scheduling.start_schedule(actor=actor_for(member_a), event=event)
    other = factories.event_with_slots()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        scheduling.start_schedule(actor=actor_for(member_a), event=other)


def test_publish_schedule_mails_every_scheduled_participant(staff, django_capture_on_commit_callbacks):
    from django.core import mail

    event = factories.event_with_slots()
    a, b, c = (factories.approved_participant(event=event) for _ in range(3))
    _accepted(event, a, b)
    _run(staff, event, callbacks=django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        count = scheduling.publish_schedule(actor=actor_for(staff), event=event)
    assert count == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.user.email, b.user.email])
    assert Meeting.objects.get().published
