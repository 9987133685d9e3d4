"""Expressions of interest through the API: contacts hidden until accepted, audited, notified, rate-limited."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache

from techbridge.core.models import AuditEntry
from techbridge.matching.models import ExpressionOfInterest
from tests import factories

pytestmark = pytest.mark.django_db
API = "/api/v1/matching"
ANSWERS = {"message": "We mill 2 t of paddy a day.", "offer_or_seek": "We seek a dehusker.",
           "why_this": "Your capacity fits our mill.", "next_step": "A video call next week."}


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def offer(org_a):
    return factories.offer(organisation=org_a, title="Compact paddy dehusker", contact_email="karma@example.bt")


def _send(client, offer, **extra):
    return client.post(f"{API}/profiles/{offer.pk}/interests", {**ANSWERS, **extra}, content_type="application/json")


def test_contact_details_hidden_until_owner_accepts(offer, member_a, member_b, client_for,
                                                    django_capture_on_commit_callbacks):
    sender, owner = client_for(member_b), client_for(member_a)
    with django_capture_on_commit_callbacks(execute=True):
        sent = _send(sender, offer)
    assert sent.status_code == 201
    eoi = sent.json()
    assert eoi["status"] == "pending" and eoi["profile_contact"] is None
    assert sorted(m.to[0] for m in mail.outbox) == ["karma@example.bt", "member-a@techbridge.test"]
    assert sender.get(f"/api/v1/profiles/{offer.pk}").json()["contact_email"] is None
    as_owner = owner.get(f"{API}/interests/{eoi['id']}").json()
    assert as_owner["sender_contact"] is None and as_owner["why_this"] == ANSWERS["why_this"]
    assert "member-b@techbridge.test" not in owner.get(f"/matching/interests/{eoi['id']}/").content.decode()

    assert sender.post(f"{API}/interests/{eoi['id']}/accept", {}, content_type="application/json").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        accepted = owner.post(f"{API}/interests/{eoi['id']}/accept", {"note": "Welcome"},
                              content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["sender_contact"]["email"] == "member-b@techbridge.test"
    assert mail.outbox[-1].to == ["member-b@techbridge.test"] and "accepted" in mail.outbox[-1].subject
    assert sender.get(f"/api/v1/profiles/{offer.pk}").json()["contact_email"] == "karma@example.bt"
    assert sender.get(f"{API}/interests/{eoi['id']}").json()["profile_contact"]["email"] == "karma@example.bt"
    actions = list(AuditEntry.objects.filter(object_type="matching.expressionofinterest")
                   .values_list("action", flat=True))
    assert sorted(actions) == ["eoi_accept", "eoi_send"]


def test_declined_interest_keeps_contacts_hidden(offer, member_a, member_b, client_for):
    eoi = _send(client_for(member_b), offer).json()
    declined = client_for(member_a).post(f"{API}/interests/{eoi['id']}/decline", {}, content_type="application/json")
    assert declined.status_code == 200 and declined.json()["sender_contact"] is None
    assert client_for(member_b).get(f"/api/v1/profiles/{offer.pk}").json()["contact_email"] is None
    again = client_for(member_a).post(f"{API}/interests/{eoi['id']}/accept", {}, content_type="application/json")
    assert again.status_code == 422


def test_sender_related_profile_opens_to_owner_only_after_acceptance(offer, org_b, member_a, member_b, client_for):
    mine = factories.request_profile(organisation=org_b, title="Dehusker wanted", contact_email="pune@example.in")
    eoi = _send(client_for(member_b), offer, sender_profile=mine.pk).json()
    owner = client_for(member_a)
    assert owner.get(f"/api/v1/profiles/{mine.pk}").json()["contact_email"] is None
    owner.post(f"{API}/interests/{eoi['id']}/accept", {}, content_type="application/json")
    assert owner.get(f"/api/v1/profiles/{mine.pk}").json()["contact_email"] == "pune@example.in"


def test_interest_refused_for_anonymous_own_profile_duplicates_and_bad_input(offer, member_a, member_b, client_for):
    assert _send(client_for(None), offer).status_code == 401
    assert _send(client_for(member_a), offer).status_code == 422  # own organisation
    assert _send(client_for(member_b), offer, why_this="").status_code == 422
    assert _send(client_for(member_b), offer).status_code == 201
    duplicate = _send(client_for(member_b), offer)
    assert duplicate.status_code == 422 and "already" in duplicate.json()["detail"]
    outsider = factories.MemberFactory(organisation=factories.OrganisationFactory(country_id="NP"))
    eoi_id = ExpressionOfInterest.objects.get().pk
    assert client_for(outsider).get(f"{API}/interests/{eoi_id}").status_code == 404
    assert client_for(outsider).post(f"{API}/interests/{eoi_id}/accept", {},
                                     content_type="application/json").status_code == 404


def test_interests_are_rate_limited_per_sender(org_a, member_b, client_for, settings):
    settings.TECHBRIDGE_EOI_PER_HOUR = 2
    offers = [factories.offer(organisation=org_a, title=f"Offer {n}") for n in range(3)]
    client = client_for(member_b)
    assert [_send(client, o).status_code for o in offers] == [201, 201, 422]
    assert ExpressionOfInterest.objects.count() == 2


def test_interest_lists_show_sent_and_received(offer, member_a, member_b, client_for):
    _send(client_for(member_b), offer)
    assert client_for(member_b).get(f"{API}/interests?box=sent").json()["count"] == 1
    assert client_for(member_b).get(f"{API}/interests").json()["count"] == 0
    assert client_for(member_a).get(f"{API}/interests").json()["count"] == 1
    page = client_for(member_a).get("/matching/interests/").content.decode()
    assert "Compact paddy dehusker" in page
