"""Behaviour of the pure-Python matching engine: ranking, filtering, explanations, fallback."""

from __future__ import annotations

import numpy as np

from techbridge.matching.engine import MatchingEngine, load_encoder, unavailable_reason
from techbridge.matching.engine.structure import structured_fit

OFFERS = {
    "solar-dryer": {
        "title": "Solar dryer for fruit and vegetables",
        "summary": "A low-cost solar dryer that preserves mango, chilli and vegetables.",
        "description": "<p>Our <b>solar dryer</b> uses a black absorber and natural convection.</p>"
                       "<p>It dries mango slices in two days and keeps vitamins.</p>",
        "keywords": "food processing, drying",
        "kind": "technology_offer", "country": "IN", "sectors": ["1030"], "trl": 8,
    },
    "water-filter": {
        "title": "Ceramic water filter",
        "summary": "Household ceramic filter removing bacteria from drinking water.",
        "description": "Silver-coated ceramic pots filter drinking water for rural households.",
        "keywords": "water, sanitation",
        "kind": "technology_offer", "country": "KH", "sectors": ["3600"], "trl": 9,
    },
    "rice-dryer": {
        "title": "Biomass rice dryer",
        "summary": "Dryer for paddy rice fired with rice husk.",
        "description": "A flat-bed dryer for paddy, burning husk, for cooperatives drying rice after harvest.",
        "keywords": "agriculture, drying",
        "kind": "technology_offer", "country": "VN", "sectors": ["0161"], "trl": 7,
    },
    "old-dryer": {
        "title": "Solar fruit dryer (expired offer)",
        "summary": "Solar drying cabinet for mango and fruit.",
        "description": "Solar dryer cabinet for mango, fruit and vegetables with natural convection.",
        "keywords": "food processing, drying",
        "kind": "technology_offer", "country": "TH", "sectors": ["1030"], "trl": 8, "expired": True,
    },
}

REQUEST = {
    "title": "Looking for a solar dryer for mango",
    "description": "Our cooperative needs a solar dryer to preserve mango and vegetables without fuel.",
    "kind": "technology_request", "sectors": ["1030"], "target_countries": ["IN", "TH"], "trl": 7,
}


def _engine() -> MatchingEngine:
    engine = MatchingEngine()
    for doc_id, fields in OFFERS.items():
        engine.add_or_update(doc_id=doc_id, fields=fields, vector=None)
    return engine


def _not_expired(doc_id: str, fields: dict):
    if fields.get("expired"):
        return None
    return structured_fit(query=REQUEST, candidate=fields)


def test_search_without_vectors_ranks_lexically_relevant_first():
    results = _engine().search(query_fields=REQUEST, k=10)
    assert results[0].doc_id in {"solar-dryer", "old-dryer"}
    assert "water-filter" not in [m.doc_id for m in results[:2]]
    assert all(0.0 <= m.score <= 1.0 for m in results)
    assert results == sorted(results, key=lambda m: -m.score)


def test_search_exclude_never_returns_excluded_ids():
    results = _engine().search(query_fields=REQUEST, k=10, exclude={"solar-dryer"})
    assert "solar-dryer" not in [m.doc_id for m in results]
    assert results  # the others are still found


def test_search_structured_callable_drops_expired_offer():
    results = _engine().search(query_fields=REQUEST, k=10, structured=_not_expired)
    ids = [m.doc_id for m in results]
    assert "old-dryer" not in ids
    assert ids[0] == "solar-dryer"


def test_search_structure_reasons_appear_in_explanation():
    top = _engine().search(query_fields=REQUEST, k=1)[0]
    text = " ".join(top.explanation)
    assert "Same sector (1030)" in text
    assert "structure" in top.components


