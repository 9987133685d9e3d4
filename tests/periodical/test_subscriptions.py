"""Double opt-in with expiring links, rate limits, preferences, one-click unsubscribe, export and erasure."""

from __future__ import annotations

import json
import re
import time

import pytest
from django.conf import settings
from django.core import mail, signing
from django.test import Client

from techbridge.periodical import tokens
from techbridge.periodical.models import OutboxMessage, Subscriber
from techbridge.periodical.services import mailings, subscriptions
from tests import factories

pytestmark = pytest.mark.django_db


def _subscribe(client, email="new@example.org", **extra):
    data = {"email": email, "language": "en", "topics": ["policy"], "countries": ["TH"], **extra}
    return client.post("/tech-monitor/subscribe/", data)


def _path(url: str) -> str:
    return url.replace(settings.SITE_URL, "")


def _link(message, name: str) -> str:
    return re.search(r"https?://[^/\s]+(/tech-monitor/" + name + r"/\S+/)", message.body).group(1)


def test_subscribe_stays_pending_until_the_mailed_link_is_confirmed(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _subscribe(client)
    assert response.status_code == 302
    subscriber = Subscriber.objects.get(email="new@example.org")
    assert subscriber.status == Subscriber.Status.PENDING and subscriber.topics == ["policy"]
    assert mailings.audience_ids(audience={}) == []
    link = _link(mail.outbox[0], "subscribe/confirm")
    page = client.get(link)  # a mail scanner opening the link confirms nothing
    assert page.status_code == 200 and b'id="confirm"' in page.content
    assert Subscriber.objects.get(pk=subscriber.pk).status == Subscriber.Status.PENDING
    assert client.post(link).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE and subscriber.confirmed_at is not None
    assert mailings.audience_ids(audience={}) == [subscriber.pk]


def test_confirmation_link_expires(client, monkeypatch):
    subscriber = factories.SubscriberFactory(status=Subscriber.Status.PENDING, confirmed_at=None)
    issued = time.time() - tokens.confirm_max_age() - 60
    monkeypatch.setattr(signing.time, "time", lambda: issued)
    old_link = _path(tokens.confirm_url(subscriber))
    monkeypatch.undo()
    response = client.post(old_link)
    assert response.status_code == 410
    assert Subscriber.objects.get(pk=subscriber.pk).status == Subscriber.Status.PENDING
    fresh = _path(tokens.confirm_url(subscriber))
    assert client.post(fresh).status_code == 200


def test_tampered_or_foreign_links_are_refused(client):
    subscriber = factories.SubscriberFactory()
    token = tokens.make(subscriber=subscriber, salt=tokens.UNSUBSCRIBE_SALT)
    assert client.get(f"/tech-monitor/subscription/{token}/").status_code == 404  # unsubscribe token ≠ manage
    assert client.post(f"/tech-monitor/unsubscribe/{token[:-2]}xx/").status_code == 404
    assert Subscriber.objects.get(pk=subscriber.pk).status == Subscriber.Status.ACTIVE


def test_subscribing_an_active_address_changes_nothing_and_mails_the_manage_link(
        client, django_capture_on_commit_callbacks):
    subscriber = factories.SubscriberFactory(email="known@example.org", topics=["market"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _subscribe(client, email="Known@Example.org", topics=["policy"])
    assert response.status_code == 302  # same answer as for a new address: no enumeration
    subscriber.refresh_from_db()
    assert subscriber.topics == ["market"] and subscriber.status == Subscriber.Status.ACTIVE
    assert "/tech-monitor/subscription/" in mail.outbox[0].body


def test_subscription_requests_are_rate_limited_per_address_and_per_ip(client, settings):
    settings.TECHBRIDGE_SUBSCRIBE_RATE_ADDRESS = (2, 3600)
    settings.TECHBRIDGE_SUBSCRIBE_RATE_IP = (3, 3600)
    assert _subscribe(client, email="same@example.org").status_code == 302
    assert _subscribe(client, email="same@example.org").status_code == 302
    assert _subscribe(client, email="same@example.org").status_code == 429
    assert _subscribe(client, email="other@example.org").status_code == 429  # 4th request from this address
    other_ip = Client(REMOTE_ADDR="192.0.2.7")
    assert _subscribe(other_ip, email="third@example.org").status_code == 302


def test_subscribe_form_rejects_bad_input_with_422(client):
    response = _subscribe(client, email="not-an-address")
    assert response.status_code == 422 and b'data-field="email"' in response.content
    assert not Subscriber.objects.exists()


def test_one_click_unsubscribe_works_without_csrf_token():
    subscriber = factories.SubscriberFactory()
    waiting = OutboxMessage.objects.create(mailing=factories.MailingFactory(), subscriber=subscriber,
                                           email=subscriber.email)
    client = Client(enforce_csrf_checks=True)
    path = _path(tokens.unsubscribe_url(subscriber))
    response = client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED and subscriber.unsubscribed_at
    assert OutboxMessage.objects.get(pk=waiting.pk).state == OutboxMessage.State.SKIPPED


def test_unsubscribe_page_get_only_shows_the_button(client):
    subscriber = factories.SubscriberFactory()
    response = client.get(_path(tokens.unsubscribe_url(subscriber)))
    assert response.status_code == 200 and b'id="unsubscribe"' in response.content
    assert Subscriber.objects.get(pk=subscriber.pk).status == Subscriber.Status.ACTIVE


def test_confirming_after_unsubscribing_does_not_resubscribe(client):
    subscriber = factories.SubscriberFactory(status=Subscriber.Status.PENDING, confirmed_at=None)
    link = _path(tokens.confirm_url(subscriber))
    subscriptions.unsubscribe(subscriber=subscriber, method="page")
    assert client.post(link).status_code == 404
    assert Subscriber.objects.get(pk=subscriber.pk).status == Subscriber.Status.UNSUBSCRIBED


def test_manage_link_updates_preferences(client):
    subscriber = factories.SubscriberFactory(topics=["policy"])
    path = _path(tokens.manage_url(subscriber))
    response = client.post(path, {"name": "Ana", "language": "fr", "topics": ["market", "transfer"],
                                  "country": "PH", "countries": ["VN"]})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert (subscriber.name, subscriber.language, subscriber.topics, subscriber.country_id, subscriber.countries) == (
        "Ana", "fr", ["market", "transfer"], "PH", ["VN"])
    bad = client.post(path, {"language": "xx"})
    assert bad.status_code == 422


def test_export_gives_everything_stored_as_json(client):
    subscriber = factories.SubscriberFactory(email="me@example.org", name="Me", topics=["policy"])
    mailing = factories.MailingFactory(subject="Vol. 36 No. 2")
    OutboxMessage.objects.create(mailing=mailing, subscriber=subscriber, email=subscriber.email,
                                 state=OutboxMessage.State.SENT)
    token = tokens.make(subscriber=subscriber, salt=tokens.MANAGE_SALT)
    response = client.get(f"/tech-monitor/subscription/{token}/export.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["email"] == "me@example.org" and data["name"] == "Me" and data["topics"] == ["policy"]
    assert data["mailings"] == [{"mailing": "Vol. 36 No. 2", "state": "sent", "sent_at": None, "opened_at": None}]


def test_delete_erases_the_subscriber_and_kills_their_links(client):
    subscriber = factories.SubscriberFactory(email="gone@example.org")
    mailing = factories.MailingFactory()
    row = OutboxMessage.objects.create(mailing=mailing, subscriber=subscriber, email=subscriber.email,
                                       state=OutboxMessage.State.SENT)
    token = tokens.make(subscriber=subscriber, salt=tokens.MANAGE_SALT)
    assert client.get(f"/tech-monitor/subscription/{token}/delete/").status_code == 405
    assert client.post(f"/tech-monitor/subscription/{token}/delete/").status_code == 200
    assert not Subscriber.objects.filter(email="gone@example.org").exists()
    row.refresh_from_db()
    assert row.email == "" and row.subscriber is None and row.state == OutboxMessage.State.SENT
    assert client.get(f"/tech-monitor/subscription/{token}/").status_code == 404
    factories.SubscriberFactory(email="gone@example.org")  # same address again: the old link stays dead
    assert client.get(f"/tech-monitor/subscription/{token}/").status_code == 404
