"""Nearest-neighbour search over profile vectors: exact (numpy) below a threshold, HNSW above it.

Why both: up to ~20k profiles an exact matrix product is a few milliseconds and has perfect recall, so
approximate search would only add error; at 100k-1M profiles exact search costs tens to hundreds of
milliseconds per query and an HNSW graph answers in about a millisecond. Both hnswlib (default:
same recall and latency as usearch in ``bench/matching_engine_scale.py --index-only``, 2.5x faster
build) and usearch are supported behind one interface.

Every document may carry several passage vectors; the exact path scores a document by its best passages
(see :func:`passage_similarity`), the ANN path indexes every passage (row -> document), probes it once per
query passage and re-scores the union of candidates exactly with their passages.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

ANN_THRESHOLD = 20_000
#: HNSW settings measured on 1,000,000 vectors derived from real profile vectors (docs/benchmarks.md): with
#: M 16 / ef_construction 100 recall@10 stayed at 0.92, with M 32 / 200 it reaches 0.977 at ef_search 512
#: (0.84 ms p50). The search breadth grows with the index: ``auto_ef``.
CONNECTIVITY = 32
EXPANSION_ADD = 200
EXPANSION_SEARCH_MIN, EXPANSION_SEARCH_MAX = 64, 1024


def auto_ef(rows: int) -> int:
    """ef_search for an index of ``rows`` vectors: 64 up to 128k rows (recall@10 0.97 at 100k), then one per
    2,000 rows (512 at 1M, where recall@10 is 0.977), at most 1,024."""
    return max(EXPANSION_SEARCH_MIN, min(EXPANSION_SEARCH_MAX, rows // 2000))


def normalise(*, matrix: np.ndarray) -> np.ndarray:
    """Row-wise L2 normalisation (zero rows stay zero)."""
    matrix = np.atleast_2d(np.asarray(matrix, dtype=np.float32))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


def pooled_similarity(*, query: np.ndarray, passages: np.ndarray, owners: np.ndarray, n_docs: int,
                      modes: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Document scores from query-passage x doc-passage cosine similarities, for each pooling mode asked
    (documents without passages score -1); the passage products are computed once for all modes.

    ``first``: first query passage vs first doc passage only (a truncating encoder);
    ``maxsim``: best pair over all query and doc passages;
    ``qmean``: for each query passage its best doc passage, averaged over query passages — a long request
    states several needs, and a document meeting more of them should win; ``qmix``: the mean of the two.
    """
    unknown = set(modes) - {"first", "maxsim", "qmean", "qmix"}
    if unknown:
        raise ValueError(f"unknown passage mode {sorted(unknown)[0]!r}")
    q = normalise(matrix=query)
    out: dict[str, np.ndarray] = {}
    if "first" in modes:
        docs, first_rows = np.unique(owners, return_index=True)
        out["first"] = np.full(n_docs, -1.0, dtype=np.float32)
        out["first"][docs] = passages[first_rows] @ q[0]
    if set(modes) - {"first"}:
        sims = passages @ q.T  # (n_passages, n_query_passages)
        best = np.full((n_docs, sims.shape[1]), -1.0, dtype=np.float32)
        np.maximum.at(best, owners, sims)
        pooled = {"maxsim": best.max(axis=1), "qmean": best.mean(axis=1)}
        pooled["qmix"] = 0.5 * pooled["maxsim"] + 0.5 * pooled["qmean"]
        out.update({mode: pooled[mode] for mode in modes if mode != "first"})
    return out


def passage_similarity(*, query: np.ndarray, passages: np.ndarray, owners: np.ndarray, n_docs: int,
                       mode: str = "maxsim") -> np.ndarray:
    """Document scores under one pooling mode (see :func:`pooled_similarity`)."""
    return pooled_similarity(query=query, passages=passages, owners=owners, n_docs=n_docs, modes=(mode,))[mode]


