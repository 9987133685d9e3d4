"""`techbridge bench matching-scale`: the platform's index at N profiles — build, throughput, latency, recall, memory.

    techbridge bench matching-scale --profiles 10000 [--queries 20] [--json]
    techbridge bench matching-scale --profiles 1000000 --index-only [--vectors real-mix|random]
    techbridge bench matching-scale --encoders        # profiles/s of fp32, int8 ONNX and bf16 on ~250-token profiles

Default mode, in a fresh temporary database: N synthetic profiles made from the real benchmark texts (real
ones first, then titles recombined with sentences of other records) are loaded with the exchange's bulk import;
the encoder's throughput is measured by embedding a sample through the platform's `embed_profiles` (stored in
the database); the remaining profiles get stored vectors derived from cached real passage vectors plus small
noise (said in the output), because embedding 100k texts on two cores takes hours. Then the per-process index is
built from the database exactly as a web process does, and real requests are ranked with `rank_for_profile`
(the Matches tab's function): p50/p95 latency, and recall@10 of the vector candidates against exact search.
`--index-only` measures the platform's ANN index alone (see `bench_ann`: vectors derived from real embeddings,
or random), with exact numpy search as the baseline in the same run; `--encoders` compares encoder variants.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time

import numpy as np

from techbridge.matching import bench_ann
from techbridge.matching.engine.evaluate import DEFAULT_CACHE, DEFAULT_DATA, load_jsonl
from techbridge.matching.engine.vectors import CONNECTIVITY, EXPANSION_ADD

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2) if values else 0.0


def synthetic_records(*, records: list[dict], n: int, seed: int = 7) -> list[dict]:
    """`n` records: the real ones, then a real title with sentences drawn from three real records."""
    rng = random.Random(seed)
    sentences = [[s for s in _SENTENCE.split(r.get("text") or "") if s] or [r["title"]] for r in records]
    out = []
    for i in range(n):
        if i < len(records):
            out.append({**records[i], "src": i})
            continue
        base = rng.randrange(len(records))
        body = list(sentences[base][:6])
        for other in (rng.randrange(len(records)) for _ in range(2)):
            body += rng.sample(sentences[other], min(2, len(sentences[other])))
        rng.shuffle(body)
        out.append({"id": f"syn-{i}", "title": records[base]["title"], "text": " ".join(body),
                    "category": records[base].get("category", ""), "src": base})
    return out


def _cached_passages() -> list[np.ndarray]:
    from techbridge.matching.engine.embedding import EmbeddingCache

    cache = EmbeddingCache(path=None)  # real passage vectors of any encoder variant (fp32 or int8 runs)
    for path in sorted(DEFAULT_CACHE.glob("passages-*.npz")):
        if ".tmp" not in path.name:
            cache.merge(path=path)
    return list(cache.data.values())


def platform_scale(*, n: int, n_queries: int, sample: int) -> dict:
    from techbridge.exchange.models import Profile
    from techbridge.matching import bench_db
    from techbridge.matching.models import ProfileVector
    from techbridge.matching.services import index, matches

    offers = load_jsonl(path=DEFAULT_DATA / "offers.jsonl")
    records = synthetic_records(records=offers, n=n)
    requests = load_jsonl(path=DEFAULT_DATA / "requests.jsonl", limit=n_queries)
    actor, offering, seeking = bench_db.setup_actor()
    out: dict = {"profiles": n}
    t = time.perf_counter()
    offer_pk = bench_db.import_records(actor=actor, organisation=offering, records=records, kind="offer")
    request_pk = bench_db.import_records(actor=actor, organisation=seeking, records=requests, kind="request")
    out["bulk_import"] = {"s": round(time.perf_counter() - t, 1),
                          "profiles_per_s": round((n + len(requests)) / (time.perf_counter() - t), 1)}
    semantic = index.semantic_status()[0]
    rng = np.random.default_rng(3)
    if semantic:  # encoder throughput through the platform's embedding path (real model, stored in the DB)
        some = list(Profile.objects.filter(pk__in=list(offer_pk.values())[:sample])
                    .prefetch_related("sectors", "target_countries", "partnership_types"))
        index.get_encoder()
        t = time.perf_counter()
        done = index.embed_profiles(profiles=some)
        seconds = time.perf_counter() - t
        out["embedding"] = {"profiles": done, "s": round(seconds, 1),
                            "profiles_per_s": round(done / seconds, 1) if seconds else None,
                            "passages": sum(ProfileVector.objects.filter(profile__in=some)
                                            .values_list("passages", flat=True)),
                            "model_key": index.model_key()}
        cached = _cached_passages()
        note = "embedded sample + cached real passage vectors with N(0, 0.02) noise" if cached else \
            "embedded sample + random unit vectors"
        have = set(ProfileVector.objects.values_list("profile_id", flat=True))
        key = index.model_key()
        rows = []
        for record in records + requests:
            pk = offer_pk.get(record["id"]) or request_pk[record["id"]]
            if pk in have:
                continue
            base = cached[record.get("src", 0) % len(cached)] if cached else rng.normal(size=(2, 384))
            vec = (base + rng.normal(scale=0.02, size=base.shape)).astype(np.float16)
            rows.append(ProfileVector(profile_id=pk, model_key=key, text_hash="bench", dim=384,
                                      passages=len(vec), vectors=vec.tobytes()))
            if len(rows) >= 5000:
                ProfileVector.objects.bulk_create(rows)
                rows = []
        ProfileVector.objects.bulk_create(rows)
        out["vectors"] = note
    else:
        out["vectors"] = "none (semantic off): lexical + structured only"
    rss0 = bench_ann.rss_mb()
    index.PROCESS_INDEX.reset()
    t = time.perf_counter()
    index.PROCESS_INDEX.ensure_current()
    engine = index.PROCESS_INDEX.engines[index.OFFERS]
    _ = engine.lexical.ids  # the sparse matrix is built lazily: count it in the build
    engine.vectors._build()
    out["index_build_s"] = round(time.perf_counter() - t, 1)
    out["uses_ann"] = engine.vectors.uses_ann
    out["rss_mb_index"] = round(bench_ann.rss_mb() - rss0, 1)
    profiles = Profile.objects.filter(pk__in=list(request_pk.values())).prefetch_related(
        "sectors", "target_countries", "partnership_types")
    latencies, recalls = [], []
    for profile in profiles:
        t = time.perf_counter()
        matches.rank_for_profile(profile=profile, k=10)
        latencies.append((time.perf_counter() - t) * 1000)
        query = index.PROCESS_INDEX.engines[index.NEEDS].vectors.passages.get(str(profile.pk))
        if query is not None and len(engine.vectors):
            ids, scores = engine.vectors.exact_scores(query=query)
            exact = {ids[i] for i in np.argsort(-scores)[:10]}
            got = set(engine.vectors.candidates(query=query, k=10))
            recalls.append(len(exact & got) / 10)
    out["query_ms"] = {"p50": pct(latencies, 50), "p95": pct(latencies, 95), "queries": len(latencies)}
    out["dense_recall@10_vs_exact"] = round(float(np.mean(recalls)), 4) if recalls else None
    out["rss_mb_peak"] = round(bench_ann.peak_rss_mb(), 1)
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="techbridge bench matching-scale", description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--embed-sample", type=int, default=256, help="profiles embedded for real (throughput)")
    parser.add_argument("--index-only", action="store_true", help="the vector index alone (no database)")
    parser.add_argument("--vectors", choices=["real-mix", "random"], default="real-mix",
                        help="index-only vectors: mixtures of real embeddings (default) or random unit vectors")
    parser.add_argument("--encoders", action="store_true", help="encoder throughput: fp32, int8 ONNX and bfloat16")
    parser.add_argument("--connectivity", type=int, default=CONNECTIVITY, help="index-only: HNSW M")
    parser.add_argument("--ef-add", type=int, default=EXPANSION_ADD, help="index-only: HNSW ef_construction")
    parser.add_argument("--no-semantic", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.encoders:
        result = bench_ann.encoder_throughput(sample=max(args.embed_sample, 64))
    elif args.index_only:
        result = bench_ann.index_only(n=args.profiles, kind=args.vectors, connectivity=args.connectivity,
                                      ef_add=args.ef_add,
                                      progress=(lambda line: None) if args.json else print)
    else:
        from django.test.utils import override_settings
        from huey.contrib.djhuey import HUEY

        from techbridge.exchange import signals
        from techbridge.matching import bench_db

        HUEY.immediate = True
        signals.profiles_bulk_changed.disconnect(dispatch_uid="matching.bulk_changed")  # vectors made below
        with override_settings(TECHBRIDGE_SEMANTIC=not args.no_semantic), \
                bench_db.throwaway_database(tag="matching_scale"):
            result = platform_scale(n=args.profiles, n_queries=args.queries, sample=args.embed_sample)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
