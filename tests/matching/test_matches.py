"""Ranking through the platform: complementary sides, expiry, permissions, explanations, lexical fallback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from techbridge.core.permissions import actor_for
from techbridge.matching.services import index, matches
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(org_a, org_b):
    """A rice-husk request from A; offers from B (one relevant, one expired, one unrelated); another request."""
    need = factories.request_profile(organisation=org_a, title="Rice husk removal machine for small mills",
                                     summary="We need a machine that removes husks from paddy rice.",
                                     description="Small rice mills in Bhutan seek a compact dehusker for paddy.")
    good = factories.offer(organisation=org_b, title="Compact paddy dehusker with rubber rolls",
                           summary="A dehusker that separates rice husks from paddy grain.",
                           description="Rubber-roll husker for small rice mills, 500 kg of paddy per hour.")
    expired = factories.offer(organisation=org_b, title="Paddy dehusker, older model",
                              summary="Rice husk separation for paddy mills.",
                              description="Dehusker for paddy rice mills.",
                              expires_at=timezone.now() - timedelta(days=1))
    other = factories.offer(organisation=org_b, title="Solar photovoltaic water pump",
                            summary="Irrigation pump powered by solar panels.", description="Pumps water.")
    rival = factories.request_profile(organisation=org_b, title="Paddy dehusker wanted",
                                      summary="Another mill seeks a rice husk dehusker.")
    return {"need": need, "good": good, "expired": expired, "other": other, "rival": rival}


def test_matches_for_request_ranks_relevant_offer_first_and_skips_expired_and_same_side(market, member_a):
    found = matches.matches_for(actor=actor_for(member_a), profile=market["need"], k=10)
    ids = [m.profile.pk for m in found]
    assert ids[0] == market["good"].pk
    assert market["expired"].pk not in ids and market["rival"].pk not in ids and market["need"].pk not in ids
    assert all(m.profile.kind == "offer" for m in found)
    assert all(0.0 <= m.score <= 1.0 for m in found)


def test_matches_explanation_names_real_shared_terms(market, member_a):
    top = matches.matches_for(actor=actor_for(member_a), profile=market["need"], k=1)[0]
    assert {"dehusker", "paddy"} <= {t.lower() for t in top.matched_terms}
    assert any("dehusker" in line for line in top.explanation)


def test_matches_for_offer_returns_requests(market, member_b):
    found = matches.matches_for(actor=actor_for(member_b), profile=market["good"], k=10)
    assert [m.profile.pk for m in found] == [market["need"].pk]  # B's own request is excluded


def test_matches_refused_to_outsiders(market, member_b):
    with pytest.raises(PermissionDenied):
        matches.matches_for(actor=actor_for(member_b), profile=market["need"], k=5)


def test_lexical_fallback_without_semantic_extra_says_so(market, member_a, settings, client_for, monkeypatch):
    import techbridge.matching.engine.embedding as emb

    settings.TECHBRIDGE_SEMANTIC = True
    monkeypatch.setattr(emb, "available", lambda: False)  # as if torch / sentence-transformers were missing
    assert index.semantic_status()[0] is False
    found = matches.matches_for(actor=actor_for(member_a), profile=market["need"], k=3)
    assert found[0].profile.pk == market["good"].pk and "semantic" not in found[0].components
    html = client_for(member_a).get(f"/matching/profiles/{market['need'].pk}/").content.decode()
    assert "Semantic matching is not available here" in html and "Compact paddy dehusker" in html
