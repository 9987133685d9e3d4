"""Fusion weights learned from judged matches, and a cross-validated estimate of what they are worth.

Why logistic regression: the fusion is a weighted sum of components that are already on [0, 1] scales, so a
linear model over those same components *is* a fusion; trained to separate substantial matches (graded 2
or 3) from the rest, it weighs each signal by what it adds beside the others. With 50 judged requests,
anything richer overfits: gradient-boosted trees and a 17-feature model scored lower under the same
cross-validation (docs/matching.md). The estimate is cross-validated because weights fitted on all
requests and scored on the same requests flatter themselves.
"""

from __future__ import annotations

import random

import numpy as np

#: Components of a match (``Match.components``) the weights are learned over, in order.
FEATURES = ("lexical", "semantic_first", "semantic_maxsim", "semantic_qmean")

Rows = dict[str, list[tuple[str, list[float]]]]  # request -> [(candidate, feature values)]


def fit_logistic(*, features: np.ndarray, labels: np.ndarray, l2: float = 1.0,
                 iterations: int = 100) -> tuple[np.ndarray, float]:
    """(coefficients, intercept) of an L2-regularised logistic regression, by Newton's method.

    ``l2`` penalises ``l2 / 2 * |coef|^2`` against the summed log-loss (the intercept is free); the loss is
    convex, so Newton converges in a handful of steps on a few features.
    """
    x = np.asarray(features, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    if x.ndim != 2 or len(x) != len(y) or not len(y):
        raise ValueError("features must be a (samples, features) matrix with one label per sample")
    design = np.hstack([x, np.ones((len(x), 1))])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    theta = np.zeros(design.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(design @ theta)))
        gradient = design.T @ (p - y) + penalty * theta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty) + 1e-9 * np.eye(len(theta))
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-8:
            break
    return theta[:-1], float(theta[-1])


def weights_from(*, coefficients: np.ndarray, names: tuple[str, ...] = FEATURES) -> dict[str, float]:
    """Coefficients as fusion weights: negatives dropped (a component never counts against a match), the rest
    scaled to sum to 1 (ranking by a positive multiple of the decision function is the same ranking)."""
    positive = np.clip(np.asarray(coefficients, dtype=np.float64), 0.0, None)
    total = positive.sum()
    if total <= 0:
        return {name: 1.0 / len(names) for name in names}
    return {name: round(float(v / total), 3) for name, v in zip(names, positive, strict=True)}


def _training_set(*, rows: Rows, qrels: dict[str, dict[str, int]], requests: list[str],
                  relevant: int) -> tuple[np.ndarray, np.ndarray]:
    x, y = [], []
    for q in requests:
        for doc_id, values in rows[q]:
            x.append(values)
            y.append(1.0 if qrels.get(q, {}).get(doc_id, 0) >= relevant else 0.0)
    return np.array(x, dtype=np.float64), np.array(y)


def fit_weights(*, rows: Rows, qrels: dict[str, dict[str, int]], requests: list[str] | None = None,
                relevant: int = 2) -> dict[str, float]:
    """Fusion weights fitted on the given requests (all of ``rows`` by default); unjudged = not relevant."""
    x, y = _training_set(rows=rows, qrels=qrels, requests=list(requests or rows), relevant=relevant)
    if y.min() == y.max():
        return weights_from(coefficients=np.ones(x.shape[1]))
    coefficients, _ = fit_logistic(features=x, labels=y)
    return weights_from(coefficients=coefficients)


def rerank(*, candidates: list[tuple[str, list[float]]], weights: dict[str, float]) -> list[str]:
    """Candidates ordered by the weighted sum of their features (ties keep the given order)."""
    w = np.array([weights[name] for name in FEATURES])
    scores = np.array([values for _, values in candidates], dtype=np.float64).reshape(len(candidates), -1) @ w
    return [candidates[i][0] for i in np.argsort(-scores, kind="stable")]


def cross_validated_runs(*, rows: Rows, qrels: dict[str, dict[str, int]], folds: int = 5,
                         seeds: tuple[int, ...] = (0, 1, 2, 3, 4)) -> list[dict[str, list[str]]]:
    """One run per seed: requests shuffled into ``folds`` folds; each fold is ranked with weights fitted on the
    other folds only, so no request is ranked by weights that saw its own judgments."""
    requests = sorted(q for q in rows if q in qrels)
    runs = []
    for seed in seeds:
        order = requests[:]
        random.Random(seed).shuffle(order)
        run: dict[str, list[str]] = {}
        for f in range(folds):
            held_out = order[f::folds]
            train = [q for q in order if q not in held_out]
            weights = fit_weights(rows=rows, qrels=qrels, requests=train)
            for q in held_out:
                run[q] = rerank(candidates=rows[q], weights=weights)
        runs.append(run)
    return runs