def test_explanation_names_real_shared_terms():
    engine = _engine()
    top = engine.search(query_fields=REQUEST, k=1, structured=_not_expired)[0]
    assert top.matched_terms, "a lexical match must name its terms"
    candidate_text = " ".join(str(v) for v in OFFERS[top.doc_id].values()).lower()
    request_text = (REQUEST["title"] + " " + REQUEST["description"]).lower()
    for term in top.matched_terms:
        assert term in candidate_text and term in request_text
    assert "solar" in top.matched_terms and "dryer" in top.matched_terms
    assert any("Shares key terms" in s and "dryer" in s for s in top.explanation)
    assert top.passage and "<" not in top.passage  # HTML stripped from the quoted passage


def test_remove_and_update_change_results():
    engine = _engine()
    engine.remove(doc_id="solar-dryer")
    assert "solar-dryer" not in [m.doc_id for m in engine.search(query_fields=REQUEST, k=10)]
    engine.add_or_update(doc_id="water-filter", fields={**OFFERS["water-filter"],
                                                        "title": "Solar dryer for mango"}, vector=None)
    ids = [m.doc_id for m in engine.search(query_fields=REQUEST, k=10)]
    assert "water-filter" in ids[:2]


def test_fallback_without_encoder_still_matches():
    encoder = load_encoder(disabled=True)
    assert encoder is None
    assert "disabled" in unavailable_reason()
    results = _engine().search(query_fields=REQUEST, query_vector=None, k=3)
    assert results and "semantic" not in results[0].components


def test_search_with_vectors_uses_semantic_component():
    engine = MatchingEngine()
    rng = np.random.default_rng(0)
    base = rng.normal(size=(len(OFFERS), 16)).astype(np.float32)
    for i, (doc_id, fields) in enumerate(OFFERS.items()):
        engine.add_or_update(doc_id=doc_id, fields=fields, vector=base[i])
    # the query vector points at the water filter, the only offer without lexical overlap
    results = engine.search(query_fields={"title": "completely unrelated words"},
                            query_vector=base[1] + 0.01, k=4)
    assert results[0].doc_id == "water-filter"
    assert results[0].components["semantic"] > results[-1].components["semantic"]
    assert results[0].components["cosine"] > 0.99


def test_structured_fit_maturity_gap_lowers_score():
    offer = dict(OFFERS["solar-dryer"])
    good, reasons = structured_fit(query=REQUEST, candidate=offer)
    offer["trl"] = 3
    worse, _ = structured_fit(query=REQUEST, candidate=offer)
    assert 0.0 <= worse < good <= 1.0
    assert any("TRL" in r for r in reasons)


def test_structured_fit_wrong_kind_scores_zero():
    score, reasons = structured_fit(query=REQUEST, candidate={**OFFERS["solar-dryer"],
                                                              "kind": "technology_request"})
    assert score == 0.0
    assert any("does not complement" in r for r in reasons)


def test_search_without_explanations_keeps_order_and_scores():
    engine = _engine()
    explained = engine.search(query_fields=REQUEST, structured=_not_expired, k=10)
    plain = engine.search(query_fields=REQUEST, structured=_not_expired, k=10, explain=False)
    assert [m.doc_id for m in plain] == [m.doc_id for m in explained]
    assert [m.score for m in plain] == [m.score for m in explained]
    assert [m.components for m in plain] == [m.components for m in explained]
    assert explained[0].matched_terms and explained[0].explanation
    assert all(not m.matched_terms and not m.explanation and m.passage is None for m in plain)


def test_top_scores_match_a_full_stable_sort_with_ties():
    from techbridge.matching.engine.core import _top

    rng = np.random.default_rng(4)
    scores = rng.integers(0, 20, size=5000).astype(np.float32)  # many ties
    for n in (1, 10, 200, 4999, 5000, 6000):
        expected = np.argsort(-scores, kind="stable")[:n]
        assert _top(scores, n).tolist() == expected.tolist()
    assert _top(scores, 0).tolist() == []
    assert _top(np.zeros(0, dtype=np.float32), 5).tolist() == []
