"""Ranking metrics exactly as the benchmark README defines them.

nDCG@10 uses gains 2^g - 1 with a log2 discount and the ideal ranking built from the judged grades;
Recall@10 and MRR count offers graded >= 2 and skip requests that have none; unjudged offers are not
relevant. judged@10 (share of the top 10 that carry a judgment) tells how far a run strays outside the
judged pool, i.e. how much its score may be underestimated; nDCG@10 over the judged offers only (unjudged ones
removed from the ranking: "condensed" lists, Sakai 2007) tells whether a lead survives that effect. Recall@100
(offers graded >= 2 anywhere in the run's 100) tells whether a shortfall is one of finding or of ordering.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

RELEVANT_GRADE = 2


def ndcg_at_k(*, ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    """Graded nDCG@k; 0 when the request has no positively graded offer."""
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at_k(*, ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float | None:
    """Share of offers graded >= 2 found in the top k; ``None`` when the request has none (skipped)."""
    relevant = {d for d, g in grades.items() if g >= RELEVANT_GRADE}
    if not relevant:
        return None
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def reciprocal_rank(*, ranked: Sequence[str], grades: Mapping[str, int]) -> float | None:
    """1/rank of the first offer graded >= 2; ``None`` when the request has none (skipped)."""
    if not any(g >= RELEVANT_GRADE for g in grades.values()):
        return None
    for i, d in enumerate(ranked):
        if grades.get(d, 0) >= RELEVANT_GRADE:
            return 1.0 / (i + 1)
    return 0.0


def judged_at_k(*, ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    """Fraction of the top k that was judged at all."""
    top = list(ranked[:k])
    return sum(1 for d in top if d in grades) / len(top) if top else 0.0


def evaluate_run(*, run: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]],
                 k: int = 10) -> dict[str, float]:
    """Mean metrics over the requests present in ``qrels`` (a missing run counts as an empty ranking)."""
    ndcg, rec, rec_deep, rr, judged, condensed = [], [], [], [], [], []
    for qid, grades in qrels.items():
        ranked = list(run.get(qid, []))
        ndcg.append(ndcg_at_k(ranked=ranked, grades=grades, k=k))
        condensed.append(ndcg_at_k(ranked=[d for d in ranked if d in grades], grades=grades, k=k))
        judged.append(judged_at_k(ranked=ranked, grades=grades, k=k))
        r = recall_at_k(ranked=ranked, grades=grades, k=k)
        if r is not None:
            rec.append(r)
            rec_deep.append(recall_at_k(ranked=ranked, grades=grades, k=100))
        m = reciprocal_rank(ranked=ranked, grades=grades)
        if m is not None:
            rr.append(m)

    def mean(xs: list[float]) -> float:
        return sum(xs) / len(xs) if xs else 0.0

    return {"ndcg@10": mean(ndcg), "recall@10": mean(rec), "recall@100": mean(rec_deep), "mrr": mean(rr),
            "judged@10": mean(judged), "ndcg@10_judged_only": mean(condensed),
            "n_requests": float(len(ndcg)), "n_with_relevant": float(len(rec))}


def unjudged_pairs(*, run: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]],
                   k: int = 10) -> list[tuple[str, str, int]]:
    """(request, offer, rank) of every top-k offer without a judgment, for assessors to extend the pool."""
    return [(qid, d, rank) for qid, grades in qrels.items()
            for rank, d in enumerate(list(run.get(qid, []))[:k], start=1) if d not in grades]
