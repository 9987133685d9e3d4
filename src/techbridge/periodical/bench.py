"""`techbridge bench outbox`: what the at-most-once outbox costs, against a plain send loop.

Why: the outbox commits a claim before every SMTP call and records the result after it (two committed UPDATEs per
copy). This measures `process_outbox` delivering N copies to a local SMTP server (aiosmtpd, 127.0.0.1) on a fresh
throwaway database, then a baseline that sends the same N messages over one connection and records them with one
UPDATE per copy afterwards (what a first version does — and what sends duplicates after a crash), and prints both.
The configured database is never touched.
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import time
from pathlib import Path

from django.db import connection


class _Sink:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup(*, recipients: int, tag: str):
    from techbridge.periodical.models import Mailing, OutboxMessage, Subscriber

    subscribers = Subscriber.objects.bulk_create([
        Subscriber(email=f"{tag}{n:06d}@bench.example", status=Subscriber.Status.ACTIVE, consented=True)
        for n in range(recipients)], batch_size=1000)
    mailing = Mailing.objects.create(subject=f"Benchmark {tag}", html_body="<p>Hello</p>", text_body="Hello\n",
                                     status=Mailing.Status.SENDING)
    OutboxMessage.objects.bulk_create([OutboxMessage(mailing=mailing, subscriber=s, email=s.email)
                                       for s in subscribers], batch_size=1000)
    return mailing


def baseline(*, mailing) -> int:
    """Send every copy on one connection, then mark it sent: fast, and a crash mid-run re-sends on restart."""
    from django.core.mail import get_connection
    from django.utils import timezone

    from techbridge.periodical.models import OutboxMessage
    from techbridge.periodical.services.mailings import build_message, new_message_id

    backend = get_connection(fail_silently=False)
    backend.open()
    sent = 0
    try:
        for row in OutboxMessage.objects.filter(mailing=mailing).select_related("subscriber").order_by("id"):
            message = build_message(mailing=mailing, subscriber=row.subscriber, outbox_id=row.pk,
                                    message_id=new_message_id(), connection=backend)
            sent += backend.send_messages([message])
            OutboxMessage.objects.filter(pk=row.pk).update(state=OutboxMessage.State.SENT, sent_at=timezone.now())
    finally:
        backend.close()
    return sent


def run(*, recipients: int, batch_size: int) -> int:
    from aiosmtpd.controller import Controller
    from django.test.utils import override_settings

    from techbridge.periodical.services import outbox

    sink, port = _Sink(), _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
                               EMAIL_PORT=port, EMAIL_USE_TLS=False, EMAIL_USE_SSL=False, EMAIL_HOST_USER="",
                               EMAIL_HOST_PASSWORD=""):
            fast = _setup(recipients=recipients, tag="outbox")
            started = time.perf_counter()
            result = outbox.process_outbox(mailing_id=fast.pk, batch_size=batch_size)
            outbox_seconds = time.perf_counter() - started
            received_outbox = sink.count
            plain = _setup(recipients=recipients, tag="plain")
            started = time.perf_counter()
            sent = baseline(mailing=plain)
            plain_seconds = time.perf_counter() - started
    finally:
        controller.stop()
    print(f"database: {connection.vendor}; {recipients:,} recipients; SMTP: aiosmtpd on 127.0.0.1")
    print(f"{'run':52} {'copies':>7} {'seconds':>8} {'copies/s':>9}")
    print(f"{'outbox (claim committed before each SMTP call)':52} {result.sent:>7,} {outbox_seconds:>8.2f} "
          f"{result.sent / outbox_seconds:>9,.0f}")
    print(f"{'baseline (send, then record; no claim)':52} {sent:>7,} {plain_seconds:>8.2f} "
          f"{sent / plain_seconds:>9,.0f}")
    print(f"outbox overhead: {100 * (outbox_seconds / plain_seconds - 1):+.0f}% time; "
          f"{recipients:,} copies take {outbox_seconds:.1f} s, i.e. a list of 1,587 subscribers in "
          f"{1587 * outbox_seconds / recipients:.1f} s")
    ok = result.sent == recipients == received_outbox and sent == recipients
    print(f"every copy delivered once: {'OK' if ok else 'WRONG'}")
    return 0 if ok else 1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="techbridge bench outbox", description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=50)
    options = parser.parse_args(argv)
    creation, settings_dict = connection.creation, connection.settings_dict
    folder = tempfile.mkdtemp(prefix="techbridge-bench-db-")
    if connection.vendor == "sqlite":
        settings_dict.setdefault("TEST", {})["NAME"] = str(Path(folder) / "bench.sqlite3")
    else:
        settings_dict.setdefault("TEST", {})["NAME"] = f"{settings_dict['NAME']}_bench_outbox"
    original = settings_dict["NAME"]
    print("creating a throwaway database (migrations) …", flush=True)
    creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        return run(recipients=options.recipients, batch_size=options.batch_size)
    finally:
        creation.destroy_test_db(original, verbosity=0)
