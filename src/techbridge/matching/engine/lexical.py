"""Field-weighted BM25 (BM25F-style) over profile fields, with stemming and optional bigrams.

Why BM25F rather than BM25 over one concatenated text: a term in a title or keyword list says more about
what a profile *is* than the same term deep in a 4,000-character description; BM25F adds the
length-normalised, weighted field frequencies before saturating, so a title hit cannot be outweighed by
repetition in the body. The index is a scipy sparse matrix rebuilt lazily after updates, which keeps a
query over 100k profiles to a few sparse column slices.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .text import analyse, field_text

DEFAULT_FIELD_WEIGHTS = {
    "title": 2.0,
    "keywords": 1.5,
    "summary": 1.5,
    "description": 1.0,
    "advantages": 1.0,
    "technical_spec": 1.0,
}


@dataclass
class BM25Params:
    """Tunable BM25F parameters (chosen by cross-validation, see docs/matching.md)."""

    k1: float = 1.2
    b: float = 0.75
    bigrams: bool = False
    bigram_weight: float = 0.5
    stemming: bool = True
    field_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_FIELD_WEIGHTS))
    query_field_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_FIELD_WEIGHTS))
    query_tf_cap: float = 3.0  # saturation of repeated query terms (long requests repeat themselves)


def field_terms(*, fields: dict, params: BM25Params) -> dict[str, Counter]:
    """Analysed term counts per weighted field."""
    out: dict[str, Counter] = {}
    for name in params.field_weights:
        text = field_text(fields=fields, name=name)
        if text:
            out[name] = Counter(analyse(text=text, bigrams=params.bigrams, stemming=params.stemming))
    return out


def query_vector(*, fields: dict, params: BM25Params) -> Counter:
    """Weighted, saturated query-term weights: field weight x tf, then tf/(tf+cap)*(cap+1)."""
    raw: Counter = Counter()
    for name, weight in params.query_field_weights.items():
        text = field_text(fields=fields, name=name)
        if not text:
            continue
        for term, tf in Counter(analyse(text=text, bigrams=params.bigrams, stemming=params.stemming)).items():
            w = weight * tf * (params.bigram_weight if "_" in term else 1.0)
            raw[term] += w
    cap = params.query_tf_cap
    return Counter({t: w * (cap + 1) / (w + cap) for t, w in raw.items()})


class LexicalIndex:
    """BM25F index over a mutable set of documents.

    Each document is kept as three small arrays (field, term id, count) against one shared vocabulary, not as
    Python counters: at 16,464 real offers the counters took 198 MB (12 KB per document), which a web process
    holding 1,000,000 profiles could not afford (docs/benchmarks.md). The weight matrix is rebuilt from the
    arrays with numpy after changes.
    """

    def __init__(self, *, params: BM25Params | None = None):
        self.params = params or BM25Params()
        self._fields = list(self.params.field_weights)
        self.docs: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}  # id -> (field, term id, tf)
        self._term_id: dict[str, int] = {}
        self._terms: list[str] = []
        self._dirty = True
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._matrix: sparse.csc_matrix | None = None
        self._idf: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.docs)

    def add(self, *, doc_id: str, fields: dict) -> None:
        """Insert or replace a document (marks the matrix for a lazy rebuild)."""
        codes, term_ids, counts = [], [], []
        for name, terms in field_terms(fields=fields, params=self.params).items():
            code = self._fields.index(name)
            for term, tf in terms.items():
                tid = self._term_id.get(term)
                if tid is None:
                    tid = self._term_id[term] = len(self._terms)
                    self._terms.append(term)
                codes.append(code)
                term_ids.append(tid)
                counts.append(tf)
        self.docs[doc_id] = (np.asarray(codes, dtype=np.uint8), np.asarray(term_ids, dtype=np.int32),
                             np.asarray(counts, dtype=np.float32))
        self._dirty = True

    def remove(self, *, doc_id: str) -> None:
        """Drop a document if present."""
        if self.docs.pop(doc_id, None) is not None:
            self._dirty = True

    @property
    def ids(self) -> list[str]:
        self._build()
        return self._ids

    def row_of(self, *, doc_id: str) -> int | None:
        self._build()
        return self._row.get(doc_id)

    def _build(self) -> None:
        """(Re)build the saturated BM25F weight matrix and idf vector from the stored term counts.

        Per field, a document's length is the sum of its counts and is normalised by the mean length over the
        documents that have that field; a term's weighted frequencies are summed over fields (duplicates of a
        (document, term) pair add up in the sparse constructor) and then saturated once.
        """
        if not self._dirty:
            return
        p = self.params
        ids = list(self.docs)
        n, n_fields, n_terms = len(ids), len(self._fields), len(self._terms)
        entries = [self.docs[d] for d in ids]
        sizes = np.fromiter((len(e[1]) for e in entries), dtype=np.int64, count=n)
        doc = np.repeat(np.arange(n, dtype=np.int64), sizes)
        code = np.concatenate([e[0] for e in entries]).astype(np.int64) if n else np.zeros(0, np.int64)
        term = np.concatenate([e[1] for e in entries]) if n else np.zeros(0, np.int32)
        tf = np.concatenate([e[2] for e in entries]).astype(np.float64) if n else np.zeros(0)
        slot = doc * n_fields + code
        lengths = np.bincount(slot, weights=tf, minlength=n * n_fields).reshape(n, n_fields)
        has = np.bincount(slot, minlength=n * n_fields).reshape(n, n_fields) > 0
        with_field = has.sum(axis=0)
        avg_len = np.where(with_field > 0, lengths.sum(axis=0) / np.maximum(with_field, 1), 1.0)
        norm = 1.0 - p.b + p.b * lengths[doc, code] / np.maximum(avg_len[code], 1e-9)
        weights = np.array([p.field_weights[name] for name in self._fields])
        matrix = sparse.csr_matrix((weights[code] / norm * tf, (doc, term.astype(np.int64))),
                                   shape=(n, n_terms))
        matrix.sum_duplicates()
        data = matrix.data.astype(np.float32)
        matrix.data = data * (p.k1 + 1.0) / (p.k1 + data)
        df = np.bincount(matrix.indices, minlength=n_terms).astype(np.float64)
        self._idf = np.where(df > 0, np.log(1.0 + (n - df + 0.5) / (df + 0.5)), 0.0).astype(np.float32)
        self._matrix = matrix.tocsc()
        self._ids = ids
        self._row = {d: i for i, d in enumerate(ids)}
        self._dirty = False

    def idf(self, *, term: str) -> float:
        """Inverse document frequency of an analysed term (0 for unseen terms)."""
        self._build()
        c = self._term_id.get(term)
        return float(self._idf[c]) if c is not None and c < len(self._idf) else 0.0

    def scores(self, *, query_fields: dict | None = None, query_terms: Counter | None = None) -> np.ndarray:
        """BM25F score of every indexed document (row order = :attr:`ids`)."""
        self._build()
        q = query_terms if query_terms is not None else query_vector(fields=query_fields or {},
                                                                     params=self.params)
        cols, weights = [], []
        for term, w in q.items():
            c = self._term_id.get(term)
            if c is not None and c < len(self._idf) and self._idf[c] > 0:
                cols.append(c)
                weights.append(w * self._idf[c])
        if not cols or self._matrix is None:
            return np.zeros(len(self._ids), dtype=np.float32)
        sub = self._matrix[:, cols]
        return np.asarray(sub @ np.asarray(weights, dtype=np.float32)).ravel()

    def doc_terms(self, *, doc_id: str) -> set[str]:
        """All analysed terms of a document (for explanations and feedback)."""
        entry = self.docs.get(doc_id)
        return {self._terms[t] for t in entry[1].tolist()} if entry is not None else set()

    def doc_counts(self, *, doc_id: str) -> Counter:
        """A document's analysed term counts summed over its fields."""
        counts: Counter = Counter()
        entry = self.docs.get(doc_id)
        if entry is not None:
            for t, tf in zip(entry[1].tolist(), entry[2].tolist(), strict=True):
                counts[self._terms[t]] += tf
        return counts

    def expand_query(self, *, query_terms: Counter, feedback_ids: list[str], n_terms: int = 20,
                     weight: float = 0.3) -> Counter:
        """RM3-like pseudo-relevance feedback: add the top idf-weighted terms of the first results."""
        self._build()
        pool: Counter = Counter()
        for doc_id in feedback_ids:
            counts = self.doc_counts(doc_id=doc_id)
            total = sum(counts.values()) or 1
            for term, tf in counts.items():
                pool[term] += tf / total
        scored = Counter({t: v * self.idf(term=t) for t, v in pool.items() if "_" not in t})
        top = scored.most_common(n_terms)
        if not top:
            return query_terms
        peak = top[0][1]
        q_mass = sum(query_terms.values()) / max(len(query_terms), 1)
        out = Counter({t: w * (1.0 - weight) for t, w in query_terms.items()})
        for term, v in top:
            out[term] += weight * q_mass * (v / peak) * math.sqrt(len(query_terms) / n_terms)
        return out
