"""Long work with visible progress, the same code from the command line and from the web.

A service that may take long accepts `progress: Progress | None`. The CLI passes `cli_progress(...)` (a tqdm bar);
the web starts a Job with `start_job(...)`, whose task passes `job_progress(job_id)` so the job page can poll.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Protocol

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from techbridge.core.models import Job
from techbridge.core.permissions import Actor


class Progress(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


def no_progress(done: int, total: int, message: str = "") -> None:
    return None


def cli_progress(*, description: str, stream=None) -> Progress:
    """A tqdm progress bar on stderr (or `stream`) for management commands."""
    from tqdm import tqdm

    bar = None

    def update(done: int, total: int, message: str = "") -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=description, unit="row", file=stream, leave=True, mininterval=0.5)
        if total and bar.total != total:
            bar.total = total
        bar.n = done
        if message:
            bar.set_postfix_str(message[:60], refresh=False)
        bar.refresh()
        if total and done >= total:
            bar.close()

    return update


def start_job(*, actor: Actor, kind: str, task: Callable, params: dict) -> Job:
    """Create a queued Job and enqueue `task(job_id=…, **params)` once the surrounding transaction commits."""
    job = Job.objects.create(id=uuid.uuid4(), kind=kind, owner_id=actor.user_id, message="queued")
    transaction.on_commit(lambda: task(job_id=str(job.pk), **params))
    return job


def job_progress(job_id: str, *, min_interval: float = 0.5) -> Progress:
    """A Progress that writes to the Job row, at most every `min_interval` seconds (and at the end)."""
    last = 0.0

    def update(done: int, total: int, message: str = "") -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < min_interval and done < total:
            return
        last = now
        Job.objects.filter(pk=job_id).update(
            done=done, total=total, message=message[:500], state=Job.State.RUNNING
        )

    return update


def mark_running(job_id: str) -> None:
    Job.objects.filter(pk=job_id).update(
        state=Job.State.RUNNING, started_at=timezone.now(), message="running"
    )


def finish_job(
    job_id: str,
    *,
    result: dict | None = None,
    message: str = "",
    file_name: str = "",
    file_bytes: bytes | None = None,
    failed: bool = False,
) -> None:
    """Record the outcome; an optional file (an export, a report, an error list) becomes downloadable."""
    job = Job.objects.get(pk=job_id)
    job.state = Job.State.FAILED if failed else Job.State.DONE
    job.result = result or {}
    job.message = message[:500]
    job.finished_at = timezone.now()
    if file_bytes is not None:
        job.result_name = file_name
        job.result_file.save(file_name, ContentFile(file_bytes), save=False)
    job.save()


def run_job(job_id: str, work: Callable[[Progress], dict]) -> None:
    """Run `work(progress)` for a job task: marks running, stores its returned dict, or the failure message.

    `work` may return {"result": {...}, "message": str, "file_name": str, "file_bytes": bytes, "failed": bool}.
    """
    mark_running(job_id)
    try:
        outcome = work(job_progress(job_id)) or {}
    except Exception as exc:  # noqa: BLE001 - the job page must show any failure, and the worker must go on
        finish_job(job_id, message=f"{type(exc).__name__}: {exc}", failed=True)
        raise
    finish_job(
        job_id,
        result=outcome.get("result"),
        message=outcome.get("message", "done"),
        file_name=outcome.get("file_name", ""),
        file_bytes=outcome.get("file_bytes"),
        failed=outcome.get("failed", False),
    )
