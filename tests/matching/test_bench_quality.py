"""`techbridge bench matching` end to end on tiny benchmark files: a real process, a throwaway database, a run file."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from techbridge.matching.engine.evaluate import load_qrels
from techbridge.matching.engine.metrics import evaluate_run

OFFERS = [
    {"id": "o-dryer", "title": "Solar tunnel dryer for mangoes",
     "text": "A solar tunnel dryer that dries sliced mangoes and other fruit for smallholder cooperatives, "
             "halving post-harvest losses without grid power.", "category": "Agriculture"},
    {"id": "o-pump", "title": "Hand pump for deep wells",
     "text": "A hand-operated piston pump lifting drinking water from wells down to 60 metres.",
     "category": "Water"},
    {"id": "o-kiln", "title": "Efficient brick kiln",
     "text": "A zig-zag brick kiln design that cuts coal use and soot emissions for small brick makers.",
     "category": "Energy"},
    {"id": "o-sensor", "title": "Soil moisture sensor network",
     "text": "Low-cost wireless soil moisture sensors that tell farmers when to irrigate.", "category": "Agriculture"},
]
REQUESTS = [
    {"id": "r-dry", "title": "Drying fruit with solar energy",
     "text": "Our cooperative needs a solar dryer for mangoes to reduce post-harvest losses.",
     "category": "Agriculture"},
    {"id": "r-water", "title": "Drinking water from wells",
     "text": "Villages need a pump to lift drinking water from deep wells.", "category": "Water"},
    {"id": "r-unjudged", "title": "Cleaner brick making", "text": "Brick makers need a kiln that burns less coal.",
     "category": "Energy"},
]
QRELS = "r-dry\to-dryer\t3\nr-dry\to-sensor\t1\nr-water\to-pump\t2\nr-water\to-kiln\t0\n"


def _files(tmp_path):
    offers, requests, qrels = tmp_path / "offers.jsonl", tmp_path / "requests.jsonl", tmp_path / "qrels.tsv"
    offers.write_text("".join(json.dumps(o) + "\n" for o in OFFERS))
    requests.write_text("".join(json.dumps(r) + "\n" for r in REQUESTS))
    qrels.write_text(QRELS)
    return offers, requests, qrels


def _bench(tmp_path, *extra: str) -> subprocess.CompletedProcess:
    offers, requests, qrels = _files(tmp_path)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'configured.sqlite3'}",
           "TECHBRIDGE_HOME": str(tmp_path / "home"), "SECRET_KEY": settings.SECRET_KEY, "DEBUG": "0"}
    return subprocess.run(
        [sys.executable, "-m", "techbridge", "bench", "matching", "--offers", str(offers), "--requests",
         str(requests), "--qrels", str(qrels), "--run-output", str(tmp_path / "run.tsv"), "--no-semantic", *extra],
        env=env, capture_output=True, text=True, timeout=300, check=False)


def test_bench_matching_writes_the_run_and_scores_it(tmp_path):
    done = _bench(tmp_path, "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["offers"] == 4 and out["judged_requests"] == 2 and out["semantic"] is False
    assert set(out["systems"]) == {"techbridge", "bm25"}  # no encoder: no embedding rows, no cross-validation
    rows = [line.split("\t") for line in (tmp_path / "run.tsv").read_text().splitlines()]
    by_request: dict[str, list[tuple[str, int, float]]] = {}
    for request_id, offer_id, rank, score in rows:
        by_request.setdefault(request_id, []).append((offer_id, int(rank), float(score)))
    assert set(by_request) == {"r-dry", "r-water"}  # only judged requests are ranked
    for ranked in by_request.values():
        assert [rank for _, rank, _ in ranked] == list(range(1, len(ranked) + 1))
        scores = [score for _, _, score in ranked]
        assert scores == sorted(scores, reverse=True) and all(0.0 <= s <= 1.0 for s in scores)
    assert by_request["r-dry"][0][0] == "o-dryer" and by_request["r-water"][0][0] == "o-pump"
    # the printed figures are those of the written run
    qrels = load_qrels(path=tmp_path / "qrels.tsv")
    expected = evaluate_run(run={q: [o for o, _, _ in ranked] for q, ranked in by_request.items()}, qrels=qrels)
    for metric in ("ndcg@10", "recall@10", "recall@100", "mrr", "judged@10"):
        assert out["systems"]["techbridge"][metric] == pytest.approx(expected[metric], abs=1e-4)
    assert out["systems"]["techbridge"]["mrr"] == pytest.approx(1.0)


def test_bench_matching_table_names_every_column(tmp_path):
    done = _bench(tmp_path)
    assert done.returncode == 0, done.stderr
    header = next(line for line in done.stdout.splitlines() if line.startswith("system"))
    assert header.split() == ["system", "nDCG@10", "R@10", "R@100", "MRR", "judged@10", "nDCG@10", "judged", "only"]
    assert "semantic=off" in done.stdout and "TechBridge vs BM25 alone" in done.stdout
