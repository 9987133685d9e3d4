"""Background work of the events app: a scheduling run (tasks take ids and call services)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from techbridge.core.jobs import run_job


@db_task()
def schedule_event_task(*, job_id: str, run_id: int, time_limit: float) -> None:
    from techbridge.events.models import ScheduleRun
    from techbridge.events.services import scheduling

    run = ScheduleRun.objects.select_related("event").get(pk=run_id)

    def work(progress):
        try:
            report = scheduling.run_schedule(run=run, time_limit=time_limit, progress=progress)
        except Exception as exc:
            scheduling.fail_run(run_id=run_id, message=f"{type(exc).__name__}: {exc}")
            raise
        return {"result": {**report, "next_url": report["event_url"]},
                "message": f"{report['scheduled']} scheduled, {report['unscheduled_count']} unscheduled "
                           f"({report['ratio']:.1%} of the upper bound)"}

    run_job(job_id, work)
