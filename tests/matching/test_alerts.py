"""Match alerts: digests with one-click unsubscribe, never the same match twice, saved searches."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail

from techbridge.matching.models import AlertDelivery, AlertSettings
from techbridge.matching.services import alerts, index
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_with_request(org_a, member_a):
    factories.request_profile(organisation=org_a, title="Rice husk removal machine",
                              summary="Small mills need a paddy dehusker.")
    factories.AlertSettingsFactory(user=member_a, frequency="daily", min_score=0.0)
    return member_a


def test_digest_sends_new_matches_once_with_unsubscribe_headers(owner_with_request, org_b,
                                                                django_capture_on_commit_callbacks):
    offer = factories.offer(organisation=org_b, title="Paddy dehusker with rubber rolls",
                            summary="Removes husks from paddy rice.")
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.send_due_digests(frequency="daily") == 1
        assert alerts.send_due_digests(frequency="daily") == 0  # nothing new: nothing sent
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Paddy dehusker with rubber rolls" in message.body and "dehusker" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].strip("<>") in message.body
    assert AlertDelivery.objects.filter(user=owner_with_request, match=offer).count() == 1

    second = factories.offer(organisation=org_b, title="Dehusker for paddy, small model",
                             summary="Paddy husk removal.")
    index.index_profiles(profile_ids=[second.pk])  # what the task run by the publish signal does
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.send_due_digests(frequency="daily") == 1
    assert "small model" in mail.outbox[1].body and "rubber rolls" not in mail.outbox[1].body
    assert AlertDelivery.objects.filter(match=second).count() == 1


def test_weekly_subscriber_is_not_mailed_by_the_daily_run(owner_with_request, org_b):
    AlertSettings.objects.filter(user=owner_with_request).update(frequency="weekly")
    factories.offer(organisation=org_b, title="Paddy dehusker", summary="Removes husks from paddy rice.")
    assert alerts.send_due_digests(frequency="daily") == 0
    assert alerts.send_due_digests(frequency="weekly") == 1


def test_one_click_unsubscribe_stops_alerts(owner_with_request, org_b, client):
    factories.offer(organisation=org_b, title="Paddy dehusker", summary="Removes husks from paddy rice.")
    url = alerts.unsubscribe_url(user=owner_with_request).replace(settings.SITE_URL, "")
    assert client.get(url).status_code == 200  # a confirmation page; link scanners do not unsubscribe
    assert AlertSettings.objects.get(user=owner_with_request).unsubscribed_at is None
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "no more match alerts" in response.content.decode()
    row = AlertSettings.objects.get(user=owner_with_request)
    assert row.frequency == "off" and row.unsubscribed_at is not None
    assert alerts.send_due_digests(frequency="daily") == 0
    assert client.post(url[:-6] + "XXXXX/").status_code == 400


def test_saved_search_alerts_on_new_offers_by_meaning_of_words(member_b, org_a, client_for):
    client = client_for(member_b)
    response = client.post("/matching/alerts/searches/", {"query": "dryer for cardamom and spices", "kind": "offer"})
    assert response.status_code == 302
    client.post("/matching/alerts/", {"settings-frequency": "immediate", "settings-profile_matches": "on",
                                      "settings-min_score": "0"})
    assert AlertSettings.objects.get(user=member_b).frequency == "immediate"
    factories.offer(organisation=org_a, title="Solar dryer for spices", summary="Dries cardamom evenly.")
    factories.request_profile(organisation=org_a, title="Spice dryer wanted", summary="We need a cardamom dryer.")
    assert alerts.send_due_digests(frequency="immediate") == 1
    assert alerts.send_due_digests(frequency="immediate") == 0
    assert list(AlertDelivery.objects.values_list("match__title", flat=True)) == ["Solar dryer for spices"]


def test_saved_search_form_errors_answer_422(member_b, client_for):
    response = client_for(member_b).post("/matching/alerts/searches/", {"query": "", "kind": "offer"})
    assert response.status_code == 422 and 'data-field="query"' in response.content.decode()
