"""`techbridge bench matching`: ranking quality of the platform's matching on a judged (qrels) benchmark.

    techbridge bench matching --offers F --requests F --qrels F --run-output RUN.tsv [--json]
                              [--unjudged-output PAIRS.tsv] [--variant V] [--no-semantic] [--cached-only]

Loads offers and requests into a fresh temporary database through the exchange's bulk import (the same
validation as the web), indexes them with the matching app's indexing service (vectors stored in the
database, an on-disk cache keyed by model + variant + text hash so re-runs skip the encoding), builds the
same per-process index the web pages use, and ranks the top 100 offers for every judged request with
`rank_for_profile` — the function behind the Matches tab. Prints nDCG@10, Recall@10, MRR and judged@10 of
TechBridge and, in the same run and over the same stored texts and vectors, of BM25 alone and of the embedding
alone (first 256 word-pieces of each side, and best passage pair). The configured database is never touched.

TechBridge's fusion weights were fitted on these same development requests (`engine.learn`), so the run also
reports `techbridge_cv`: each request's top 100 re-ranked with weights fitted on the other folds only (5-fold,
5 shuffles) — the figure to quote — and the weights a fit on every request gives, to refresh the shipped ones.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from techbridge.matching.engine import embedding as emb
from techbridge.matching.engine import learn
from techbridge.matching.engine.evaluate import DEFAULT_CACHE, DEFAULT_DATA, load_jsonl, load_qrels
from techbridge.matching.engine.fusion import LEARNED_LEXICAL, LEARNED_MODES
from techbridge.matching.engine.metrics import evaluate_run, unjudged_pairs

K = 100


def _top(ids: list[str], scores: np.ndarray, k: int = K) -> list[str]:
    part = np.argpartition(-scores, k)[:k] if len(scores) > k else np.arange(len(scores))
    return [ids[i] for i in part[np.argsort(-scores[part], kind="stable")]]


def _cache(variant: str):
    """The engine's embedding cache (and its siblings), so vectors computed by any run are reused."""
    from techbridge.matching.engine.embedding import EmbeddingCache

    path = DEFAULT_CACHE / f"passages-{variant}-platform.npz"
    cache = EmbeddingCache(path=path)
    for other in sorted(DEFAULT_CACHE.glob(f"passages-{variant}*.npz")):
        if other != path and ".tmp" not in other.name:
            cache.merge(path=other)
    return cache


def _keep_cached(*, offer_pk: dict[str, int], cache) -> dict[str, int]:
    """Delete the imported offers whose platform text has no cached vectors (a stated, CPU-starved subset)."""
    from types import SimpleNamespace

    from techbridge.exchange.models import Profile
    from techbridge.matching.engine.embedding import text_key
    from techbridge.matching.engine.text import profile_text
    from techbridge.matching.services import index

    stub = SimpleNamespace(key=index.model_key())
    keep = set()
    qs = Profile.objects.filter(pk__in=list(offer_pk.values())).prefetch_related("sectors", "target_countries",
                                                                                 "partnership_types")
    for profile in qs.iterator(chunk_size=1000):
        if text_key(encoder=stub, text=profile_text(fields=index.profile_fields(profile=profile))) in cache.data:
            keep.add(profile.pk)
    Profile.objects.filter(pk__in=[pk for pk in offer_pk.values() if pk not in keep]).delete()
    return {bench_id: pk for bench_id, pk in offer_pk.items() if pk in keep}


