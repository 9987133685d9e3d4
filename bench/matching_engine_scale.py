"""Scale benchmark of the matching engine: build time, encoder throughput, latency, ANN recall, memory.

Usage:
    python bench/matching_engine_scale.py --profiles 10000 [--json]
    python bench/matching_engine_scale.py --profiles 1000000 --index-only   # random vectors, ANN alone
    python bench/matching_engine_scale.py --throughput-only

Profiles are synthetic but built from real texts: offer/request texts are re-combined (title of one,
sentences shuffled from a few others) so that vocabulary statistics stay realistic. Vectors for them
reuse cached passage vectors of the real offers (from the quality benchmark's cache) plus small Gaussian
noise when the cache exists, random unit vectors otherwise (printed in the output). Each section prints
its baseline in the same run: exact numpy search for ANN, fp32 for the encoder variants.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

SRC = Path(__file__).resolve().parents[1] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from techbridge.matching.bench_ann import peak_rss_mb as rss_mb  # noqa: E402
from techbridge.matching.bench_ann import rss_mb as current_rss_mb  # noqa: E402
from techbridge.matching.engine import MatchingEngine  # noqa: E402
from techbridge.matching.engine.embedding import (  # noqa: E402
    DIM,
    EmbeddingCache,
    encode_texts,
    load_encoder,
    unavailable_reason,
)
from techbridge.matching.engine.evaluate import DEFAULT_CACHE, DEFAULT_DATA, load_jsonl  # noqa: E402
from techbridge.matching.engine.vectors import AnnIndex, normalise  # noqa: E402

_SENT = re.compile(r"(?<=[.!?])\s+")


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else 0.0


def synthetic_profiles(*, records: list[dict], n: int, seed: int = 7) -> list[dict]:
    """``n`` profiles: real ones first, then recombinations of real titles and sentences."""
    rng = random.Random(seed)
    sentences = [[s for s in _SENT.split(r["text"]) if s] for r in records]
    out = []
    for i in range(n):
        if i < len(records):
            r = records[i]
            out.append({"id": r["id"], "title": r["title"], "description": r["text"],
                        "keywords": r.get("category", ""), "src": i})
            continue
        base = rng.randrange(len(records))
        others = [rng.randrange(len(records)) for _ in range(2)]
        body = list(sentences[base])
        for o in others:
            body += rng.sample(sentences[o], min(2, len(sentences[o])))
        rng.shuffle(body)
        out.append({"id": f"syn-{i}", "title": records[base]["title"], "description": " ".join(body[:12]),
                    "keywords": records[base].get("category", ""), "src": base})
    return out


def real_vectors(*, encoder_key: str = "all-MiniLM-L6-v2|fp32|w254") -> list[np.ndarray] | None:
    """Cached passage vectors of the real offers (written by the quality benchmark), or None."""
    path = DEFAULT_CACHE / "passages-fp32.npz"
    if not path.exists():
        return None
    cache = EmbeddingCache(path=path)
    return list(cache.data.values()) or None


def throughput(*, texts: list[str], variants: list[tuple[str, int]], repeats: int = 1) -> list[dict]:
    """Profiles/s of each (variant, window) on the same ~250-token texts; first variant is the baseline."""
    rows = []
    base_vecs = None
    for variant, window in variants:
        enc = load_encoder(variant=variant, window=window)
        if enc is None:
            rows.append({"variant": variant, "window": window, "error": unavailable_reason()})
            continue
        encode_texts(encoder=enc, texts=texts[:16], batch_size=16)  # warm-up
        best = 0.0
        for _ in range(repeats):
            t0 = time.perf_counter()
            vecs = encode_texts(encoder=enc, texts=texts, batch_size=32)
            best = max(best, len(texts) / (time.perf_counter() - t0))
        row = {"variant": variant, "window": window, "profiles_per_s": round(best, 1)}
        if base_vecs is None:
            base_vecs = vecs
        else:
            row["mean_cos_vs_baseline"] = round(float((vecs * base_vecs).sum(axis=1).mean()), 4)
        rows.append(row)
    return rows


def engine_scale(*, n: int, queries: list[dict], seed: int = 3) -> dict:
    """Build a full engine over ``n`` profiles and time searches of real requests."""
    records = load_jsonl(path=DEFAULT_DATA / "offers.jsonl") + load_jsonl(path=DEFAULT_DATA / "all-requests.jsonl")
    profiles = synthetic_profiles(records=records, n=n)
    cached = real_vectors()
    rng = np.random.default_rng(seed)
    note = "cached real passage vectors + N(0, 0.02) noise" if cached else "random unit vectors (no cache)"
    rss0 = current_rss_mb()
    engine = MatchingEngine()
    t0 = time.perf_counter()
    for p in profiles:
        if cached:
            base = cached[p["src"] % len(cached)]
            vec = base + rng.normal(scale=0.02, size=base.shape).astype(np.float32)
        else:
            vec = rng.normal(size=(1, DIM)).astype(np.float32)
        engine.add_or_update(doc_id=p["id"], fields=p, vector=vec)
    t_add = time.perf_counter() - t0
    t1 = time.perf_counter()
    _ = engine.lexical.ids  # force the lexical matrix build
    t_lex = time.perf_counter() - t1
    t2 = time.perf_counter()
    engine.vectors._build()
    t_vec = time.perf_counter() - t2
    qvecs = [normalise(matrix=rng.normal(size=(3, DIM))) if not cached else
             cached[i % len(cached)][:3] for i in range(len(queries))]
    lat = []
    for q, qv in zip(queries, qvecs, strict=True):
        t = time.perf_counter()
        engine.search(query_fields=q, query_vector=qv, k=10)
        lat.append((time.perf_counter() - t) * 1000)
    # dense part alone: ANN (if used) vs exact, recall@10
    recall, ann_ms, exact_ms = [], [], []
    for qv in qvecs:
        t = time.perf_counter()
        ids, scores = engine.vectors.exact_scores(query=qv)
        exact = {ids[i] for i in np.argsort(-scores)[:10]}
        exact_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        got = set(engine.vectors.candidates(query=qv, k=10))
        ann_ms.append((time.perf_counter() - t) * 1000)
        recall.append(len(exact & got) / 10)
    return {
        "profiles": n, "vectors": note, "uses_ann": engine.vectors.uses_ann,
        "passages": int(sum(len(v) for v in engine.vectors.passages.values())),
        "build_s": {"add": round(t_add, 2), "lexical_matrix": round(t_lex, 2), "vector_index": round(t_vec, 2),
                    "total": round(t_add + t_lex + t_vec, 2)},
        "search_ms": {"p50": round(pct(lat, 50), 1), "p95": round(pct(lat, 95), 1), "queries": len(lat)},
        "dense_ms": {"engine_path_p50": round(pct(ann_ms, 50), 2), "exact_numpy_p50": round(pct(exact_ms, 50), 2)},
        "dense_recall@10_vs_exact": round(float(np.mean(recall)), 4),
        "rss_mb": {"delta": round(current_rss_mb() - rss0, 1), "peak": round(rss_mb(), 1)},
    }


def index_only(*, n: int, dim: int = DIM, n_queries: int = 200, seed: int = 11,
               backends: tuple[str, ...] = ("usearch", "hnswlib"), expansion_search: int = 64) -> list[dict]:
    """ANN alone on ``n`` random unit vectors (the hardest case: no cluster structure)."""
    rng = np.random.default_rng(seed)
    data = np.empty((n, dim), dtype=np.float32)
    for s in range(0, n, 100_000):
        block = rng.normal(size=(min(100_000, n - s), dim)).astype(np.float32)
        data[s:s + len(block)] = block / np.linalg.norm(block, axis=1, keepdims=True)
    queries = normalise(matrix=rng.normal(size=(n_queries, dim)))
    t = time.perf_counter()
    exact_top = []
    exact_ms = []
    for q in queries:
        t1 = time.perf_counter()
        s = data @ q
        top = np.argpartition(-s, 10)[:10]
        exact_ms.append((time.perf_counter() - t1) * 1000)
        exact_top.append(set(top.tolist()))
    rows = [{"backend": "exact numpy (baseline)", "build_s": 0.0, "p50_ms": round(pct(exact_ms, 50), 2),
             "p95_ms": round(pct(exact_ms, 95), 2), "recall@10": 1.0}]
    _ = t
    ids = [str(i) for i in range(n)]
    for backend in backends:
        rss0 = current_rss_mb()
        ann = AnnIndex(dim=dim, backend=backend, expansion_search=expansion_search)
        t0 = time.perf_counter()
        ann.add(ids=ids, vectors=data)
        build = time.perf_counter() - t0
        for ef in sorted({expansion_search, expansion_search * 2, expansion_search * 4}):
            ann.params["expansion_search"] = ef
            if backend == "usearch":
                ann._index.expansion_search = ef
            lat, rec = [], []
            for q, ex in zip(queries, exact_top, strict=True):
                t1 = time.perf_counter()
                got = ann.search(vector=q, k=10)
                lat.append((time.perf_counter() - t1) * 1000)
                rec.append(len(ex & {int(d) for d, _ in got}) / 10)
            rows.append({"backend": backend, "ef": ef, "build_s": round(build, 1), "p50_ms": round(pct(lat, 50), 2),
                         "p95_ms": round(pct(lat, 95), 2), "recall@10": round(float(np.mean(rec)), 4),
                         "rss_delta_mb": round(current_rss_mb() - rss0, 1)})
        del ann
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--index-only", action="store_true", help="ANN alone on random vectors")
    parser.add_argument("--throughput-only", action="store_true")
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--throughput-texts", type=int, default=96)
    parser.add_argument("--backends", default="hnswlib,usearch")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    result: dict = {"profiles": args.profiles}
    if args.index_only:
        result["index_only"] = index_only(n=args.profiles, backends=tuple(args.backends.split(",")))
    else:
        if not args.no_throughput:
            recs = load_jsonl(path=DEFAULT_DATA / "offers.jsonl")
            rng = random.Random(5)
            sample = rng.sample(recs, args.throughput_texts)
            texts = [f"{r['title']}. {r['text']}" for r in sample]
            # ~250-token profiles: cut at 190 words (≈ 250 word-pieces)
            texts = [" ".join(t.split()[:190]) for t in texts]
            result["throughput"] = throughput(texts=texts, variants=[("fp32", 254), ("int8", 254),
                                                                     ("fp32", 126), ("int8", 126)])
        if not args.throughput_only:
            queries = [{"title": r["title"], "description": r["text"], "kind": "technology_request"}
                       for r in load_jsonl(path=DEFAULT_DATA / "requests.jsonl", limit=args.queries)]
            result["engine"] = engine_scale(n=args.profiles, queries=queries)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            if isinstance(value, list):
                print(f"{key}:")
                for row in value:
                    print("  " + ", ".join(f"{k}={v}" for k, v in row.items()))
            else:
                print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
