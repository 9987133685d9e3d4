"""The vector index alone at 100k–1M profiles, and the encoders' throughput (`bench matching-scale` parts).

Why synthetic vectors: embedding a million texts takes hours on two cores, so the index-only run uses vectors
that are *derived from real ones*: a few thousand real profile vectors (first passage of real offers and
requests, embedded by the platform's encoder and cached) are mixed pairwise with random weights plus isotropic
noise, which keeps the clustered, low-intrinsic-dimension shape of real embeddings without duplicating them.
Pure random unit vectors (no structure at all, the worst case for any graph index) are available with
``--vectors random`` and reported as such. Queries are fresh draws from the same generator, never indexed.
"""

from __future__ import annotations

import json
import resource
import time

import numpy as np

from techbridge.matching.engine.evaluate import DEFAULT_CACHE, DEFAULT_DATA, load_jsonl

EF_CHOICES = (16, 32, 64, 128, 256, 512, 1024)


def _pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 3) if values else 0.0


def rss_mb() -> float:
    """Resident memory of this process now, MB (VmRSS; the peak where /proc is missing)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _first_passages(*, records: list[dict], encoder, tokens: int) -> list[str]:
    """Each record's title and text cut to ``tokens`` word-pieces (the issue's '~250-token profile')."""
    texts = []
    for record in records:
        text = f"{record.get('title', '')}. {record.get('text', '')}"
        ids = encoder.tokenizer(text, add_special_tokens=False, truncation=False, verbose=False)["input_ids"]
        texts.append(encoder.tokenizer.decode(ids[:tokens]))
    return texts


def base_vectors(*, count: int = 2000) -> tuple[np.ndarray, str]:
    """Real profile vectors to derive synthetic ones from (cached); (random, reason) without the encoder."""
    from techbridge.matching.engine.embedding import encode_texts, load_encoder

    path = DEFAULT_CACHE / f"scale-base-{count}.npy"
    if path.exists():
        return np.load(path), "real offers/requests (cached)"
    encoder = load_encoder(variant="onnx-int8") or load_encoder(variant="fp32")
    if encoder is None:
        rng = np.random.default_rng(5)
        return rng.normal(size=(count, 384)).astype(np.float32), "random (semantic extra missing)"
    offers = load_jsonl(path=DEFAULT_DATA / "offers.jsonl", limit=count * 2)[::2]
    requests = load_jsonl(path=DEFAULT_DATA / "all-requests.jsonl", limit=count // 3)
    records = (offers + requests)[:count]
    vectors = encode_texts(encoder=encoder, texts=_first_passages(records=records, encoder=encoder, tokens=254))
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors, f"real offers/requests, {encoder.key}"


def synthetic(*, base: np.ndarray, n: int, rng: np.random.Generator, noise: float = 0.25) -> np.ndarray:
    """``n`` unit vectors: w·a + (1−w)·b + noise, a and b random real vectors, w ~ U(0.5, 1), where the
    noise vector has norm ``noise`` (so a vector's nearest real neighbour is at cosine ~0.8–0.9, as between
    real profiles on the same topic)."""
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    for start in range(0, n, 50_000):
        m = min(50_000, n - start)
        a = base[rng.integers(len(base), size=m)]
        b = base[rng.integers(len(base), size=m)]
        w = rng.uniform(0.5, 1.0, size=(m, 1)).astype(np.float32)
        g = rng.normal(size=(m, base.shape[1])).astype(np.float32)
        g *= noise / np.linalg.norm(g, axis=1, keepdims=True)
        block = w * a + (1 - w) * b + g
        out[start:start + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def index_only(*, n: int, kind: str = "real-mix", n_queries: int = 200, seed: int = 11,
               connectivity: int = 32, ef_add: int = 200, progress=print) -> dict:
    """The platform's ANN index (``AnnIndex``, hnswlib) over ``n`` vectors vs exact numpy search, same run."""
    from techbridge.matching.engine.vectors import AnnIndex, normalise

    rng = np.random.default_rng(seed)
    if kind == "random":
        base, origin = None, "random unit vectors (no structure: worst case)"
        data = np.empty((n, 384), dtype=np.float32)
        for start in range(0, n, 100_000):
            block = rng.normal(size=(min(100_000, n - start), 384)).astype(np.float32)
            data[start:start + len(block)] = normalise(matrix=block)
        queries = normalise(matrix=rng.normal(size=(n_queries, 384)))
    else:
        base, origin = base_vectors()
        origin = f"synthetic mixtures of {len(base)} {origin} vectors + noise"
        data = synthetic(base=base, n=n, rng=rng)
        queries = synthetic(base=base, n=n_queries, rng=np.random.default_rng(seed + 1))
    rss_before = rss_mb()
    ann = AnnIndex(dim=384, backend="hnswlib", connectivity=connectivity, expansion_add=ef_add,
                   expansion_search=EF_CHOICES[0])
    ids = [str(i) for i in range(n)]
    t = time.perf_counter()
    step = max(50_000, n // 20)
    for start in range(0, n, step):
        ann.add(ids=ids[start:start + step], vectors=data[start:start + step])
        progress(f"  indexed {min(n, start + step):,}/{n:,} vectors ({time.perf_counter() - t:.0f} s)")
    build = time.perf_counter() - t
    index_mb = rss_mb() - rss_before
    exact_ms, truth = [], []
    for q in queries:
        t = time.perf_counter()
        scores = data @ q
        top = np.argpartition(-scores, 10)[:10]
        exact_ms.append((time.perf_counter() - t) * 1000)
        truth.append({str(i) for i in top})
    by_ef = []
    for ef in EF_CHOICES:
        ann.params["expansion_search"] = ef
        ms, recall = [], []
        for q, expected in zip(queries, truth, strict=True):
            t = time.perf_counter()
            got = {doc for doc, _ in ann.search(vector=q[None, :], k=10)}
            ms.append((time.perf_counter() - t) * 1000)
            recall.append(len(expected & got) / 10)
        by_ef.append({"ef_search": ef, "p50_ms": _pct(ms, 50), "p95_ms": _pct(ms, 95),
                      "recall@10": round(float(np.mean(recall)), 4)})
    good = [row for row in by_ef if row["recall@10"] >= 0.95]
    return {"profiles": n, "vectors": origin, "backend": "hnswlib", "M": connectivity, "ef_add": ef_add,
            "build_s": round(build, 1), "build_vectors_per_s": round(n / build, 1),
            "memory_mb": {"vectors": round(data.nbytes / 2**20, 1), "index": round(index_mb, 1),
                          "peak_rss": round(peak_rss_mb(), 1)},
            "exact_numpy_ms": {"p50": _pct(exact_ms, 50), "p95": _pct(exact_ms, 95)},
            "by_ef_search": by_ef,
            "first_ef_with_recall_0.95": good[0] if good else None}


def encoder_throughput(*, sample: int = 256, tokens: int = 250, variants=("fp32", "onnx-int8", "bf16"),
                       batch_size: int = 32) -> dict:
    """Profiles/s of each encoder variant on real offers cut to ``tokens`` word-pieces (fp32 = baseline),
    with the mean cosine of each variant's vectors to the fp32 ones (how much the speed costs in meaning)."""
    from techbridge.matching.engine.embedding import encode_texts, load_encoder, unavailable_reason

    records = load_jsonl(path=DEFAULT_DATA / "offers.jsonl", limit=sample)
    out, reference, texts = {}, None, None
    for variant in variants:
        encoder = load_encoder(variant=variant)
        if encoder is None:
            out[variant] = {"error": unavailable_reason()}
            continue
        texts = texts or _first_passages(records=records, encoder=encoder, tokens=tokens)
        encode_texts(encoder=encoder, texts=texts[:batch_size], batch_size=batch_size)  # warm-up
        t, cpu = time.perf_counter(), time.process_time()
        vectors = encode_texts(encoder=encoder, texts=texts, batch_size=batch_size)
        wall, cpu = time.perf_counter() - t, time.process_time() - cpu
        row = {"profiles_per_s": round(len(texts) / wall, 1), "cpu_s": round(cpu, 1), "wall_s": round(wall, 1)}
        if reference is None:
            reference = vectors
        else:
            row["mean_cosine_to_" + variants[0]] = round(float((vectors * reference).sum(axis=1).mean()), 4)
            row["speed_up"] = round(row["profiles_per_s"] / out[variants[0]]["profiles_per_s"], 2)
        out[variant] = row
    return {"profiles": sample, "tokens_per_profile": tokens, "batch_size": batch_size, "variants": out}


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(encoder_throughput(), indent=2))
