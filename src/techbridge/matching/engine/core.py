"""The matching engine: hybrid retrieval (BM25F + passage embeddings), fusion, structure, explanations.

Why one object per side (e.g. "all published offers"): the Django layer keeps one engine per profile
kind in memory, updates it as profiles are published/withdrawn, and asks it for the complementary
profiles of a query profile. Everything here is plain Python + numpy so it can be tested and
benchmarked without Django.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .explain import best_sentence, candidate_text, matched_terms
from .explain import explain as describe
from .fusion import FusionWeights, fuse
from .lexical import BM25Params, LexicalIndex
from .lexical import query_vector as lexical_query
from .structure import structured_fit
from .text import profile_text
from .vectors import ANN_THRESHOLD, VectorIndex, normalise

StructuredFn = Callable[[str, dict], "tuple[float, list[str]] | None"]


@dataclass
class Match:
    """One ranked candidate. ``score`` is in [0, 1]; ``components`` are the normalised parts."""

    doc_id: str
    score: float
    components: dict[str, float] = field(default_factory=dict)
    matched_terms: list[str] = field(default_factory=list)
    passage: str | None = None
    explanation: list[str] = field(default_factory=list)


@dataclass
class EngineConfig:
    """Settings chosen by cross-validation on the benchmark (see docs/matching.md)."""

    bm25: BM25Params = field(default_factory=lambda: BM25Params(
        k1=1.5, b=0.75, stemming=False, field_weights={"title": 1.0, "description": 1.0, "summary": 1.0,
                                                       "advantages": 1.0, "technical_spec": 1.0,
                                                       "keywords": 1.0},
        query_field_weights={"title": 1.0, "description": 1.0, "summary": 1.0, "advantages": 1.0,
                             "technical_spec": 1.0, "keywords": 1.0}, query_tf_cap=1e9))
    weights: FusionWeights = field(default_factory=FusionWeights)
    dense_mode: str = "maxsim"  # how the dense retriever pools passages when it gathers candidates
    dense_prf: float = 0.0  # weight of the mean vector of the 3 best dense hits added to the query
    pool: int = 100  # candidates taken from each retriever before fusion
    ann_threshold: int = ANN_THRESHOLD
    ann_backend: str = "hnswlib"  # measured: same recall/latency as usearch, 2.5x faster build


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` highest scores, best first, ties by position (as a stable sort of all of them would
    give): a partition, then a sort of those only (sorting all 100,000 scores to keep 200 took ~2 ms)."""
    if n <= 0 or not len(scores):
        return np.zeros(0, dtype=np.int64)
    if n < len(scores):
        negative = -scores
        cut = np.partition(negative, n - 1)[n - 1]  # the n-th best score (negated)
        better = np.flatnonzero(negative < cut)
        chosen = np.concatenate([better, np.flatnonzero(negative == cut)[: n - len(better)]])
    else:
        chosen = np.arange(len(scores))
    return chosen[np.lexsort((chosen, -scores[chosen]))]


