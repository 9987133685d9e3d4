"""Turn the component scores of a candidate set into one score in [0, 1].

Why score-normalised fusion rather than reciprocal-rank fusion: RRF throws away *how much* better the top
BM25 hit is than the tenth; min-max normalising each component over the candidate pool keeps margins,
and a weighted sum with weights chosen by cross-validation lets the stronger signal lead (measured in
docs/matching.md). Semantic cosine is additionally calibrated on an absolute scale so that a pool of
uniformly weak candidates does not get a top score of 1.0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class FusionWeights:
    """Weights of the normalised components; ``structure`` only matters where profiles carry data."""

    semantic: float = 0.5
    lexical: float = 0.5
    structure: float = 0.1
    # absolute calibration of MiniLM cosine: below ``cos_floor`` counts as no similarity at all
    cos_floor: float = 0.15
    cos_ceiling: float = 0.75


def minmax(*, scores: np.ndarray) -> np.ndarray:
    """Scale to [0, 1] over the candidate pool (all-equal pools map to 0)."""
    scores = np.asarray(scores, dtype=np.float64)
    if scores.size == 0:
        return scores
    lo, hi = float(scores.min()), float(scores.max())
    if hi - lo < 1e-12:
        return np.zeros_like(scores)
    return (scores - lo) / (hi - lo)


def calibrate_cosine(*, cos: np.ndarray, weights: FusionWeights) -> np.ndarray:
    """Map cosine to [0, 1] on a fixed scale (so 0.9 means 'very similar' in every query)."""
    span = max(weights.cos_ceiling - weights.cos_floor, 1e-6)
    return np.clip((np.asarray(cos, dtype=np.float64) - weights.cos_floor) / span, 0.0, 1.0)


def rrf(*, rankings: list[list[str]], k: int = 60) -> dict[str, float]:
    """Plain reciprocal-rank fusion (the naive baseline the benchmark compares against)."""
    out: dict[str, float] = {}
    for ranking in rankings:
        for rank, doc_id in enumerate(ranking):
            out[doc_id] = out.get(doc_id, 0.0) + 1.0 / (k + rank + 1)
    return out


def fuse(*, lexical: np.ndarray, semantic: np.ndarray | None, structure: np.ndarray | None,
         weights: FusionWeights) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Final score in [0, 1] for each candidate plus the normalised components used.

    The semantic component mixes pool-relative (min-max) and absolute (calibrated) cosine equally: the
    former ranks, the latter keeps the displayed score honest across queries. With no semantic part the
    lexical and structure weights are renormalised so scores still span [0, 1].
    """
    comps: dict[str, np.ndarray] = {"lexical": minmax(scores=lexical)}
    w = {"lexical": weights.lexical}
    if semantic is not None:
        comps["semantic"] = 0.5 * minmax(scores=semantic) + 0.5 * calibrate_cosine(cos=semantic,
                                                                                    weights=weights)
        w["semantic"] = weights.semantic
    if structure is not None:
        comps["structure"] = np.clip(np.asarray(structure, dtype=np.float64), 0.0, 1.0)
        w["structure"] = weights.structure
    total = sum(w.values()) or 1.0
    score = sum(w[name] * comps[name] for name in comps) / total
    return np.clip(score, 0.0, 1.0), comps
