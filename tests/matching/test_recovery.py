"""A task worker killed mid-task loses that task: the recovery finds the index work again (services/recovery)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from techbridge.core.models import Job
from techbridge.exchange.models import Profile, Status
from techbridge.matching import tasks
from techbridge.matching.models import IndexChange
from techbridge.matching.services import index, recovery
from tests import factories

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the task can catch it, so the Job is left as the dead worker left it."""


def test_sweep_indexes_changes_whose_tasks_were_lost(org_b):
    edited = factories.offer(organisation=org_b, title="Solar dryer for mangoes")
    withdrawn = factories.offer(organisation=org_b, title="Biogas digester for dairy farms")
    index.index_profiles(profile_ids=[edited.pk, withdrawn.pk])
    now = timezone.now()
    IndexChange.objects.update(created_at=now - timedelta(seconds=10))  # indexed a while ago
    web = index.ProcessIndex()  # a web process that was running before the changes
    web.ensure_current()
    later = now - timedelta(seconds=5)
    # Both changes were committed, but their indexing tasks died with the worker: no change-log row.
    Profile.objects.filter(pk=edited.pk).update(title="Solar dryer for cassava chips", updated_at=later)
    Profile.objects.filter(pk=withdrawn.pk).update(status=Status.ARCHIVED, updated_at=later)
    web.ensure_current()
    assert web.engines[index.OFFERS].fields[str(edited.pk)]["title"] == "Solar dryer for mangoes"
    assert str(withdrawn.pk) in web.engines[index.OFFERS].fields

    before = timezone.now()
    assert recovery.unindexed_profiles(before=before) == sorted([edited.pk, withdrawn.pk])
    assert recovery.sweep_unindexed(before=before) == (2, 0)
    web.ensure_current()
    assert web.engines[index.OFFERS].fields[str(edited.pk)]["title"] == "Solar dryer for cassava chips"
    assert str(withdrawn.pk) not in web.engines[index.OFFERS].fields
    rows = IndexChange.objects.count()
    assert recovery.sweep_unindexed(before=before) == (0, 0)  # a second sweep finds nothing to redo
    assert IndexChange.objects.count() == rows


def test_sweep_leaves_logged_changes_and_later_ones_alone(org_b):
    logged = factories.offer(organisation=org_b, title="Rice husk furnace")
    index.index_profiles(profile_ids=[logged.pk])  # its task ran
    queued_at = timezone.now()
    newer = factories.offer(organisation=org_b, title="Cold storage for fishers")
    # Changed after the sweep was queued: its own task is still ahead in the queue, so it is not the sweep's.
    Profile.objects.filter(pk=newer.pk).update(updated_at=queued_at + timedelta(seconds=5))
    assert recovery.unindexed_profiles(before=queued_at + timedelta(seconds=1)) == []
    assert newer.pk in recovery.unindexed_profiles(before=queued_at + timedelta(seconds=10))
    running = Job.objects.create(id=uuid.uuid4(), kind="Rebuild", state=Job.State.RUNNING,
                                 result=recovery.REBUILD_MARK, started_at=queued_at + timedelta(seconds=6))
    assert recovery.unindexed_profiles(before=queued_at + timedelta(seconds=10)) == []  # the rebuild reads it
    Job.objects.filter(pk=running.pk).update(state=Job.State.DONE)
    index.rebuild()  # a finished rebuild covers every change made before it
    assert recovery.unindexed_profiles(before=timezone.now()) == []


def test_rebuild_left_running_by_a_killed_worker_is_run_again_at_startup(org_b, monkeypatch):
    factories.offer(organisation=org_b, title="Solar dryer")
    job = Job.objects.create(id=uuid.uuid4(), kind="Rebuild of the matching index")
    other = Job.objects.create(id=uuid.uuid4(), kind="annual-report-pdf", state=Job.State.RUNNING)

    def dies_half_way(*, progress=None, **kwargs):
        progress(1, 2, "half-way")
        raise WorkerKilled

    monkeypatch.setattr(index, "rebuild", dies_half_way)
    with pytest.raises(WorkerKilled):
        tasks.reindex_job_task(job_id=str(job.pk))  # huey runs tasks immediately in tests
    monkeypatch.undo()
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING and recovery.interrupted_rebuilds() == [str(job.pk)]

    assert tasks.recover_interrupted_work() == 1  # what a new consumer does before taking any task
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.result["profiles"] == 1
    assert IndexChange.objects.filter(op=IndexChange.Op.REBUILD).count() == 1
    assert Job.objects.get(pk=other.pk).state == Job.State.RUNNING  # not a rebuild: not ours to restart
    assert recovery.interrupted_rebuilds() == []
    assert tasks.recover_interrupted_work() == 0
