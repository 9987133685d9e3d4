"""Evaluation harness over the benchmark files (offers.jsonl, requests.jsonl, qrels.tsv).

Why a harness separate from the bench script: the tuning (cross-validated fusion weights) and the tests
both need to turn benchmark records into engine ``fields`` and score runs the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .embedding import CACHE_ROOT
from .metrics import evaluate_run

DEFAULT_DATA = Path("/work/shared/data/matching")
DEFAULT_CACHE = CACHE_ROOT / "matching"


def load_jsonl(*, path: Path, limit: int | None = None) -> list[dict]:
    """Read a JSON-lines file (optionally only the first ``limit`` records)."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(json.loads(line))
                if limit is not None and len(out) >= limit:
                    break
    return out


def load_qrels(*, path: Path) -> dict[str, dict[str, int]]:
    """``request_id -> {offer_id: grade}`` from a TREC-like TSV."""
    qrels: dict[str, dict[str, int]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    return qrels


def record_fields(*, record: dict) -> dict:
    """Map a benchmark record to engine fields: text -> description, category -> a keyword.

    The benchmark carries no structured data, so the structured keys stay empty and structured fit is
    neutral there (it is exercised by the unit tests instead).
    """
    kind = record.get("type") or "technology_offer"
    return {
        "title": record.get("title") or "",
        "description": record.get("text") or "",
        "keywords": record.get("category") or "",
        "kind": kind,
    }


def write_run(*, path: Path, run: dict[str, list[tuple[str, float]]], tag: str) -> None:
    """Write a TREC run file (``qid Q0 docid rank score tag``) for external checking."""
    with open(path, "w", encoding="utf-8") as fh:
        for qid, ranked in run.items():
            for rank, (doc_id, score) in enumerate(ranked, start=1):
                fh.write(f"{qid}\tQ0\t{doc_id}\t{rank}\t{score:.6f}\t{tag}\n")


def score_run(*, run: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """Thin alias kept so bench scripts import everything evaluation-related from one module."""
    return evaluate_run(run=run, qrels=qrels)


def warm_cache(*, data_dir: Path = DEFAULT_DATA, variant: str = "fp32", include_all_requests: bool = False,
               limit: int | None = None) -> Path:
    """Embed (passages of) every benchmark text into the on-disk cache; meant for a niced background run."""
    from .embedding import EmbeddingCache, encode_passages, load_encoder
    from .text import profile_text

    encoder = load_encoder(variant=variant)
    if encoder is None:
        raise SystemExit("encoder unavailable")
    cache_path = DEFAULT_CACHE / f"passages-{variant}.npz"
    cache = EmbeddingCache(path=cache_path)
    files = ["requests.jsonl", "offers.jsonl"] + (["all-requests.jsonl"] if include_all_requests else [])
    for name in files:
        records = load_jsonl(path=data_dir / name, limit=limit)
        texts = [profile_text(fields=record_fields(record=r)) for r in records]
        print(f"{name}: {len(texts)} texts", flush=True)
        encode_passages(encoder=encoder, texts=texts, cache=cache, progress=True, save_every=1000)
    return cache_path


if __name__ == "__main__":  # pragma: no cover - manual cache warm-up
    import sys

    warm_cache(variant=sys.argv[1] if len(sys.argv) > 1 else "fp32",
               limit=int(sys.argv[2]) if len(sys.argv) > 2 else None)
    _ = np
