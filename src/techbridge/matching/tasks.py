"""Background work of the matching app: keeping the index current, rebuilding it, and alert digests."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from techbridge.core.jobs import run_job
from techbridge.core.tasks import on_consumer_start
from techbridge.matching.models import Frequency


@db_task(retries=2, retry_delay=30)
def index_profiles_task(*, profile_ids: list[int]) -> int:
    """Embed changed profiles and log the change so every process's in-memory index picks it up."""
    from techbridge.matching.services import index

    return index.index_profiles(profile_ids=list(profile_ids))


@db_task()
def reindex_job_task(*, job_id: str) -> None:
    """The staff "Rebuild the index" button, as a Job with progress."""
    from techbridge.matching.services import index, recovery

    recovery.mark_rebuild_resumable(job_id=job_id)  # a consumer started after a kill runs it again

    def work(progress):
        result = index.rebuild(progress=progress)
        return {"result": result, "message": f"{result['profiles']} profiles indexed, {result['embedded']} embedded"}

    run_job(job_id, work)


@db_task()
def send_digest_task(*, user_id: int) -> int:
    from techbridge.matching.services import alerts

    return alerts.send_digest(user_id=user_id)


def _enqueue_digests(frequency: str) -> int:
    from techbridge.matching.services import alerts

    users = alerts.due_users(frequency=frequency)
    for user_id in users:
        send_digest_task(user_id=user_id)
    return len(users)


@db_periodic_task(crontab(minute="*/5"))
def immediate_alerts() -> int:
    return _enqueue_digests(Frequency.IMMEDIATE)


@db_periodic_task(crontab(minute="0", hour="6"))
def daily_alerts() -> int:
    return _enqueue_digests(Frequency.DAILY)


@db_periodic_task(crontab(minute="0", hour="6", day_of_week="1"))
def weekly_alerts() -> int:
    return _enqueue_digests(Frequency.WEEKLY)


@db_periodic_task(crontab(minute="40", hour="3"))
def prune_index_log() -> int:
    from techbridge.matching.services import index

    return index.prune_log()


@db_task()
def sweep_index_task(*, before: str) -> int:
    """Index profiles changed before `before` whose indexing task was lost (see services/recovery.py)."""
    from techbridge.matching.services import recovery

    done, _waiting = recovery.sweep_unindexed(before=datetime.fromisoformat(before))
    return done


@db_periodic_task(crontab(minute="*/15"))
def sweep_index() -> None:
    """Catch changes whose task was never enqueued or died with its worker, without waiting for a restart."""
    sweep_index_task(before=timezone.now().isoformat())


@on_consumer_start
def recover_interrupted_work() -> int:
    """Queue again the rebuilds a dead worker left running, then a sweep; returns how many rebuilds.

    Called when a consumer starts, before its workers take any task: a rebuild Job still running then was left
    by a killed worker (with several consumers, a live one's rebuild runs twice: slower, still correct). The
    sweep is queued behind everything already waiting, so by the time it runs every change made before this
    start is either indexed or was lost with a dead worker's task.
    """
    from techbridge.matching.services import recovery

    jobs = recovery.interrupted_rebuilds()
    for job_id in jobs:
        reindex_job_task(job_id=job_id)
    sweep_index_task(before=timezone.now().isoformat())
    return len(jobs)