class MatchingEngine:
    """Lexical + vector index over one side of the exchange."""

    def __init__(self, *, config: EngineConfig | None = None):
        self.config = config or EngineConfig()
        self.lexical = LexicalIndex(params=self.config.bm25)
        self.vectors = VectorIndex(ann_threshold=self.config.ann_threshold, backend=self.config.ann_backend)
        self.fields: dict[str, dict] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def add_or_update(self, *, doc_id: str, fields: dict, vector: np.ndarray | None) -> None:
        """Index (or re-index) a profile; ``vector`` is one profile vector or a (passages, dim) matrix."""
        self.fields[doc_id] = dict(fields)
        self.lexical.add(doc_id=doc_id, fields=fields)
        if vector is not None and np.size(vector):
            self.vectors.add(doc_id=doc_id, vectors=np.asarray(vector, dtype=np.float32))
        else:
            self.vectors.remove(doc_id=doc_id)

    def remove(self, *, doc_id: str) -> None:
        """Forget a profile (withdrawn, expired, deleted)."""
        self.fields.pop(doc_id, None)
        self.lexical.remove(doc_id=doc_id)
        self.vectors.remove(doc_id=doc_id)

    def _eligible(self, *, doc_id: str, query_fields: dict, structured: StructuredFn | None,
                  exclude: set[str] | frozenset[str]) -> tuple[float, list[str]] | None:
        if doc_id in exclude or doc_id not in self.fields:
            return None
        cand = self.fields[doc_id]
        if structured is not None:
            return structured(doc_id, cand)
        score, reasons = structured_fit(query=query_fields, candidate=cand)
        kind_q, kind_c = query_fields.get("kind"), cand.get("kind")
        if kind_q and kind_c and score == 0.0 and any("does not complement" in r for r in reasons):
            return None
        return score, reasons

    def search(self, *, query_fields: dict, query_vector: np.ndarray | None = None, k: int = 100,
               exclude: set[str] | frozenset[str] = frozenset(),
               structured: StructuredFn | None = None, explain: bool = True) -> list[Match]:
        """Rank indexed profiles against a query profile.

        Candidates are the union of the lexical and vector top ``pool``; each is scored by every
        component, ineligible ones (``exclude``, or ``structured`` returning ``None``, e.g. expired) are
        dropped *before* normalisation, and the fused score orders the rest. ``explain=False`` leaves out the
        matched terms, best passage and sentences (same order and scores): callers that only need the order,
        such as the search box, save most of a ranking's cost (~0.35 ms per result at 100,000 profiles).
        """
        if not self.fields:
            return []
        cfg = self.config
        q_terms = lexical_query(fields=query_fields, params=cfg.bm25)
        lex_all = self.lexical.scores(query_terms=q_terms)
        ids = self.lexical.ids
        pool = max(cfg.pool, k)
        order = _top(lex_all, pool * 2)
        cand: dict[str, float] = {ids[i]: float(lex_all[i]) for i in order if lex_all[i] > 0}
        dense: dict[str, float] = {}
        use_dense = query_vector is not None and len(self.vectors) > 0
        if use_dense:
            qv = np.atleast_2d(np.asarray(query_vector, dtype=np.float32))
            dense = self.vectors.candidates(query=qv, k=pool * 2, mode=cfg.dense_mode)
            if cfg.dense_prf > 0 and dense:
                # pseudo-relevance feedback: pull the query towards what its best neighbours are about
                fb = np.mean([self.vectors.passages[d].mean(axis=0) for d in list(dense)[:3]], axis=0)
                qv = normalise(matrix=qv + cfg.dense_prf * fb)
                dense = self.vectors.candidates(query=qv, k=pool * 2, mode=cfg.dense_mode)
        ranked_lex = [d for d in cand]
        names = list(dict.fromkeys(ranked_lex[:pool] + list(dense)[:pool]))
        kept, struct_scores, reasons = [], [], {}
        for doc_id in names:
            verdict = self._eligible(doc_id=doc_id, query_fields=query_fields, structured=structured,
                                     exclude=exclude)
            if verdict is None:
                continue
            kept.append(doc_id)
            struct_scores.append(verdict[0])
            reasons[doc_id] = verdict[1]
        if not kept:
            return []
        row = self.lexical.row_of
        lex = np.array([lex_all[row(doc_id=d)] for d in kept])
        sem, per_mode, opening = None, None, None
        if use_dense:
            modes = tuple(m for m, w in cfg.weights.semantic_modes.items() if w > 0) or (cfg.dense_mode,)
            scored = self.vectors.mode_scores(doc_ids=kept, query=qv, modes=tuple({*modes, "maxsim"}))
            per_mode = {m: scored[m] for m in modes}
            sem = scored["maxsim"]  # the closest passage pair: what the explanation calls semantic similarity
            opening = scored.get("first")
        struct = np.array(struct_scores)
        if not any(reasons.values()) and np.allclose(struct, 0.5):
            struct = None  # no structured data on either side: neutral, keep the score scale intact
        final, comps = fuse(lexical=lex, semantic=per_mode, structure=struct, weights=cfg.weights)
        top = _top(final, k)
        if not explain:
            return [Match(doc_id=kept[i], score=float(final[i]), components=self._components(
                comps=comps, i=i, lex=lex, sem=sem, opening=opening)) for i in top]
        idf = {t: self.lexical.idf(term=t) for t in q_terms}
        out = []
        for i in top:
            doc_id = kept[i]
            cand_fields = self.fields[doc_id]
            doc_text = profile_text(fields=cand_fields)
            terms = matched_terms(query_weights=q_terms, doc_terms=self.lexical.doc_terms(doc_id=doc_id),
                                  idf=idf, doc_text=doc_text)
            passage = best_sentence(text=candidate_text(fields=cand_fields) or doc_text, terms=terms)
            components = self._components(comps=comps, i=i, lex=lex, sem=sem, opening=opening)
            cosine = components.get("cosine")
            score = float(final[i])
            out.append(Match(doc_id=doc_id, score=score, components=components, matched_terms=terms,
                             passage=passage,
                             explanation=describe(score=score, components=components, terms=terms,
                                                 passage=passage, cosine=cosine, reasons=reasons[doc_id])))
        return out

    @staticmethod
    def _components(*, comps: dict, i: int, lex: np.ndarray, sem: np.ndarray | None,
                    opening: np.ndarray | None) -> dict[str, float]:
        components = {name: float(v[i]) for name, v in comps.items()}
        components["lexical_raw"] = float(lex[i])
        if sem is not None:
            components["cosine"] = float(sem[i])
        if opening is not None:
            components["cosine_opening"] = float(opening[i])
        return components
