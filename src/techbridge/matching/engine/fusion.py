"""Turn the component scores of a candidate set into one score in [0, 1].

Why score-normalised fusion rather than reciprocal-rank fusion: RRF throws away *how much* better the top
BM25 hit is than the tenth; min-max normalising each component over the candidate pool keeps margins,
and a weighted sum with weights chosen by cross-validation lets the stronger signal lead (measured in
docs/matching.md). Semantic cosine is additionally calibrated on an absolute scale so that a pool of
uniformly weak candidates does not get a top score of 1.0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: Weights learned by logistic regression (relevant = graded >= 2) on the 50 development requests over the
#: components exactly as :func:`fuse` builds them; their 5-fold cross-validated nDCG@10 is what
#: docs/matching.md reports (refit them with `techbridge bench matching --json`, "fusion_fit").
LEARNED_LEXICAL = 0.401
LEARNED_MODES = {"first": 0.301, "maxsim": 0.142, "qmean": 0.156}


@dataclass
class FusionWeights:
    """Weights of the normalised components; ``structure`` only matters where profiles carry data.

    The semantic part is a mix of passage pooling modes (:func:`.vectors.passage_similarity`):
    ``first`` compares the openings, where a profile says what it is; ``maxsim`` the closest passage pair;
    ``qmean`` how many of a long request's passages an offer answers. ``semantic_modes`` gives their
    relative weights, ``semantic`` the weight of the mix against ``lexical``.
    """

    semantic: float = round(sum(LEARNED_MODES.values()), 3)
    lexical: float = LEARNED_LEXICAL
    structure: float = 0.1
    semantic_modes: dict[str, float] = field(default_factory=lambda: dict(LEARNED_MODES))
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


def semantic_part(*, cos: np.ndarray, weights: FusionWeights) -> np.ndarray:
    """One cosine array as a component: pool-relative (min-max) and absolute (calibrated) cosine in equal
    parts; the former ranks, the latter keeps the displayed score honest across queries."""
    return 0.5 * minmax(scores=cos) + 0.5 * calibrate_cosine(cos=cos, weights=weights)


def fuse(*, lexical: np.ndarray, semantic: np.ndarray | dict[str, np.ndarray] | None,
         structure: np.ndarray | None, weights: FusionWeights) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Final score in [0, 1] for each candidate plus the normalised components used.

    ``semantic`` is one cosine array, or one per pooling mode (``{"first": ..., "qmean": ...}``): each mode
    becomes a component ``semantic_<mode>`` and ``semantic`` is their mix by ``weights.semantic_modes``.
    With no semantic part the lexical and structure weights are renormalised so scores still span [0, 1].
    """
    comps: dict[str, np.ndarray] = {"lexical": minmax(scores=lexical)}
    w = {"lexical": weights.lexical}
    if isinstance(semantic, dict):
        mix = {mode: weights.semantic_modes.get(mode, 0.0) for mode in semantic}
        if sum(mix.values()) <= 0:
            mix = dict.fromkeys(semantic, 1.0)
        for mode, cos in semantic.items():
            comps[f"semantic_{mode}"] = semantic_part(cos=cos, weights=weights)
        comps["semantic"] = sum(mix[m] * comps[f"semantic_{m}"] for m in semantic) / sum(mix.values())
        w["semantic"] = weights.semantic
    elif semantic is not None:
        comps["semantic"] = semantic_part(cos=semantic, weights=weights)
        w["semantic"] = weights.semantic
    if structure is not None:
        comps["structure"] = np.clip(np.asarray(structure, dtype=np.float64), 0.0, 1.0)
        w["structure"] = weights.structure
    total = sum(w.values()) or 1.0
    score = sum(w[name] * comps[name] for name in w) / total
    return np.clip(score, 0.0, 1.0), comps
