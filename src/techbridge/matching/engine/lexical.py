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
    """BM25F index over a mutable set of documents."""

    def __init__(self, *, params: BM25Params | None = None):
        self.params = params or BM25Params()
        self.docs: dict[str, dict[str, Counter]] = {}
        self._dirty = True
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._vocab: dict[str, int] = {}
        self._matrix: sparse.csc_matrix | None = None
        self._idf: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.docs)

    def add(self, *, doc_id: str, fields: dict) -> None:
        """Insert or replace a document (marks the matrix for a lazy rebuild)."""
        self.docs[doc_id] = field_terms(fields=fields, params=self.params)
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
        """(Re)build the saturated BM25F weight matrix and idf vector from the stored term counts."""
        if not self._dirty:
            return
        p = self.params
        ids = list(self.docs)
        vocab: dict[str, int] = {}
        avg_len: dict[str, float] = {}
        for name in p.field_weights:
            lengths = [sum(d[name].values()) for d in self.docs.values() if name in d]
            avg_len[name] = (sum(lengths) / len(lengths)) if lengths else 1.0
        rows, cols, vals = [], [], []
        for r, doc_id in enumerate(ids):
            combined: dict[int, float] = {}
            for name, counts in self.docs[doc_id].items():
                length = sum(counts.values())
                norm = 1.0 - p.b + p.b * length / max(avg_len[name], 1e-9)
                w = p.field_weights[name] / norm
                for term, tf in counts.items():
                    c = vocab.setdefault(term, len(vocab))
                    combined[c] = combined.get(c, 0.0) + w * tf
            rows.extend([r] * len(combined))
            cols.extend(combined.keys())
            vals.extend(combined.values())
        n = len(ids)
        data = np.asarray(vals, dtype=np.float32)
        data = data * (p.k1 + 1.0) / (p.k1 + data)
        matrix = sparse.csr_matrix((data, (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
                                   shape=(n, len(vocab)))
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(vocab)).astype(np.float64)
        self._idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        self._matrix = matrix.tocsc()
        self._ids = ids
        self._row = {d: i for i, d in enumerate(ids)}
        self._vocab = vocab
        self._dirty = False

    def idf(self, *, term: str) -> float:
        """Inverse document frequency of an analysed term (0 for unseen terms)."""
        self._build()
        c = self._vocab.get(term)
        return float(self._idf[c]) if c is not None else 0.0

    def scores(self, *, query_fields: dict | None = None, query_terms: Counter | None = None) -> np.ndarray:
        """BM25F score of every indexed document (row order = :attr:`ids`)."""
        self._build()
        q = query_terms if query_terms is not None else query_vector(fields=query_fields or {},
                                                                     params=self.params)
        cols, weights = [], []
        for term, w in q.items():
            c = self._vocab.get(term)
            if c is not None:
                cols.append(c)
                weights.append(w * self._idf[c])
        if not cols or self._matrix is None:
            return np.zeros(len(self._ids), dtype=np.float32)
        sub = self._matrix[:, cols]
        return np.asarray(sub @ np.asarray(weights, dtype=np.float32)).ravel()

    def doc_terms(self, *, doc_id: str) -> set[str]:
        """All analysed terms of a document (for explanations and feedback)."""
        return {t for counts in self.docs.get(doc_id, {}).values() for t in counts}

    def expand_query(self, *, query_terms: Counter, feedback_ids: list[str], n_terms: int = 20,
                     weight: float = 0.3) -> Counter:
        """RM3-like pseudo-relevance feedback: add the top idf-weighted terms of the first results."""
        self._build()
        pool: Counter = Counter()
        for doc_id in feedback_ids:
            counts: Counter = Counter()
            for c in self.docs.get(doc_id, {}).values():
                counts.update(c)
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