class AnnIndex:
    """Thin wrapper over a usearch (default) or hnswlib HNSW index with string ids and save/load."""

    def __init__(self, *, dim: int, backend: str = "usearch", connectivity: int = CONNECTIVITY,
                 expansion_add: int = EXPANSION_ADD, expansion_search: int | None = None):
        """``expansion_search=None``: chosen by :func:`auto_ef` from the index size at each search."""
        self.dim, self.backend = dim, backend
        self.params = {"connectivity": connectivity, "expansion_add": expansion_add,
                       "expansion_search": expansion_search}
        self.key_of: dict[str, int] = {}
        self.id_of: dict[int, str] = {}
        self._next = 0
        self._index = self._new()

    def _new(self):
        p = self.params
        if self.backend == "usearch":
            from usearch.index import Index

            return Index(ndim=self.dim, metric="ip", dtype="f32", connectivity=p["connectivity"],
                         expansion_add=p["expansion_add"], expansion_search=self._ef())
        if self.backend == "hnswlib":
            import hnswlib

            index = hnswlib.Index(space="ip", dim=self.dim)
            index.init_index(max_elements=1024, ef_construction=p["expansion_add"], M=p["connectivity"],
                             allow_replace_deleted=True)
            index.set_ef(self._ef())
            index.set_num_threads(2)
            return index
        raise ValueError(f"unknown ANN backend {self.backend!r}")

    def __len__(self) -> int:
        return len(self.key_of)

    def _ef(self) -> int:
        """The search breadth: as configured, else :func:`auto_ef` of the vectors indexed now."""
        return self.params["expansion_search"] or auto_ef(len(self.id_of))

    def add(self, *, ids: list[str], vectors: np.ndarray) -> None:
        """Insert or replace vectors; ``ids[i]`` owns row ``i`` and an id may own several rows (passages)."""
        for doc_id in set(ids):
            if doc_id in self.key_of:
                self.remove(doc_id=doc_id)
        keys = np.arange(self._next, self._next + len(ids), dtype=np.uint64)
        self._next += len(ids)
        vectors = normalise(matrix=vectors)
        if self.backend == "usearch":
            self._index.add(keys, vectors, threads=2)
        else:
            need = self._index.get_current_count() + len(ids)
            if need > self._index.get_max_elements():
                self._index.resize_index(max(need, 2 * self._index.get_max_elements()))
            self._index.add_items(vectors, keys.astype(np.int64), num_threads=2)
        for doc_id, key in zip(ids, keys.tolist(), strict=True):
            self.key_of.setdefault(doc_id, []).append(key)
            self.id_of[key] = doc_id

    def remove(self, *, doc_id: str) -> None:
        """Delete all vectors of a document (no-op when absent)."""
        for key in self.key_of.pop(doc_id, []):
            self.id_of.pop(key, None)
            if self.backend == "usearch":
                self._index.remove(key)
            else:
                self._index.mark_deleted(key)

    def search(self, *, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Top-k (id, best cosine) pairs; fetches extra rows because several may belong to one id."""
        if not self.key_of:
            return []
        fetch = min(len(self.id_of), k * 3 if len(self.id_of) > len(self.key_of) else k)
        q = normalise(matrix=vector)[0]
        ef = self._ef()
        if self.backend == "usearch":
            self._index.expansion_search = max(ef, fetch)
            res = self._index.search(q, fetch)
            keys, dists = res.keys, res.distances
        else:
            self._index.set_ef(max(ef, fetch))
            labels, dists = self._index.knn_query(q, k=fetch)
            keys, dists = labels[0], dists[0]
        best: dict[str, float] = {}
        for key, d in zip(keys.tolist(), dists.tolist(), strict=True):
            doc_id = self.id_of.get(int(key))
            if doc_id is not None and doc_id not in best:
                best[doc_id] = 1.0 - float(d)
        return list(best.items())[:k]

    def save(self, *, path: Path) -> None:
        """Persist the graph plus the id mapping next to it (``path`` and ``path.ids.json``)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.backend == "usearch":
            self._index.save(str(path))
        else:
            self._index.save_index(str(path))
        meta = {"dim": self.dim, "backend": self.backend, "params": self.params, "next": self._next,
                "key_of": self.key_of}
        path.with_name(path.name + ".ids.json").write_text(json.dumps(meta))

    @classmethod
    def load(cls, *, path: Path) -> AnnIndex:
        """Inverse of :meth:`save`."""
        path = Path(path)
        meta = json.loads(path.with_name(path.name + ".ids.json").read_text())
        obj = cls(dim=meta["dim"], backend=meta["backend"], **meta["params"])
        if obj.backend == "usearch":
            obj._index.load(str(path))
        else:
            obj._index.load_index(str(path), max_elements=max(1024, meta["next"]), allow_replace_deleted=True)
            obj._index.set_ef(obj._ef())
        obj.key_of = {k: [int(x) for x in v] for k, v in meta["key_of"].items()}
        obj.id_of = {x: k for k, v in obj.key_of.items() for x in v}
        obj._next = meta["next"]
        return obj


class VectorIndex:
    """Passage vectors per document with exact search, plus an ANN index once the corpus is large."""

    def __init__(self, *, dim: int = 384, ann_threshold: int = ANN_THRESHOLD, backend: str = "hnswlib"):
        self.dim, self.ann_threshold, self.backend = dim, ann_threshold, backend
        self.passages: dict[str, np.ndarray] = {}
        self._ann: AnnIndex | None = None
        self._matrix: np.ndarray | None = None  # all passages stacked, for exact search only
        self._owners: np.ndarray | None = None
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._stale = True

    def __len__(self) -> int:
        return len(self.passages)

    @property
    def uses_ann(self) -> bool:
        return len(self.passages) >= self.ann_threshold

    def add(self, *, doc_id: str, vectors: np.ndarray) -> None:
        """Store a document's vectors: one row (profile vector) or several (passages)."""
        vectors = normalise(matrix=vectors)
        self.passages[doc_id] = vectors
        self._stale = True
        if self._ann is not None:
            self._ann.add(ids=[doc_id] * len(vectors), vectors=vectors)

    def remove(self, *, doc_id: str) -> None:
        if self.passages.pop(doc_id, None) is not None:
            self._stale = True
            if self._ann is not None:
                self._ann.remove(doc_id=doc_id)

    def _stacked(self, doc_ids: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The passages of ``doc_ids`` (default: every indexed document) in one matrix, with each row's owner
        as an index into ``doc_ids``."""
        mats = [self.passages[d] for d in (self._ids if doc_ids is None else doc_ids)]
        matrix = np.concatenate(mats) if mats else np.zeros((0, self.dim), np.float32)
        return matrix, np.repeat(np.arange(len(mats)), [len(m) for m in mats])

    def _build(self) -> None:
        """Bring ids (and the ANN graph, once the corpus is large) up to date. The stacked matrix of exact search
        is made only when exact search runs: with the graph in use it would be a third copy of every vector."""
        if not self._stale:
            return
        self._ids = list(self.passages)
        self._row = {d: i for i, d in enumerate(self._ids)}
        self._matrix = self._owners = None
        if self.uses_ann and self._ann is None:
            matrix, owners = self._stacked()
            self._ann = AnnIndex(dim=self.dim, backend=self.backend)
            self._ann.add(ids=[self._ids[o] for o in owners.tolist()], vectors=matrix)
        self._stale = False

    def _exact(self) -> tuple[np.ndarray, np.ndarray]:
        self._build()
        if self._matrix is None:
            self._matrix, self._owners = self._stacked()
        return self._matrix, self._owners

    def exact_scores(self, *, query: np.ndarray, mode: str = "maxsim") -> tuple[list[str], np.ndarray]:
        """Scores of every document (ids, scores) by passage similarity."""
        matrix, owners = self._exact()
        scores = passage_similarity(query=query, passages=matrix, owners=owners, n_docs=len(self._ids), mode=mode)
        return self._ids, scores

    def candidates(self, *, query: np.ndarray, k: int, mode: str = "maxsim") -> dict[str, float]:
        """Top-k documents by vector similarity: exact below the threshold, ANN (re-scored) above."""
        self._build()
        if not self.uses_ann:
            ids, scores = self.exact_scores(query=query, mode=mode)
            top = np.argsort(-scores)[:k]
            return {ids[i]: float(scores[i]) for i in top}
        q = normalise(matrix=query)
        found: set[str] = set()
        for row in q:  # one ANN probe per query passage, then exact re-scoring of the union
            found.update(d for d, _ in self._ann.search(vector=row, k=k))
        docs = list(found)
        scores = self.mode_scores(doc_ids=docs, query=q, modes=(mode,))[mode]
        return dict(sorted(zip(docs, scores.tolist(), strict=True), key=lambda kv: -kv[1])[:k])

    def mode_scores(self, *, doc_ids: list[str], query: np.ndarray,
                    modes: tuple[str, ...]) -> dict[str, np.ndarray]:
        """Passage similarity of the given documents (candidates, ANN hits) under several pooling modes at once,
        from one matrix product (the fusion mixes modes, see :mod:`.fusion`). Documents without vectors score 0."""
        present = [i for i, d in enumerate(doc_ids) if d in self.passages]
        out = {mode: np.zeros(len(doc_ids), dtype=np.float32) for mode in modes}
        if not present:
            return out
        passages, owners = self._stacked([doc_ids[i] for i in present])
        pooled = pooled_similarity(query=query, passages=passages, owners=owners, n_docs=len(present), modes=modes)
        for mode in modes:
            out[mode][present] = pooled[mode]
        return out

    def best_passage(self, *, doc_id: str, query: np.ndarray) -> int | None:
        """Index of the document passage closest to any query passage (for the explanation snippet)."""
        vecs = self.passages.get(doc_id)
        if vecs is None:
            return None
        sims = vecs @ normalise(matrix=query).T
        return int(np.argmax(sims.max(axis=1)))

    def save(self, *, path: Path) -> None:
        """Persist all passage vectors (and the ANN graph when built) under ``path`` (a directory)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        matrix, _ = self._exact()
        counts = np.array([len(self.passages[d]) for d in self._ids], dtype=np.int32)
        np.savez(path / "vectors.npz", ids=np.array(self._ids, dtype=object).astype(str), counts=counts,
                 matrix=matrix)
        (path / "meta.json").write_text(json.dumps({"dim": self.dim, "ann_threshold": self.ann_threshold,
                                                    "backend": self.backend}))
        if self._ann is not None:
            self._ann.save(path=path / "ann.index")

    @classmethod
    def load(cls, *, path: Path) -> VectorIndex:
        """Inverse of :meth:`save`; the ANN graph is loaded, not rebuilt."""
        path = Path(path)
        meta = json.loads((path / "meta.json").read_text())
        obj = cls(dim=meta["dim"], ann_threshold=meta["ann_threshold"], backend=meta["backend"])
        with np.load(path / "vectors.npz") as z:
            ids, counts, matrix = z["ids"], z["counts"], z["matrix"]
        ends = np.cumsum(counts)
        for doc_id, end, count in zip(ids.tolist(), ends, counts, strict=True):
            obj.passages[str(doc_id)] = matrix[end - count:end]
        if (path / "ann.index").exists():
            obj._ann = AnnIndex.load(path=path / "ann.index")
        return obj
