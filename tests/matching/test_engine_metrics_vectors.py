"""Metrics on a hand-made qrels, ANN vs exact agreement and vector index persistence."""

from __future__ import annotations

import math

import numpy as np
import pytest

from techbridge.matching.engine.metrics import evaluate_run, ndcg_at_k, unjudged_pairs
from techbridge.matching.engine.vectors import AnnIndex, VectorIndex, passage_similarity


def test_metrics_tiny_qrels_match_hand_computation():
    qrels = {"q1": {"a": 3, "b": 0, "c": 2}, "q2": {"x": 1}}
    run = {"q1": ["b", "a", "u", "c"], "q2": ["x"]}
    m = evaluate_run(run=run, qrels=qrels)
    dcg1 = 0 + 7 / math.log2(3) + 0 + 3 / math.log2(5)
    idcg1 = 7 + 3 / math.log2(3)
    assert m["ndcg@10"] == pytest.approx((dcg1 / idcg1 + 1.0) / 2)
    assert m["recall@10"] == pytest.approx(1.0)  # q2 has no grade>=2: skipped
    assert m["mrr"] == pytest.approx(0.5)
    assert m["judged@10"] == pytest.approx((3 / 4 + 1.0) / 2)
    assert m["n_with_relevant"] == 1


def test_judged_only_ndcg_drops_unjudged_offers_before_scoring():
    qrels = {"q1": {"a": 3, "b": 0}}
    m = evaluate_run(run={"q1": ["u1", "u2", "a", "b"]}, qrels=qrels)
    assert m["ndcg@10"] == pytest.approx(1 / math.log2(4))
    assert m["ndcg@10_judged_only"] == pytest.approx(1.0)


def test_recall_at_100_counts_relevant_offers_below_the_top_10():
    qrels = {"q1": {"a": 3, "b": 2, "c": 1}, "q2": {"x": 1}}
    filler = [f"u{i}" for i in range(20)]
    run = {"q1": ["a", *filler, "b", "c"], "q2": ["x"]}
    m = evaluate_run(run=run, qrels=qrels)
    assert m["recall@10"] == pytest.approx(0.5)  # b sits at rank 22
    assert m["recall@100"] == pytest.approx(1.0)  # q2 has no grade>=2: skipped here too
    deeper = evaluate_run(run={"q1": ["a", *[f"u{i}" for i in range(120)], "b"]}, qrels=qrels)
    assert deeper["recall@100"] == pytest.approx(0.5)


def test_unjudged_pairs_lists_top_k_offers_without_judgment():
    qrels = {"q1": {"a": 3}, "q2": {"x": 1}}
    run = {"q1": ["u", "a", "v", "w"], "q2": ["x"]}
    assert unjudged_pairs(run=run, qrels=qrels, k=3) == [("q1", "u", 1), ("q1", "v", 3)]


def test_ndcg_unjudged_counts_as_not_relevant():
    grades = {"a": 3}
    assert ndcg_at_k(ranked=["a"], grades=grades) == pytest.approx(1.0)
    assert ndcg_at_k(ranked=["zz", "a"], grades=grades) == pytest.approx(1 / math.log2(3))


