"""Fault run (issue #8): the task worker SIGKILLed in the middle of a mailing; a new worker must finish it.

What it does, on a throwaway database (a SQLite file in a temporary TECHBRIDGE_HOME, or the PostgreSQL database
named by `--database-url`, which is dropped and recreated), with a local SMTP server (aiosmtpd on 127.0.0.1 in
this process, the periodical tests' `SmtpSink`):
1. starts a real huey consumer (`techbridge run_huey`), creates N active subscribers and queues a mailing to all
   of them the way staff do (`queue_mailing`: the outbox rows, then the sending task after commit);
2. SIGKILLs the consumer half-way. `--kill-mode stall` (default) uses the outbox's test hook, as
   tests/periodical/test_outbox.py does, to stop the worker right after the SMTP server accepted copy N/2 and
   before the outbox recorded it — the worst moment; `--kill-mode progress` kills at whatever point the worker
   is when the server has received N/2 copies;
3. starts a new consumer and waits until the mailing is done;
4. checks: no address received two copies; every copy recorded "sent" was received exactly once; every other
   copy is "uncertain" (at most the ones in flight at the kill) — never silently lost, never left pending.
Prints a JSON summary; exit status 1 if a check failed.

`--stale-after` (default 30 s; production 600 s) is how long a copy may stay "sending" before the outbox reports
it uncertain (setting TECHBRIDGE_OUTBOX_STALE_AFTER); it bounds how long after the restart the mailing ends.

Usage:
    python bench/fault_worker_mailing.py [--recipients 2000] [--kill-mode stall|progress] [--stale-after 30]
        [--timeout 600] [--database-url postgres://user@host/throwaway_db]
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import time
from collections import Counter
from pathlib import Path

from fault_worker_common import (
    finish,
    kill,
    log_tail,
    machine_load,
    prepare_environment,
    setup_django,
    staff_actor,
    start_worker,
    stop,
    wait_started,
    wait_until,
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def queue(*, actor, recipients: int):
    from techbridge.periodical.models import Mailing, Subscriber
    from techbridge.periodical.services import mailings

    Subscriber.objects.bulk_create([
        Subscriber(email=f"reader{n:06d}@fault.example", status=Subscriber.Status.ACTIVE, consented=True)
        for n in range(recipients)], batch_size=1000)
    mailing = Mailing.objects.create(subject="Tech Monitor (fault run)", html_body="<p>Hello</p>",
                                     text_body="Hello\n", created_by=actor.user)
    mailings.queue_mailing(actor=actor, mailing=mailing)  # the sending task is enqueued at commit
    return mailing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=2000)
    parser.add_argument("--kill-mode", choices=["stall", "progress"], default="stall")
    parser.add_argument("--kill-at", type=float, default=0.5, help="fraction of copies received at the kill")
    parser.add_argument("--stale-after", type=float, default=30)
    parser.add_argument("--timeout", type=float, default=600, help="seconds each worker may take")
    parser.add_argument("--database-url", default="", help="a throwaway PostgreSQL database (recreated)")
    args = parser.parse_args()

    port = free_port()
    env = prepare_environment(tag="mailing", database_url=args.database_url, semantic=False, extra={
        "EMAIL_URL": f"smtp://127.0.0.1:{port}", "TECHBRIDGE_OUTBOX_STALE_AFTER": str(args.stale_after),
        "SITE_URL": "http://127.0.0.1:8000"})
    home = Path(env["TECHBRIDGE_HOME"])
    setup_django()
    from aiosmtpd.controller import Controller
    from django.db import connection
    from tests.periodical.conftest import SmtpSink

    from techbridge.periodical.models import Mailing, OutboxMessage
    from techbridge.periodical.services import outbox

    S = OutboxMessage.State
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    summary: dict = {"database": connection.vendor, "recipients": args.recipients, "kill_mode": args.kill_mode,
                     "stale_after": args.stale_after, "load_before": machine_load()}
    log1, log2 = home / "worker-1.log", home / "worker-2.log"
    try:
        marker = home / "stalled"
        first_env = dict(env)
        if args.kill_mode == "stall":
            first_env[outbox.STALL_ENV] = f"{max(1, int(args.recipients * args.kill_at))}:{marker}"
        worker = start_worker(env=first_env, log=log1)
        wait_started(proc=worker, log=log1)  # running, as in production, before staff press "send"
        mailing = queue(actor=staff_actor(), recipients=args.recipients)
        started = time.monotonic()
        if args.kill_mode == "stall":
            reached = wait_until(marker.exists, timeout=args.timeout, interval=0.02, alive=worker)
        else:
            reached = wait_until(lambda: len(sink.messages) >= args.recipients * args.kill_at,
                                 timeout=args.timeout, interval=0.02, alive=worker)
        if reached is None:
            stop(worker)
            summary.update(error="the first worker never reached the kill point", worker_log=log_tail(log1))
            print(json.dumps(summary, indent=1))
            return 1
        kill(worker)
        at_kill = outbox.counts(mailing_id=mailing.pk)
        in_flight = list(OutboxMessage.objects.filter(mailing=mailing, state=S.SENDING).values_list("email",
                                                                                                      flat=True))
        summary["kill"] = {"after_seconds": round(time.monotonic() - started, 1), "received": len(sink.messages),
                           "states": {k: v for k, v in at_kill.items() if v}, "in_flight": in_flight,
                           "in_flight_received": sum(len(sink.to(e)) for e in in_flight)}

        worker = start_worker(env=env, log=log2)
        started = time.monotonic()
        drained = wait_until(lambda: not OutboxMessage.objects.filter(mailing=mailing, state=S.PENDING).exists(),
                             timeout=args.timeout, interval=0.5, alive=worker)
        took = wait_until(lambda: Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE,
                          timeout=args.timeout, interval=0.5, alive=worker)
        took = None if took is None or drained is None else drained + took
        stop(worker)
    finally:
        controller.stop()

    states = outbox.counts(mailing_id=mailing.pk)
    rows = list(OutboxMessage.objects.filter(mailing=mailing).values_list("email", "state", "message_id"))
    received = Counter(r for rcpts, _m in sink.messages for r in rcpts)
    by_message_id = {str(m["Message-ID"]): rcpts for rcpts, m in sink.messages}
    duplicates = sorted(e for e, n in received.items() if n > 1)
    sent_not_received = [e for e, state, _mid in rows if state == S.SENT and received[e] != 1]
    uncertain = [(e, mid) for e, state, mid in rows if state == S.UNCERTAIN]
    open_rows = [e for e, state, _mid in rows if state not in {S.SENT, S.UNCERTAIN}]
    strangers = sorted(set(received) - {e for e, _s, _m in rows})
    summary["recovery"] = {"completed": took is not None,
                           "rest_sent_seconds": round(drained, 1) if drained is not None else None,
                           "done_seconds": round(took, 1) if took is not None else None}
    summary["checks"] = {
        "states": {k: v for k, v in states.items() if v}, "received_copies": sum(received.values()),
        "addresses_received": len(received), "duplicates": len(duplicates), "duplicate_examples": duplicates[:5],
        "sent_but_not_received_once": len(sent_not_received), "not_sent_nor_uncertain": len(open_rows),
        "unknown_recipients": len(strangers),
        "uncertain": [{"email": e, "received": received[e], "message_id_matches": by_message_id.get(mid) == [e]}
                      for e, mid in uncertain]}
    summary["load_after"] = machine_load()
    ok = (took is not None and not duplicates and not sent_not_received and not open_rows and not strangers
          and len(uncertain) <= len(summary["kill"]["in_flight"])
          and states[S.SENT] + states[S.UNCERTAIN] == args.recipients)
    return finish(summary=summary, ok=ok, logs=(log1, log2), home=home)


if __name__ == "__main__":
    sys.exit(main())
