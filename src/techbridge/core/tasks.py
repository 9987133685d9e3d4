"""Background tasks of the core app."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.core.mail import EmailMessage
from huey.contrib.djhuey import on_startup, task

_started: set[str] = set()
_started_lock = threading.Lock()


def on_consumer_start(func: Callable[[], object]) -> Callable[[], object]:
    """Run `func` once when a task consumer starts, before its workers take tasks.

    Huey calls startup hooks in every worker thread; recovery work (re-queueing what a killed worker left) must
    run once per consumer process, or each thread would queue it again.
    """
    name = f"{func.__module__}.{func.__qualname__}"

    @on_startup(name=name)
    def once() -> None:
        with _started_lock:
            if name in _started:
                return
            _started.add(name)
        func()

    return func


@task(retries=3, retry_delay=60)
def deliver_mail(*, to: str, subject: str, body: str, headers: dict) -> None:
    """Send one plain-text email; huey retries on SMTP failure."""
    EmailMessage(subject=subject, body=body, to=[to], headers=headers).send()


from techbridge.core.security.retention import purge_expired_task  # noqa: E402,F401 - registers the periodic task
