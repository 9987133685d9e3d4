""""Schedule all" and incremental re-runs: the event's accepted meetings through the scheduler package.

The run reads the event into a `techbridge.events.scheduling` Instance, solves it, verifies the result with the
package's independent checker and writes it back, all while holding the event's slot rows locked, so a
participant booking a slot by hand waits for the run (and the run never overwrites a manual booking).
Published and locked meetings are passed as `locked_slot`/`locked_table`: they never move.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from techbridge.core import audit
from techbridge.core.jobs import Progress, no_progress, start_job
from techbridge.core.notify import notify
from techbridge.core.permissions import Actor, require
from techbridge.events import permissions as perms
from techbridge.events.models import Event, Meeting, MeetingSeat, Registration, ScheduleRun, Slot, Unavailability

MODES = {"all": gettext_lazy("re-optimise every meeting that is not locked or published"),
         "new": gettext_lazy("only place meetings that have no slot yet")}
DEFAULT_TIME_LIMIT = 10.0


def start_schedule(*, actor: Actor, event: Event, mode: str = "all", time_limit: float = DEFAULT_TIME_LIMIT):
    """Queue a scheduling run as a background job; returns the Job whose page shows progress and the report."""
    require(perms.can_manage(actor, event), _("You do not manage this event."))
    if mode not in MODES:
        raise ValidationError({"mode": [_("Unknown mode.")]})
    if not event.slots.exists():
        raise ValidationError({"event": [_("Add a session (and so its slots) before scheduling.")]})
    from techbridge.events.tasks import schedule_event_task

    with transaction.atomic():
        run = ScheduleRun.objects.create(event=event, mode=mode, started_by_id=actor.user_id)
        job = start_job(actor=actor, kind="events.schedule", task=schedule_event_task,
                        params={"run_id": run.pk, "time_limit": time_limit})
        run.job_id = job.pk
        run.save(update_fields=["job_id"])
        audit.record(actor=actor, action="schedule", obj=event, detail={"mode": mode, "run": run.pk})
    return job


def build_instance(*, event: Event, mode: str = "all"):
    """The event as a scheduling Instance, plus the meetings left out because a side is not approved.

    Ids are the database primary keys as strings. In mode "new" every meeting that already has a slot is
    passed as locked, so only meetings without one are placed.
    """
    from techbridge.events.scheduling.instance import Instance, Participant
    from techbridge.events.scheduling.instance import Meeting as SMeeting
    from techbridge.events.scheduling.instance import Slot as SSlot

    slots = list(Slot.objects.filter(event=event).select_related("session").order_by("starts_at"))
    meetings = list(Meeting.objects.filter(event=event, request__status="accepted").select_related(
        "request__requester", "request__recipient").order_by("pk"))
    left_out: dict[str, str] = {}
    kept: list[Meeting] = []
    for m in meetings:
        sides = (m.request.requester, m.request.recipient)
        if any(r.status != Registration.Status.APPROVED for r in sides):
            left_out[str(m.pk)] = _("a participant's registration is not approved")
        else:
            kept.append(m)
    reg_ids = sorted({r for m in kept for r in (m.request.requester_id, m.request.recipient_id)})
    regs = {r.pk: r for r in Registration.objects.filter(pk__in=reg_ids).select_related("event")}
    blocked: dict[int, set[str]] = {r: set() for r in reg_ids}
    for reg_id, slot_id in Unavailability.objects.filter(registration_id__in=reg_ids).values_list(
            "registration_id", "slot_id"):
        blocked[reg_id].add(str(slot_id))
    fixed_count: dict[int, int] = {r: 0 for r in reg_ids}
    out_meetings = []
    for m in kept:
        keep = m.scheduled and (m.fixed or mode == "new")
        if keep:
            for r in (m.request.requester_id, m.request.recipient_id):
                fixed_count[r] += 1
        out_meetings.append(SMeeting(
            id=str(m.pk), a=str(m.request.requester_id), b=str(m.request.recipient_id), priority=m.request.priority,
            locked_slot=str(m.slot_id) if keep else None, locked_table=m.table if keep else None))
    participants = []
    for reg_id in reg_ids:
        cap = regs[reg_id].meeting_cap()
        if cap is not None:
            cap = max(cap, fixed_count[reg_id])  # a lowered cap never unseats a published meeting
        participants.append(Participant(id=str(reg_id), unavailable=frozenset(blocked[reg_id]), max_meetings=cap))
    instance = Instance(
        slots=[SSlot(id=str(s.pk), start=s.starts_at, end=s.ends_at, session=str(s.session_id)) for s in slots],
        tables={str(s.pk): s.session.tables for s in slots},
        participants=participants, meetings=out_meetings)
    return instance, left_out


def run_schedule(*, run: ScheduleRun, time_limit: float = DEFAULT_TIME_LIMIT,
                 progress: Progress | None = None) -> dict:
    """Solve and write one run; returns (and stores on the run) the report the organiser's page shows."""
    from techbridge.events.scheduling.solver import check_schedule, schedule

    progress = progress or no_progress
    event = run.event
    with transaction.atomic():
        list(Slot.objects.select_for_update().filter(event=event).order_by("pk"))
        progress(0, 3, "reading the event")
        instance, left_out = build_instance(event=event, mode=run.mode)
        progress(1, 3, f"scheduling {len(instance.meetings)} meetings")
        result = schedule(instance=instance, time_limit=time_limit, seed=run.pk)
        violations = check_schedule(instance=instance, assignments=result.assignments)
        if violations:
            raise RuntimeError("the scheduler returned an invalid schedule: " + "; ".join(violations[:5]))
        progress(2, 3, "saving the schedule")
        fixed = {m.id for m in instance.meetings if m.locked_slot is not None}
        _write(event=event, assignments=[a for a in result.assignments if a.meeting not in fixed],
               movable=[int(m.id) for m in instance.meetings if m.id not in fixed])
        report = _report(event=event, result=result, left_out=left_out, fixed=len(fixed),
                         total=len(instance.meetings) + len(left_out))
        run.report = report
        run.state = ScheduleRun.State.DONE
        run.finished_at = timezone.now()
        run.save(update_fields=["report", "state", "finished_at"])
        audit.record(actor=None, action="scheduled", obj=event,
                     detail={k: report[k] for k in ("scheduled", "unscheduled_count", "weight", "upper_bound")})
    progress(3, 3, "done")
    return report


