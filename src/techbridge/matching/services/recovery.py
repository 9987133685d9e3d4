"""Finding index work that a killed task worker dropped, and doing it again.

Why this exists: huey takes a task off the queue when a worker starts it, so a worker killed mid-task (SIGKILL,
out of memory, a host reboot) loses that task for good. Two pieces of matching work can be lost that way:

* an indexing task after a profile changed — no change-log row is written, so every running web process keeps
  the profile's old text (or a withdrawn profile) until it happens to rebuild;
* the staff "Rebuild the index" task — its Job stays "running" forever and the rebuild never ends.

Neither needs a record of its own to be found again. A profile whose `updated_at` is newer than every log row
that covers it (its own rows, a finished rebuild, or one running since before the change) is a change nobody
indexed; a rebuild Job still "running" when a consumer starts was left by a dead worker. Both repairs are
idempotent — indexing re-reads the profile and the rebuild skips vectors already stored — so a repair that
duplicates live work costs time, never correctness. A consumer runs both when it starts
(`tasks.recover_interrupted_work`), and the sweep also runs every 15 minutes to catch a change whose task was
never enqueued (a web process that died between its commit and the enqueue).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from techbridge.core.models import Job
from techbridge.exchange.models import Profile
from techbridge.matching.models import IndexChange
from techbridge.matching.services import index

#: How far back the sweep looks; shorter than index.PRUNE_AFTER, since older log rows are pruned.
SWEEP_WINDOW = timedelta(days=2)
#: Profiles indexed by one sweep; more are left to the next periodic one, so no task runs for hours. A kill loses
#: at most (workers x 1,000) profiles: one bulk-import chunk per worker.
SWEEP_LIMIT = 5000
SWEEP_CHUNK = 500
#: A rebuild "running" for longer than this is presumed dead: it no longer excuses the sweep.
REBUILD_TRUSTED = timedelta(hours=6)
#: Marks a rebuild Job (in its result while it runs) as one a new consumer may run again.
REBUILD_MARK = {"resumable": "matching.rebuild"}


def unindexed_profiles(*, before: datetime) -> list[int]:
    """Profiles changed before `before` (within SWEEP_WINDOW) after every log row covering them, oldest first."""
    since = before - SWEEP_WINDOW
    changed = list(Profile.objects.filter(updated_at__gte=since, updated_at__lt=before)
                   .order_by("updated_at", "pk").values_list("pk", "updated_at"))
    if not changed:
        return []
    rebuilds = [IndexChange.objects.filter(op=IndexChange.Op.REBUILD).aggregate(m=Max("created_at"))["m"],
                _running_rebuild_start()]
    rebuilt = max((m for m in rebuilds if m is not None), default=None)
    logged = dict(IndexChange.objects.filter(created_at__gte=since, profile_id__isnull=False)
                  .values("profile_id").annotate(last=Max("created_at")).order_by()
                  .values_list("profile_id", "last"))
    out = []
    for pk, updated_at in changed:
        marks = [m for m in (logged.get(pk), rebuilt) if m is not None]
        if not marks or max(marks) < updated_at:
            out.append(pk)
    return out


def _running_rebuild_start() -> datetime | None:
    """A rebuild running now reads every profile changed before it started (and tells every process to reload
    when it ends): those changes are its work, not the sweep's."""
    since = timezone.now() - REBUILD_TRUSTED
    running = Job.objects.filter(state=Job.State.RUNNING, result__resumable=REBUILD_MARK["resumable"],
                                 started_at__gte=since)
    return running.aggregate(m=Max("started_at"))["m"]


def sweep_unindexed(*, before: datetime, limit: int = SWEEP_LIMIT) -> tuple[int, int]:
    """Index up to `limit` changed-but-unindexed profiles; returns (indexed, still waiting)."""
    todo = unindexed_profiles(before=before)
    for start in range(0, min(len(todo), limit), SWEEP_CHUNK):
        index.index_profiles(profile_ids=todo[start:min(start + SWEEP_CHUNK, limit)])
    done = min(len(todo), limit)
    return done, len(todo) - done


def mark_rebuild_resumable(*, job_id: str) -> None:
    Job.objects.filter(pk=job_id).update(result=REBUILD_MARK)


def interrupted_rebuilds() -> list[str]:
    """Rebuild Jobs still marked running: called when a consumer starts, before it runs any task."""
    running = Job.objects.filter(state=Job.State.RUNNING, result__resumable=REBUILD_MARK["resumable"])
    return [str(pk) for pk in running.values_list("pk", flat=True)]