def run(*, offers: list[dict], requests: list[dict], qrels: dict, variant: str, run_output: Path | None,
        progress: bool, cached_only: bool = False, unjudged_output: Path | None = None) -> dict:
    from techbridge.core.jobs import cli_progress
    from techbridge.exchange import signals
    from techbridge.matching import bench_db
    from techbridge.matching.engine.lexical import query_vector
    from techbridge.matching.services import index, matches

    timings: dict[str, float] = {}
    bar = (lambda name: cli_progress(description=name)) if progress else (lambda name: None)
    actor, offering, seeking = bench_db.setup_actor()
    # The bulk import announces its profiles; here we index them ourselves (same service, with a progress bar
    # and the shared cache) instead of through the task queue.
    signals.profiles_bulk_changed.disconnect(dispatch_uid="matching.bulk_changed")
    try:
        t = time.perf_counter()
        offer_pk = bench_db.import_records(actor=actor, organisation=offering, records=offers, kind="offer",
                                           progress=bar("import offers"))
        request_pk = bench_db.import_records(actor=actor, organisation=seeking, records=requests,
                                             kind="request", progress=bar("import requests"))
        timings["import_s"] = time.perf_counter() - t
    finally:
        from techbridge.matching import hooks

        signals.profiles_bulk_changed.connect(hooks.on_profiles_bulk_changed, dispatch_uid="matching.bulk_changed")
    cache = _cache(variant) if index.semantic_status()[0] else None
    if cached_only and cache is not None:
        offer_pk = _keep_cached(offer_pk=offer_pk, cache=cache)
    t = time.perf_counter()
    all_ids = list(offer_pk.values()) + list(request_pk.values())
    index.index_profiles(profile_ids=all_ids, cache=cache, progress=bar("embed"))
    timings["index_s"] = time.perf_counter() - t
    if cache is not None:
        cache.save()
    t = time.perf_counter()
    index.PROCESS_INDEX.reset()
    index.PROCESS_INDEX.ensure_current()
    timings["load_index_s"] = time.perf_counter() - t

    bench_of = {str(pk): bench_id for bench_id, pk in offer_pk.items()}
    from techbridge.exchange.models import Profile

    engine = index.PROCESS_INDEX.engines[index.OFFERS]
    lexical_ids = [bench_of[d] for d in engine.lexical.ids]
    has_vectors = len(engine.vectors) > 0
    if has_vectors:
        doc_ids = list(engine.vectors.passages)
        firsts = np.stack([engine.vectors.passages[d][0] for d in doc_ids])
        vector_bench_ids = [bench_of[d] for d in doc_ids]
    runs: dict[str, dict[str, list[str]]] = {"techbridge": {}, "bm25": {}}
    if has_vectors:
        runs["embedding_first256"], runs["embedding_passages_maxsim"] = {}, {}
    scored: dict[str, list[tuple[str, float]]] = {}
    features: learn.Rows = {}
    latencies = []
    judged = [r for r in requests if r["id"] in qrels]
    profiles = {p.pk: p for p in Profile.objects.filter(pk__in=[request_pk[r["id"]] for r in judged])
                .prefetch_related("sectors", "target_countries", "partnership_types")}
    for record in judged:
        profile = profiles[request_pk[record["id"]]]
        t = time.perf_counter()
        ranked = matches.rank_for_profile(profile=profile, k=K)
        latencies.append(time.perf_counter() - t)
        scored[record["id"]] = [(bench_of[m.doc_id], m.score) for m in ranked]
        features[record["id"]] = [(bench_of[m.doc_id], [m.components.get(f, 0.0) for f in learn.FEATURES])
                                  for m in ranked]
        runs["techbridge"][record["id"]] = [bench_of[m.doc_id] for m in ranked]
        fields = index.profile_fields(profile=profile)
        lex = engine.lexical.scores(query_terms=query_vector(fields=fields, params=engine.config.bm25))
        runs["bm25"][record["id"]] = _top(lexical_ids, lex)
        if has_vectors:
            query = index.PROCESS_INDEX.engines[index.NEEDS].vectors.passages[str(profile.pk)]
            runs["embedding_first256"][record["id"]] = _top(vector_bench_ids, firsts @ query[0])
            ids, dense = engine.vectors.exact_scores(query=query, mode="maxsim")
            runs["embedding_passages_maxsim"][record["id"]] = _top([bench_of[d] for d in ids], dense)
    if run_output:
        with open(run_output, "w", encoding="utf-8") as fh:
            for qid, ranked in scored.items():
                for rank, (doc_id, score) in enumerate(ranked, start=1):
                    fh.write(f"{qid}\t{doc_id}\t{rank}\t{score:.6f}\n")
    if unjudged_output:
        _write_unjudged(path=unjudged_output, run=runs["techbridge"], qrels=qrels, offers=offers, requests=requests)
    on, reason = index.semantic_status()
    systems = {name: {k: round(v, 4) for k, v in evaluate_run(run=r, qrels=qrels).items()} for name, r in runs.items()}
    fit = None
    if has_vectors:
        systems["techbridge_cv"], fit = _cross_validated(features=features, qrels=qrels)
    return {"offers": len(offer_pk), "offers_in_file": len(offers), "cached_only": cached_only,
            "requests": len(requests), "judged_requests": len(judged),
            "semantic": on, "semantic_reason": reason, "model_key": index.model_key() if on else None,
            "timings_s": {k: round(v, 2) for k, v in timings.items()},
            "query_ms_p50": round(1000 * float(np.median(latencies)), 1) if latencies else None,
            "query_ms_p95": round(1000 * float(np.percentile(latencies, 95)), 1) if latencies else None,
            "systems": systems, "fusion_fit": fit}


def _write_unjudged(*, path: Path, run: dict, qrels: dict, offers: list[dict], requests: list[dict]) -> None:
    """TechBridge's unjudged top-10 offers as a TSV for assessors (request, offer, rank, both titles): judging
    them extends the pool the way TREC pools new systems, and removes the penalty they carry today."""
    titles = {r["id"]: " ".join((r.get("title") or "").split()) for r in (*offers, *requests)}
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("request_id\toffer_id\trank\trequest_title\toffer_title\n")
        for qid, doc_id, rank in unjudged_pairs(run=run, qrels=qrels):
            fh.write(f"{qid}\t{doc_id}\t{rank}\t{titles.get(qid, '')}\t{titles.get(doc_id, '')}\n")