def _write(*, event: Event, assignments: list, movable: list[int]) -> None:
    """Replace the placement of every movable meeting: clear them all first so unique constraints hold."""
    MeetingSeat.objects.filter(meeting_id__in=movable).delete()
    Meeting.objects.filter(pk__in=movable).update(slot=None, table=None)
    by_id = {m.pk: m for m in Meeting.objects.filter(pk__in=[int(a.meeting) for a in assignments])
             .select_related("request")}
    changed, seats = [], []
    for a in assignments:
        m = by_id[int(a.meeting)]
        m.slot_id, m.table = int(a.slot), a.table
        changed.append(m)
        seats += [MeetingSeat(meeting=m, registration_id=m.request.requester_id, slot_id=m.slot_id),
                  MeetingSeat(meeting=m, registration_id=m.request.recipient_id, slot_id=m.slot_id)]
    Meeting.objects.bulk_update(changed, ["slot", "table"], batch_size=500)
    MeetingSeat.objects.bulk_create(seats, batch_size=1000)


def _report(*, event: Event, result, left_out: dict[str, str], fixed: int, total: int) -> dict:
    reasons = dict(result.unscheduled)
    reasons.update(left_out)
    names = {}
    for m in Meeting.objects.filter(pk__in=[int(k) for k in reasons]).select_related(
            "request__requester__user", "request__recipient__user", "request__requester__organisation",
            "request__recipient__organisation"):
        names[str(m.pk)] = (f"{m.request.requester.display_name} ({m.request.requester.organisation.name}) – "
                            f"{m.request.recipient.display_name} ({m.request.recipient.organisation.name})")
    return {
        "total": total,
        "scheduled": len(result.assignments),
        "fixed": fixed,
        "unscheduled_count": len(reasons),
        "unscheduled": [{"meeting": int(k), "pair": names.get(k, k), "reason": v} for k, v in sorted(
            reasons.items(), key=lambda kv: int(kv[0]))],
        "weight": result.weight,
        "upper_bound": result.upper_bound,
        "ratio": round(result.ratio, 4),
        "idle_gaps": result.idle_gaps,
        "seconds": round(result.seconds, 3),
        "method": result.method,
        "event_url": reverse("events:schedule", args=[event.pk]),
    }


def fail_run(*, run_id: int, message: str) -> None:
    ScheduleRun.objects.filter(pk=run_id).update(state=ScheduleRun.State.FAILED, finished_at=timezone.now(),
                                                 report={"error": message[:500]})


def publish_schedule(*, actor: Actor, event: Event) -> int:
    """Publish every scheduled meeting: participants are told, and later runs never move these meetings."""
    require(perms.can_manage(actor, event), _("You do not manage this event."))
    with transaction.atomic():
        count = Meeting.objects.filter(event=event, slot__isnull=False, published=False).update(published=True)
        event.schedule_published_at = timezone.now()
        event.save(update_fields=["schedule_published_at"])
        audit.record(actor=actor, action="publish_schedule", obj=event, detail={"meetings": count})
        people = Registration.objects.filter(seats__meeting__event=event).select_related("user").distinct()
        for reg in people:
            notify(recipients=[reg.user.email], subject=_("Your agenda for %(event)s") % {"event": event.name},
                   template="events/mail/agenda_published.txt", context={"event": event, "registration": reg})
    return count
