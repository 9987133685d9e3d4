"""Mailings through the outbox against a real SMTP server, including a worker killed between send and record."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection

from techbridge.core.permissions import actor_for
from techbridge.periodical.models import Mailing, OutboxMessage, Subscriber
from techbridge.periodical.services import mailings, outbox
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
S = OutboxMessage.State


def _mailing(staff, *emails):
    for address in emails:
        factories.SubscriberFactory(email=address)
    mailing = factories.MailingFactory(created_by=staff)
    return mailing


def test_mailing_sends_one_copy_each_with_one_click_unsubscribe_headers(staff, smtp_sink, client):
    mailing = _mailing(staff, "a@example.org", "b@example.org")
    factories.SubscriberFactory(email="pending@example.org", status=Subscriber.Status.PENDING, confirmed_at=None)
    count = mailings.queue_mailing(actor=actor_for(staff), mailing=mailing)  # the task runs at commit (immediate)
    assert count == 2
    assert sorted(r for rcpts, _m in smtp_sink.messages for r in rcpts) == ["a@example.org", "b@example.org"]
    message = smtp_sink.to("a@example.org")[0]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert "/tech-monitor/unsubscribe/" in url
    assert message.get_body(preferencelist=("html",)) is not None
    row = OutboxMessage.objects.get(email="a@example.org")
    assert row.state == S.SENT and row.message_id == message["Message-ID"]
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE
    response = client.post(url.replace(settings.SITE_URL, ""), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscriber.objects.get(email="a@example.org").status == Subscriber.Status.UNSUBSCRIBED


def test_outbox_retries_temporary_refusal_and_fails_permanent_one(staff, smtp_sink):
    mailing = _mailing(staff, "ok@example.org", "refuse4@example.org", "reject5@example.org")
    mailings.queue_mailing(actor=actor_for(staff), mailing=mailing, dispatch=False)
    result = outbox.process_outbox(mailing_id=mailing.pk)
    assert (result.sent, result.retried, result.failed) == (1, 1, 1)
    states = dict(OutboxMessage.objects.values_list("email", "state"))
    assert states == {"ok@example.org": S.SENT, "refuse4@example.org": S.PENDING, "reject5@example.org": S.FAILED}
    waiting = OutboxMessage.objects.get(email="refuse4@example.org")
    assert waiting.attempts == 1 and "450" in waiting.last_error
    assert outbox.next_retry_in(mailing_id=mailing.pk) > 30
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.SENDING
    # Running again before the retry time sends nothing more.
    assert outbox.process_outbox(mailing_id=mailing.pk).sent == 0
    assert len(smtp_sink.messages) == 1


def test_outbox_never_resends_a_row_left_sending(staff, smtp_sink):
    mailing = _mailing(staff, "x@example.org", "y@example.org")
    mailings.queue_mailing(actor=actor_for(staff), mailing=mailing, dispatch=False)
    stuck = OutboxMessage.objects.get(email="x@example.org")
    OutboxMessage.objects.filter(pk=stuck.pk).update(state=S.SENDING, claim_token="dead",
                                                     claimed_at=stuck.next_attempt_at)
    outbox.process_outbox(mailing_id=mailing.pk)
    assert [r for rcpts, _m in smtp_sink.messages for r in rcpts] == ["y@example.org"]
    assert OutboxMessage.objects.get(pk=stuck.pk).state == S.SENDING  # recent: maybe still in flight elsewhere
    result = outbox.process_outbox(mailing_id=mailing.pk, stale_after=0)
    assert result.marked_stale == 1 and result.sent == 0
    assert OutboxMessage.objects.get(pk=stuck.pk).state == S.UNCERTAIN
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE


def test_consumer_start_resumes_a_mailing_and_ends_it_once_the_dead_workers_copy_is_stale(staff, smtp_sink,
                                                                                          settings):
    from datetime import timedelta

    from django.utils import timezone

    from techbridge.periodical import tasks

    settings.TECHBRIDGE_OUTBOX_STALE_AFTER = 30
    mailing = _mailing(staff, "s1@example.org", "s2@example.org")
    mailings.queue_mailing(actor=actor_for(staff), mailing=mailing, dispatch=False)  # its task died with a worker
    stuck = OutboxMessage.objects.get(email="s1@example.org")
    OutboxMessage.objects.filter(pk=stuck.pk).update(state=S.SENDING, claim_token="dead", claimed_at=timezone.now())
    assert tasks.requeue_sending_mailings() == 1  # what a new consumer does first; huey runs it at once in tests
    assert [r for rcpts, _m in smtp_sink.messages for r in rcpts] == ["s2@example.org"]
    assert 25 < outbox.next_retry_in(mailing_id=mailing.pk) <= 30  # the task looks again when it may be stale
    OutboxMessage.objects.filter(pk=stuck.pk).update(claimed_at=timezone.now() - timedelta(seconds=31))
    tasks.send_mailing_task(mailing.pk)
    assert OutboxMessage.objects.get(pk=stuck.pk).state == S.UNCERTAIN
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE
    assert len(smtp_sink.messages) == 1


def test_uncertain_copy_is_sent_again_only_when_staff_decide(staff, smtp_sink):
    mailing = _mailing(staff, "u@example.org")
    mailings.queue_mailing(actor=actor_for(staff), mailing=mailing, dispatch=False)
    row = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=row.pk).update(state=S.UNCERTAIN)
    mailings.resolve_uncertain(actor=actor_for(staff), row=row, decision="resend")  # dispatches the task
    assert len(smtp_sink.to("u@example.org")) == 1
    assert OutboxMessage.objects.get(pk=row.pk).state == S.SENT


def test_unsubscribing_during_a_mailing_skips_the_waiting_copy(staff, smtp_sink):
    mailing = _mailing(staff, "stay@example.org", "leave@example.org")
    mailings.queue_mailing(actor=actor_for(staff), mailing=mailing, dispatch=False)
    from techbridge.periodical.services import subscriptions

    subscriptions.unsubscribe(subscriber=Subscriber.objects.get(email="leave@example.org"), method="page")
    outbox.process_outbox(mailing_id=mailing.pk)
    assert smtp_sink.to("leave@example.org") == []
    assert OutboxMessage.objects.get(email="leave@example.org").state == S.SKIPPED


def test_outbox_refuses_to_run_inside_a_transaction(staff):
    from django.db import transaction

    mailing = factories.MailingFactory()
    with transaction.atomic(), pytest.raises(RuntimeError):
        outbox.process_outbox(mailing_id=mailing.pk)


def _worker_env(sink, tmp_path, **extra) -> dict:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "TECHBRIDGE_HOME": str(tmp_path / "worker"), "SITE_URL": settings.SITE_URL,
            "SECRET_KEY": settings.SECRET_KEY, "DEBUG": "0", **extra}


def _worker(mailing_id: int, *options: str) -> list[str]:
    return [sys.executable, "-m", "techbridge", "send-mailing", str(mailing_id), "--no-progress", *options]


def test_worker_killed_between_send_and_record_delivers_no_duplicate(staff, smtp_sink, tmp_path):
    """SIGKILL the worker right after the SMTP server accepted copy 2 but before it was recorded; restart it."""
    addresses = ["k1@example.org", "k2@example.org", "k3@example.org"]
    mailing = _mailing(staff, *addresses)
    mailings.queue_mailing(actor=actor_for(staff), mailing=mailing, dispatch=False)
    marker = tmp_path / "stalled"
    env = _worker_env(smtp_sink, tmp_path, **{outbox.STALL_ENV: f"2:{marker}"})
    proc = subprocess.Popen(_worker(mailing.pk), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), proc.communicate(timeout=5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    states = dict(OutboxMessage.objects.values_list("email", "state"))
    assert states == {"k1@example.org": S.SENT, "k2@example.org": S.SENDING, "k3@example.org": S.PENDING}
    assert len(smtp_sink.messages) == 2  # the second copy was accepted by the server, not recorded

    done = subprocess.run(_worker(mailing.pk, "--stale-after", "0"), env=_worker_env(smtp_sink, tmp_path),
                          capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr
    delivered = Counter(r for rcpts, _m in smtp_sink.messages for r in rcpts)
    assert delivered == Counter(addresses)  # every recipient exactly once
    states = dict(OutboxMessage.objects.values_list("email", "state"))
    assert states == {"k1@example.org": S.SENT, "k2@example.org": S.UNCERTAIN, "k3@example.org": S.SENT}
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE
    uncertain = OutboxMessage.objects.get(email="k2@example.org")
    assert uncertain.message_id == smtp_sink.to("k2@example.org")[0]["Message-ID"]


def test_staff_sends_from_the_web_and_sees_progress_and_failures(staff, smtp_sink, client_for):
    issue = factories.IssueFactory(theme="Promoting green technologies")
    factories.ArticleFactory(issue=issue, title="Green hydrogen in South Asia")
    factories.SubscriberFactory(email="reader@example.org")
    factories.SubscriberFactory(email="reject5@example.org")
    client = client_for(staff)
    response = client.post("/tech-monitor/staff/mailings/new/", {"issue": issue.pk})
    mailing = Mailing.objects.get()
    assert response.status_code == 302 and mailing.issue == issue
    assert "Green hydrogen in South Asia" in mailing.text_body
    assert client.get(f"/tech-monitor/staff/mailings/{mailing.pk}/preview/").status_code == 200
    client.post(f"/tech-monitor/staff/mailings/{mailing.pk}/test/", {"to": "editor@example.org"})
    test_copy = smtp_sink.to("editor@example.org")[0]
    assert test_copy["Subject"].startswith("[TEST]") and "List-Unsubscribe" not in test_copy
    client.post(f"/tech-monitor/staff/mailings/{mailing.pk}/send/")
    progress = client.get(f"/tech-monitor/staff/mailings/{mailing.pk}/progress/").content.decode()
    assert 'class="sent-count">1<' in progress
    assert "reject5@example.org" in progress and "550" in progress
    assert len(smtp_sink.to("reader@example.org")) == 1


def test_mailing_pages_are_staff_only(member_a, client_for):
    mailing = factories.MailingFactory()
    response = client_for(member_a).get(f"/tech-monitor/staff/mailings/{mailing.pk}/")
    assert response.status_code == 403
    assert client_for(None).get("/tech-monitor/staff/").status_code == 302
