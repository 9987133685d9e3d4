"""Delivering a mailing: the outbox, processed in batches, with at most one copy per recipient.

Why this design: an SMTP server accepts a message the moment it answers the DATA command; if the worker dies after
that but before it records the fact, a naive retry sends a second copy. So every row moves through a state machine
whose transitions are conditional UPDATEs, each committed on its own before the next step:

    pending --claim (commit)--> sending --SMTP accepted--> sent
                                        --SMTP refused (4xx)--> pending (retry later) / failed (5xx or too many)
                                        --anything else------> uncertain

A row is claimed (state "sending", a fresh claim token and its Message-ID) in its own committed transaction
*before* the SMTP call. No code path ever sends a row that is not "pending", so a row left in "sending" by a killed
worker is never sent again: after `stale_after` seconds it is reported as "uncertain", and staff decide (the
Message-ID lets them look it up in the mail server's log) whether to send it again or mark it sent. The cost is
that a crash may lose one copy instead of duplicating it — the right trade for a newsletter.

Connection failures before a row is claimed leave it "pending" (nothing was sent), and the task is retried.
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count, F, Min
from django.utils import timezone

from techbridge.core import audit
from techbridge.core.jobs import Progress, no_progress
from techbridge.periodical.models import Mailing, OutboxMessage, Subscriber
from techbridge.periodical.services.mailings import build_message, new_message_id

S = OutboxMessage.State
#: Seconds after which a row still "sending" is reported as uncertain (an SMTP call times out long before);
#: setting TECHBRIDGE_OUTBOX_STALE_AFTER overrides it.
STALE_AFTER = 600
MAX_ATTEMPTS = 4
RETRY_DELAYS = [60, 300, 1800]
#: Test hook "N:/path": after the N-th accepted message, write the row id to /path and stall before recording it,
#: so a test can kill the worker exactly between sending and recording.
STALL_ENV = "TECHBRIDGE_TEST_STALL_AFTER_SEND"


@dataclass
class RunResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    uncertain: int = 0
    marked_stale: int = 0
    remaining: int = 0
    errors: list[str] = field(default_factory=list)


def _require_autocommit() -> None:
    if not transaction.get_autocommit():
        raise RuntimeError("The outbox must run outside a transaction: each claim has to be committed before the "
                           "SMTP call, or a crash could send a copy twice.")


def stale_after_seconds() -> float:
    return float(getattr(settings, "TECHBRIDGE_OUTBOX_STALE_AFTER", STALE_AFTER))


def mark_stale(*, mailing_id: int, stale_after: float | None = None) -> int:
    """Report rows a dead worker left in "sending" as uncertain; they are never sent again automatically."""
    stale_after = stale_after_seconds() if stale_after is None else stale_after
    cutoff = timezone.now() - timedelta(seconds=stale_after)
    return OutboxMessage.objects.filter(mailing_id=mailing_id, state=S.SENDING, claimed_at__lte=cutoff).update(
        state=S.UNCERTAIN, last_error="The worker stopped after claiming this copy; it may or may not have been "
                                      "delivered. Check the mail log for its Message-ID, then decide.")


def _stall_hook(sent_in_process: int, row_id: int) -> None:
    spec = os.environ.get(STALL_ENV, "")
    if not spec:
        return
    count, _sep, path = spec.partition(":")
    if count.isdigit() and sent_in_process == int(count):
        with open(path, "w") as marker:
            marker.write(str(row_id))
        time.sleep(120)


def _retry_or_fail(*, row_id: int, token: str, attempts: int, code: int, error: str) -> str:
    """A refused message was not delivered, so it may be tried again: 4xx later, 5xx never."""
    if 400 <= code < 500 and attempts < MAX_ATTEMPTS:
        delay = RETRY_DELAYS[min(attempts - 1, len(RETRY_DELAYS) - 1)]
        OutboxMessage.objects.filter(pk=row_id, claim_token=token).update(
            state=S.PENDING, claim_token="", last_error=error[:500],
            next_attempt_at=timezone.now() + timedelta(seconds=delay))
        return "retried"
    OutboxMessage.objects.filter(pk=row_id, claim_token=token).update(state=S.FAILED, last_error=error[:500])
    return "failed"


def _refusal_code(exc: smtplib.SMTPException) -> int:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [value[0] for value in exc.recipients.values()]
        return min(codes) if codes else 550
    return int(getattr(exc, "smtp_code", 550) or 550)


class _Connection:
    """One SMTP connection per batch, reopened after an error left it unusable."""

    def __init__(self):
        self.backend = None

    def get(self):
        if self.backend is None:
            self.backend = get_connection(fail_silently=False)
            self.backend.open()
        return self.backend

    def drop(self) -> None:
        if self.backend is not None:
            # A broken connection may fail to close; it is discarded anyway.
            with contextlib.suppress(Exception):
                self.backend.close()
        self.backend = None


def _deliver(*, row: OutboxMessage, mailing: Mailing, connection: _Connection, counter: list[int]) -> str:
    """Claim, send and record one row; returns its outcome ("sent", "retried", "failed", "skipped", ...)."""
    subscriber = row.subscriber
    if subscriber is None or subscriber.status != Subscriber.Status.ACTIVE:
        updated = OutboxMessage.objects.filter(pk=row.pk, state=S.PENDING).update(state=S.SKIPPED)
        return "skipped" if updated else "lost"
    backend = connection.get()  # before the claim: if the server is down, the row stays pending
    token = uuid.uuid4().hex
    message_id = new_message_id()
    claimed = OutboxMessage.objects.filter(pk=row.pk, state=S.PENDING).update(
        state=S.SENDING, claim_token=token, message_id=message_id, claimed_at=timezone.now(),
        attempts=F("attempts") + 1, email=subscriber.email)
    if not claimed:
        return "lost"  # another worker took it, or it was skipped meanwhile
    attempts = row.attempts + 1
    message = build_message(mailing=mailing, subscriber=subscriber, outbox_id=row.pk, message_id=message_id,
                            connection=backend)
    try:
        accepted = backend.send_messages([message])
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        connection.drop()
        return _retry_or_fail(row_id=row.pk, token=token, attempts=attempts, code=_refusal_code(exc),
                              error=f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # noqa: BLE001 - the server may have accepted it: never guess, report it
        connection.drop()
        OutboxMessage.objects.filter(pk=row.pk, claim_token=token).update(
            state=S.UNCERTAIN, last_error=f"{type(exc).__name__}: {exc}"[:500])
        return "uncertain"
    if not accepted:
        connection.drop()
        return _retry_or_fail(row_id=row.pk, token=token, attempts=attempts, code=451,
                              error="The mail backend did not accept the message.")
    counter[0] += 1
    _stall_hook(counter[0], row.pk)
    OutboxMessage.objects.filter(pk=row.pk, claim_token=token).update(state=S.SENT, sent_at=timezone.now(),
                                                                      last_error="")
    return "sent"


def counts(*, mailing_id: int) -> dict[str, int]:
    """Rows of a mailing per state (every state present, zeros included)."""
    found = dict.fromkeys(S.values, 0)
    rows = OutboxMessage.objects.filter(mailing_id=mailing_id).values("state").annotate(n=Count("id"))
    for row in rows.order_by():
        found[row["state"]] = row["n"]
    return found


def _report(progress: Progress, mailing_id: int) -> None:
    found = counts(mailing_id=mailing_id)
    total = sum(found.values())
    open_rows = found[S.PENDING] + found[S.SENDING]
    progress(total - open_rows, total, f"{found[S.SENT]} sent, {found[S.FAILED]} failed, "
                                       f"{found[S.UNCERTAIN]} uncertain")


def finish_if_complete(*, mailing_id: int) -> bool:
    """Mark the mailing sent once no row is waiting or being sent."""
    if OutboxMessage.objects.filter(mailing_id=mailing_id, state__in=[S.PENDING, S.SENDING]).exists():
        return False
    with transaction.atomic():
        updated = Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.SENDING).update(
            status=Mailing.Status.DONE, finished_at=timezone.now())
        if updated:
            mailing = Mailing.objects.get(pk=mailing_id)
            audit.record(actor=None, action="mailing_done", obj=mailing, from_state=Mailing.Status.SENDING,
                         to_state=Mailing.Status.DONE, detail=counts(mailing_id=mailing_id))
    return True


def process_outbox(*, mailing_id: int, batch_size: int = 50, stale_after: float | None = None,
                   progress: Progress | None = None, max_batches: int | None = None) -> RunResult:
    """Send every due row of a mailing, batch by batch, one SMTP connection per batch.

    Safe to run in several workers at once and to restart at any moment (see the module docstring).
    """
    _require_autocommit()
    progress = progress or no_progress
    result = RunResult(marked_stale=mark_stale(mailing_id=mailing_id, stale_after=stale_after))
    mailing = Mailing.objects.select_related("issue").get(pk=mailing_id)
    counter = [0]
    batches = 0
    _report(progress, mailing_id)
    while max_batches is None or batches < max_batches:
        rows = list(OutboxMessage.objects.filter(mailing_id=mailing_id, state=S.PENDING,
                                                 next_attempt_at__lte=timezone.now())
                    .select_related("subscriber").order_by("id")[:batch_size])
        if not rows:
            break
        batches += 1
        connection = _Connection()
        try:
            for row in rows:
                outcome = _deliver(row=row, mailing=mailing, connection=connection, counter=counter)
                if outcome in {"sent", "retried", "failed", "skipped", "uncertain"}:
                    setattr(result, outcome, getattr(result, outcome) + 1)
        finally:
            connection.drop()
        _report(progress, mailing_id)
    result.remaining = OutboxMessage.objects.filter(mailing_id=mailing_id, state=S.PENDING).count()
    finish_if_complete(mailing_id=mailing_id)
    return result


def next_retry_in(*, mailing_id: int) -> float | None:
    """Seconds until the earliest waiting row is due, or a row a dead worker left "sending" can be reported
    uncertain so the mailing can end (None: nothing waits)."""
    rows = OutboxMessage.objects.filter(mailing_id=mailing_id)
    due = rows.filter(state=S.PENDING).aggregate(t=Min("next_attempt_at"))["t"]
    claimed = rows.filter(state=S.SENDING).aggregate(t=Min("claimed_at"))["t"]
    if claimed is not None:
        stale_at = claimed + timedelta(seconds=stale_after_seconds())
        due = stale_at if due is None else min(due, stale_at)
    if due is None:
        return None
    return max(0.0, (due - timezone.now()).total_seconds())
