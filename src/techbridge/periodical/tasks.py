"""Background work of the periodical: delivering mailings from the outbox, and picking up interrupted ones."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from techbridge.core.tasks import on_consumer_start
from techbridge.periodical.models import Mailing
from techbridge.periodical.services import outbox


@db_task(retries=5, retry_delay=60)
def send_mailing_task(mailing_id: int) -> dict:
    """Process a mailing's outbox; reschedule itself while refused copies wait for their retry time, or a copy
    a dead worker left "sending" waits to be reported uncertain (then the mailing ends)."""
    result = outbox.process_outbox(mailing_id=mailing_id)
    wait = outbox.next_retry_in(mailing_id=mailing_id)
    if wait is not None:
        send_mailing_task.schedule(args=(mailing_id,), delay=max(1, int(wait) + 1))
    return {"sent": result.sent, "failed": result.failed, "uncertain": result.uncertain, "remaining": result.remaining}


@db_periodic_task(crontab(minute="*/5"))
def resume_mailings() -> int:
    """Restart delivery of mailings whose worker died (a lost task never re-sends a claimed copy)."""
    ids = list(Mailing.objects.filter(status=Mailing.Status.SENDING).values_list("id", flat=True))
    for mailing_id in ids:
        outbox.process_outbox(mailing_id=mailing_id)
    return len(ids)


@on_consumer_start
def requeue_sending_mailings() -> int:
    """Queue the sending task of every mailing still being sent; returns how many.

    Called when a consumer starts: a worker killed mid-mailing took its task with it, and the periodic
    `resume_mailings` would only notice within 5 minutes. A duplicate of a task still queued is harmless: the
    outbox claims every copy before sending it.
    """
    ids = list(Mailing.objects.filter(status=Mailing.Status.SENDING).values_list("id", flat=True))
    for mailing_id in ids:
        send_mailing_task(mailing_id)
    return len(ids)
