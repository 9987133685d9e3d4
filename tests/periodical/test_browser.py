"""In Chromium: subscribe, confirm from the mail the SMTP server received, get a mailing, unsubscribe in one click."""

from __future__ import annotations

import re

import pytest

from techbridge.core.permissions import actor_for
from techbridge.periodical.models import Subscriber
from techbridge.periodical.services import mailings
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _url_in(sink, address: str, fragment: str) -> str:
    for message in reversed(sink.to(address)):
        found = re.search(r"https?://\S*" + re.escape(fragment) + r"\S*", sink.text_of(message))
        if found:
            return found.group(0)
    raise AssertionError(f"no {fragment} link mailed to {address}")


def test_reader_subscribes_confirms_receives_and_unsubscribes(page, live_server, smtp_sink, settings, staff):
    settings.SITE_URL = live_server.url
    issue = factories.IssueFactory(theme="Promotion of technology-based startups")
    factories.ArticleFactory(issue=issue, title="Incubators that work")

    page.goto("/tech-monitor/subscribe/")
    page.fill("#id_email", "reader@example.org")
    page.check("input[name=topics][value=market]")
    page.click("#subscribe-form button[type=submit]")
    page.wait_for_selector("#message-title")
    assert "Check your inbox" in page.inner_text("#message-title")

    page.goto(_url_in(smtp_sink, "reader@example.org", "/tech-monitor/subscribe/confirm/"))
    page.click("#confirm")
    page.wait_for_selector("#message-title")
    assert "You are subscribed" in page.inner_text("#message-title")
    assert Subscriber.objects.get(email="reader@example.org").status == Subscriber.Status.ACTIVE

    mailing = mailings.compose_from_issue(actor=actor_for(staff), issue=issue)
    mailings.queue_mailing(actor=actor_for(staff), mailing=mailing)
    received = [m for m in smtp_sink.to("reader@example.org") if "Tech Monitor, Vol." in str(m["Subject"])]
    assert len(received) == 1 and "Incubators that work" in smtp_sink.text_of(received[0])
    assert str(received[0]["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"

    page.goto(_url_in(smtp_sink, "reader@example.org", "/tech-monitor/unsubscribe/"))
    page.click("#unsubscribe")
    page.wait_for_selector("#message-title")
    assert "You are unsubscribed" in page.inner_text("#message-title")
    assert Subscriber.objects.get(email="reader@example.org").status == Subscriber.Status.UNSUBSCRIBED
    assert page.js_errors == []