def _cross_validated(*, features: dict, qrels: dict) -> tuple[dict, dict]:
    """TechBridge with fusion weights refitted by 5-fold cross-validation (5 shuffles), re-ranking each request's
    top 100 with weights that never saw its judgments; plus the weights fitted on every request (what
    `fusion.LEARNED_*` should hold)."""
    per_seed = [evaluate_run(run=run, qrels=qrels) for run in learn.cross_validated_runs(rows=features, qrels=qrels)]
    summary = {k: round(float(np.mean([m[k] for m in per_seed])), 4) for k in per_seed[0]}
    summary["ndcg@10_per_shuffle"] = [round(m["ndcg@10"], 4) for m in per_seed]
    return summary, learn.fit_weights(rows=features, qrels=qrels)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="techbridge bench matching", description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=Path, default=DEFAULT_DATA / "offers.jsonl")
    parser.add_argument("--requests", type=Path, default=DEFAULT_DATA / "requests.jsonl")
    parser.add_argument("--qrels", type=Path, default=DEFAULT_DATA / "qrels.tsv")
    parser.add_argument("--run-output", type=Path)
    parser.add_argument("--unjudged-output", type=Path,
                        help="write TechBridge's unjudged top-10 offers (TSV, with titles) for assessors")
    parser.add_argument("--limit-offers", type=int, help="only the first N offers (quick checks)")
    parser.add_argument("--variant", choices=list(emb.VARIANTS),
                        help="encoder variant (default: the platform's)")
    parser.add_argument("--no-semantic", action="store_true", help="lexical + structured only")
    parser.add_argument("--cached-only", action="store_true",
                        help="keep only offers whose vectors are already cached (say so when reporting)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from django.test.utils import override_settings

    from techbridge.matching import bench_db
    from techbridge.matching.services import index

    overrides = {"TECHBRIDGE_SEMANTIC": not args.no_semantic}
    if args.variant:
        overrides["TECHBRIDGE_ENCODER_VARIANT"] = args.variant
    offers = load_jsonl(path=args.offers, limit=args.limit_offers)
    requests = load_jsonl(path=args.requests)
    qrels = load_qrels(path=args.qrels)
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True  # never leave benchmark tasks in the real queue
    with override_settings(**overrides), bench_db.throwaway_database(tag="matching"):
        print("fresh database ready; importing through the exchange's bulk import …", file=sys.stderr, flush=True)
        out = run(offers=offers, requests=requests, qrels=qrels, variant=index.encoder_variant(),
                  run_output=args.run_output, progress=not args.json, cached_only=args.cached_only,
                  unjudged_output=args.unjudged_output)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    subset = " (cached-only subset of " + str(out["offers_in_file"]) + ")" if out["cached_only"] else ""
    print(f"offers={out['offers']}{subset} requests={out['requests']} judged={out['judged_requests']} "
          f"semantic={'on ' + out['model_key'] if out['semantic'] else 'off (' + out['semantic_reason'] + ')'}")
    print(f"timings (s): {out['timings_s']}; TechBridge query p50 {out['query_ms_p50']} ms, "
          f"p95 {out['query_ms_p95']} ms")
    print(f"{'system':28s} {'nDCG@10':>8s} {'R@10':>7s} {'R@100':>7s} {'MRR':>7s} {'judged@10':>9s} "
          f"{'nDCG@10 judged only':>20s}")
    for name, m in out["systems"].items():
        print(f"{name:28s} {m['ndcg@10']:8.4f} {m['recall@10']:7.4f} {m['recall@100']:7.4f} {m['mrr']:7.4f} "
              f"{m['judged@10']:9.3f} {m['ndcg@10_judged_only']:20.4f}")
    base = out["systems"]["bm25"]["ndcg@10"]
    print(f"TechBridge vs BM25 alone: {out['systems']['techbridge']['ndcg@10'] - base:+.4f} nDCG@10")
    if out["fusion_fit"]:
        cv = out["systems"]["techbridge_cv"]
        print(f"  with fusion weights cross-validated: {cv['ndcg@10'] - base:+.4f} (shuffles "
              f"{', '.join(f'{v:.4f}' for v in cv['ndcg@10_per_shuffle'])}); weights fitted on all requests: "
              f"{out['fusion_fit']} (shipped: lexical {LEARNED_LEXICAL}, {LEARNED_MODES})")
    if args.run_output:
        print(f"run written to {args.run_output}")
    if args.unjudged_output:
        print(f"unjudged top-10 pairs written to {args.unjudged_output}")
    return 0