def _random_unit(n: int, dim: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.mark.parametrize("backend", ["usearch", "hnswlib"])
def test_ann_agrees_with_exact_on_small_data(backend):
    data = _random_unit(2000, 32, 1)
    queries = _random_unit(20, 32, 2)
    ann = AnnIndex(dim=32, backend=backend, expansion_search=128)
    ids = [f"d{i}" for i in range(len(data))]
    ann.add(ids=ids, vectors=data)
    recalls = []
    for q in queries:
        exact = {ids[i] for i in np.argsort(-(data @ q))[:10]}
        got = {d for d, _ in ann.search(vector=q, k=10)}
        recalls.append(len(exact & got) / 10)
    assert np.mean(recalls) >= 0.95


def test_vector_index_ann_path_matches_exact_top1():
    data = _random_unit(300, 16, 3)
    exact = VectorIndex(dim=16, ann_threshold=10**9)
    approx = VectorIndex(dim=16, ann_threshold=100)
    for i, v in enumerate(data):
        exact.add(doc_id=f"d{i}", vectors=v)
        approx.add(doc_id=f"d{i}", vectors=v)
    q = data[42:43] + 0.01
    assert approx.uses_ann and not exact.uses_ann
    assert next(iter(exact.candidates(query=q, k=5))) == "d42"
    assert next(iter(approx.candidates(query=q, k=5))) == "d42"


def test_vector_index_save_load_round_trip(tmp_path):
    index = VectorIndex(dim=8, ann_threshold=50)
    vecs = _random_unit(120, 8, 4)
    for i in range(60):
        index.add(doc_id=f"p{i}", vectors=vecs[2 * i:2 * i + 2])  # two passages each
    q = vecs[7:8]
    before = index.candidates(query=q, k=5)
    index.save(path=tmp_path / "vec")
    loaded = VectorIndex.load(path=tmp_path / "vec")
    assert len(loaded) == 60 and loaded.uses_ann
    assert np.allclose(loaded.passages["p3"], index.passages["p3"])
    after = loaded.candidates(query=q, k=5)
    assert list(after) == list(before)
    assert after["p3"] == pytest.approx(1.0, abs=1e-5)  # passage 7 belongs to p3


def test_ann_remove_then_search_never_returns_removed():
    data = _random_unit(200, 8, 5)
    ann = AnnIndex(dim=8)
    ann.add(ids=[f"d{i}" for i in range(200)], vectors=data)
    ann.remove(doc_id="d9")
    assert "d9" not in [d for d, _ in ann.search(vector=data[9], k=10)]


def test_passage_similarity_maxsim_takes_best_passage():
    passages = np.array([[1, 0], [0, 1], [1, 0]], dtype=np.float32)
    owners = np.array([0, 0, 1])
    q = np.array([[0, 1]], dtype=np.float32)
    scores = passage_similarity(query=q, passages=passages, owners=owners, n_docs=2, mode="maxsim")
    assert scores.tolist() == pytest.approx([1.0, 0.0])


def test_auto_ef_grows_with_the_index_within_bounds():
    from techbridge.matching.engine.vectors import auto_ef

    assert auto_ef(0) == 64
    assert auto_ef(100_000) == 64
    assert auto_ef(1_000_000) == 500
    assert auto_ef(10**9) == 1024


@pytest.mark.parametrize("backend", ["usearch", "hnswlib"])
def test_ann_index_with_automatic_ef_agrees_with_exact(backend):
    data = _random_unit(3000, 32, 5)
    ann = AnnIndex(dim=32, backend=backend)  # expansion_search None: auto_ef
    assert ann.params["expansion_search"] is None
    ids = [f"d{i}" for i in range(len(data))]
    ann.add(ids=ids, vectors=data)
    recalls = []
    for q in _random_unit(20, 32, 6):
        exact = {ids[i] for i in np.argsort(-(data @ q))[:10]}
        recalls.append(len(exact & {d for d, _ in ann.search(vector=q, k=10)}) / 10)
    assert np.mean(recalls) >= 0.95


def test_index_only_benchmark_reports_recall_latency_and_memory():
    from techbridge.matching.bench_ann import EF_CHOICES, index_only

    result = index_only(n=3000, kind="random", n_queries=5, progress=lambda _message: None)
    assert result["profiles"] == 3000 and result["M"] == 32 and result["ef_add"] == 200
    assert result["memory_mb"]["vectors"] == pytest.approx(3000 * 384 * 4 / 2**20, abs=0.1)
    assert result["memory_mb"]["peak_rss"] > 0
    assert [row["ef_search"] for row in result["by_ef_search"]] == list(EF_CHOICES)
    assert all(0.0 <= row["recall@10"] <= 1.0 and row["p50_ms"] >= 0 for row in result["by_ef_search"])
    assert result["by_ef_search"][-1]["recall@10"] >= 0.95  # ef 1024 over 3,000 vectors is nearly exhaustive
