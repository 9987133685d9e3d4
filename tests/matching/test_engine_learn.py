"""Learned fusion: the logistic fit, the weights it yields, their cross-validation, and the mixed semantic part."""

from __future__ import annotations

import numpy as np
import pytest

from techbridge.matching.engine import MatchingEngine
from techbridge.matching.engine.fusion import LEARNED_LEXICAL, LEARNED_MODES, FusionWeights, fuse
from techbridge.matching.engine.learn import (
    FEATURES,
    cross_validated_runs,
    fit_logistic,
    fit_weights,
    rerank,
    weights_from,
)
from techbridge.matching.engine.vectors import VectorIndex


def _sample(rng, n, coef, intercept):
    x = rng.uniform(size=(n, len(coef)))
    p = 1 / (1 + np.exp(-(x @ np.array(coef) + intercept)))
    return x, (rng.uniform(size=n) < p).astype(float)


def test_fit_logistic_recovers_the_generating_weights():
    x, y = _sample(np.random.default_rng(3), 20_000, [4.0, 1.0, 0.0], -2.5)
    coef, intercept = fit_logistic(features=x, labels=y, l2=0.0)
    assert coef == pytest.approx([4.0, 1.0, 0.0], abs=0.25)
    assert intercept == pytest.approx(-2.5, abs=0.25)


def test_fit_logistic_penalty_shrinks_coefficients():
    x, y = _sample(np.random.default_rng(4), 300, [3.0, -2.0], 0.0)
    free, _ = fit_logistic(features=x, labels=y, l2=0.0)
    shrunk, _ = fit_logistic(features=x, labels=y, l2=50.0)
    assert np.abs(shrunk).sum() < np.abs(free).sum()


def test_fit_logistic_rejects_mismatched_labels():
    with pytest.raises(ValueError, match="one label per sample"):
        fit_logistic(features=np.zeros((3, 2)), labels=np.zeros(2))


def test_weights_from_drops_negative_coefficients_and_sums_to_one():
    weights = weights_from(coefficients=np.array([3.0, -1.0, 1.0, 0.0]))
    assert weights == {"lexical": 0.75, "semantic_first": 0.0, "semantic_maxsim": 0.25, "semantic_qmean": 0.0}


def test_shipped_weights_sum_to_one():
    assert LEARNED_LEXICAL + sum(LEARNED_MODES.values()) == pytest.approx(1.0, abs=0.002)
    assert FusionWeights().semantic == pytest.approx(sum(LEARNED_MODES.values()))


def _rows(n_requests=10, rng_seed=0):
    """Requests whose relevant candidate is always the one best on feature 0 (lexical)."""
    rng = np.random.default_rng(rng_seed)
    rows, qrels = {}, {}
    for q in range(n_requests):
        feats = rng.uniform(size=(6, len(FEATURES)))
        qid = f"q{q}"
        rows[qid] = [(f"{qid}-d{i}", feats[i].tolist()) for i in range(6)]
        qrels[qid] = {f"{qid}-d{int(np.argmax(feats[:, 0]))}": 3}
    return rows, qrels


def test_fit_weights_learns_which_component_separates_relevant_matches():
    rows, qrels = _rows(n_requests=40)
    weights = fit_weights(rows=rows, qrels=qrels)
    assert max(weights, key=weights.get) == "lexical"


def test_cross_validated_runs_never_rank_a_request_with_its_own_judgments():
    rows, qrels = _rows()
    before = cross_validated_runs(rows=rows, qrels=qrels, seeds=(0, 1))
    # mark a different candidate of q3 relevant: only weights fitted *without* q3 may rank q3
    changed = dict(qrels)
    changed["q3"] = {"q3-d0": 3, "q3-d1": 3, "q3-d2": 3}
    after = cross_validated_runs(rows=rows, qrels=changed, seeds=(0, 1))
    assert [run["q3"] for run in before] == [run["q3"] for run in after]
    assert any(before_run != after_run for before_run, after_run in zip(before, after, strict=True))


def test_rerank_orders_by_weighted_features():
    candidates = [("a", [0.1, 0.9, 0, 0]), ("b", [0.9, 0.1, 0, 0])]
    assert rerank(candidates=candidates, weights={"lexical": 1, "semantic_first": 0, "semantic_maxsim": 0,
                                                   "semantic_qmean": 0}) == ["b", "a"]
    assert rerank(candidates=candidates, weights={"lexical": 0, "semantic_first": 1, "semantic_maxsim": 0,
                                                   "semantic_qmean": 0}) == ["a", "b"]


def test_fuse_mixes_semantic_modes_by_their_weights():
    lexical = np.array([1.0, 1.0, 1.0])
    semantic = {"first": np.array([0.9, 0.2, 0.5]), "maxsim": np.array([0.2, 0.9, 0.5])}
    only_first = FusionWeights(semantic=1.0, lexical=0.0, semantic_modes={"first": 1.0, "maxsim": 0.0})
    final, comps = fuse(lexical=lexical, semantic=semantic, structure=None, weights=only_first)
    assert int(np.argmax(final)) == 0
    assert set(comps) == {"lexical", "semantic", "semantic_first", "semantic_maxsim"}
    both = FusionWeights(semantic=1.0, lexical=0.0, semantic_modes={"first": 1.0, "maxsim": 3.0})
    final, _ = fuse(lexical=lexical, semantic=semantic, structure=None, weights=both)
    assert int(np.argmax(final)) == 1
    assert ((final >= 0) & (final <= 1)).all()


def test_mode_scores_agree_with_exact_search_and_zero_without_vectors():
    rng = np.random.default_rng(5)
    index = VectorIndex(dim=8)
    for i in range(6):
        index.add(doc_id=f"d{i}", vectors=rng.normal(size=(1 + i % 3, 8)))
    query = rng.normal(size=(2, 8))
    wanted = ["d4", "missing", "d0", "d5"]
    scored = index.mode_scores(doc_ids=wanted, query=query, modes=("first", "maxsim", "qmean", "qmix"))
    for mode, values in scored.items():
        ids, exact = index.exact_scores(query=query, mode=mode)
        expected = [float(exact[ids.index(d)]) if d in ids else 0.0 for d in wanted]
        assert values.tolist() == pytest.approx(expected, abs=1e-5), mode


def test_engine_search_reports_each_semantic_mode():
    engine = MatchingEngine()
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(3, 2, 16)).astype(np.float32)
    for i in range(3):
        engine.add_or_update(doc_id=f"o{i}", fields={"title": f"pump number {i}", "kind": "technology_offer"},
                             vector=vectors[i])
    results = engine.search(query_fields={"title": "pump", "kind": "technology_request"},
                            query_vector=vectors[2][:1] + 0.01, k=3)
    top = results[0]
    assert top.doc_id == "o2"
    assert {"semantic_first", "semantic_maxsim", "semantic_qmean", "semantic", "cosine"} <= set(top.components)
    assert top.components["cosine"] > 0.99 and top.components["cosine_opening"] > 0.99
    assert any(line.startswith("Its opening paragraph describes closely related technology")
               for line in top.explanation)


def test_explanation_mentions_the_opening_only_when_it_is_close():
    from techbridge.matching.engine.explain import OPENING_CLOSE, explain

    def lines(opening):
        return explain(score=0.5, components={"cosine_opening": opening}, terms=[], passage=None, cosine=None,
                       reasons=[])

    assert any("opening paragraph" in line for line in lines(OPENING_CLOSE + 0.01))
    assert not any("opening paragraph" in line for line in lines(OPENING_CLOSE - 0.01))
