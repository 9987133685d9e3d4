"""Upper bounds on the total weight any valid schedule can reach.

The organiser sees "weight / bound", so the bound must be valid (never below the true optimum) and tight
enough to be meaningful. Main bound: a capacitated b-matching LP solved with HiGHS (scipy), proof in
docs/scheduler.md. Its optimal solution also tells the solver which meetings are worth scheduling.
A purely combinatorial degree bound is the fallback when scipy's LP fails.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from techbridge.events.scheduling.instance import Instance, ensure_valid
from techbridge.events.scheduling.model import Model


@dataclass
class Bound:
    """A valid upper bound `value`, how it was obtained, and the LP's fractional selection (if any)."""

    value: float
    method: str
    seconds: float
    lp_value: float | None = None
    selection: list[float] | None = None


def _reach(model: Model) -> list[int]:
    """Per participant: slots where they and at least one of their partners are available."""
    reach = [0] * model.N
    for m in range(model.M):
        c = model.common[m]
        reach[model.ma[m]] |= c
        reach[model.mb[m]] |= c
    return reach


def participant_caps(*, model: Model) -> list[int]:
    """Most meetings p can hold: max_meetings, available slots, and slots shared with any partner."""
    reach = _reach(model)
    return [min(model.max_meetings[p], (model.avail[p] & reach[p]).bit_count()) for p in range(model.N)]


def degree_bound(*, model: Model) -> float:
    """Each participant holds at most cap(p) meetings, so at most their cap(p) heaviest ones; every
    meeting is counted at both ends, hence half the sum. Also capped by the heaviest `total tables`."""
    caps = participant_caps(model=model)
    feasible = [m for m in range(model.M) if model.common[m]]
    per_person: list[list[int]] = [[] for _ in range(model.N)]
    for m in feasible:
        per_person[model.ma[m]].append(model.mw[m])
        per_person[model.mb[m]].append(model.mw[m])
    ends = sum(sum(sorted(ws, reverse=True)[: caps[p]]) for p, ws in enumerate(per_person))
    by_tables = sum(sorted((model.mw[m] for m in feasible), reverse=True)[: sum(model.tables)])
    return float(min(ends // 2, by_tables))


def _rows(model: Model, feasible: list[int], caps: list[int]) -> tuple[list[list[int]], list[float]]:
    """Constraint rows (lists of variable positions) and right-hand sides of the b-matching LP."""
    rows: list[list[int]] = []
    rhs: list[float] = []
    groups = [*model.session_masks, *(1 << s for s in range(model.S))]
    groups = list(dict.fromkeys([*groups, model.all_slots]))  # a one-slot session is also a single slot
    person: list[list[int]] = [[] for _ in range(model.N)]
    within_person: dict[tuple[int, int], list[int]] = {}
    within_slots: dict[int, list[int]] = {g: [] for g in groups}
    for j, m in enumerate(feasible):
        c = model.common[m]
        for p in (model.ma[m], model.mb[m]):
            person[p].append(j)
        for gi, g in enumerate(groups):
            if c & ~g == 0:
                within_slots[g].append(j)
                for p in (model.ma[m], model.mb[m]):
                    within_person.setdefault((p, gi), []).append(j)
    for p, js in enumerate(person):
        if len(js) > caps[p]:
            rows.append(js)
            rhs.append(caps[p])
    for (p, gi), js in within_person.items():
        limit = min(caps[p], (groups[gi] & model.avail[p]).bit_count())
        if len(js) > limit and limit < caps[p]:
            rows.append(js)
            rhs.append(limit)
    for g, js in within_slots.items():
        limit = sum(model.tables[s] for s in range(model.S) if g >> s & 1)
        if len(js) > limit:
            rows.append(js)
            rhs.append(limit)
    return rows, rhs


def lp_bound(*, model: Model) -> tuple[float, list[float]] | None:
    """Optimum of the capacitated b-matching LP and its per-meeting values, or None if HiGHS fails."""
    feasible = [m for m in range(model.M) if model.common[m]]
    selection = [0.0] * model.M
    if not feasible:
        return 0.0, selection
    caps = participant_caps(model=model)
    rows, rhs = _rows(model, feasible, caps)
    cost = -np.array([model.mw[m] for m in feasible], dtype=float)
    lower = [1.0 if model.locked_slot[m] >= 0 else 0.0 for m in feasible]
    bounds = np.array([(lo, 1.0) for lo in lower])
    if rows:
        indptr = np.cumsum([0, *(len(r) for r in rows)])
        indices = np.fromiter((j for r in rows for j in r), dtype=np.int64, count=int(indptr[-1]))
        a_ub = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(feasible)))
        res = linprog(cost, A_ub=a_ub, b_ub=np.array(rhs), bounds=bounds, method="highs")
    else:
        res = linprog(cost, bounds=bounds, method="highs")
    if res.status != 0:
        return None
    for j, m in enumerate(feasible):
        selection[m] = float(res.x[j])
    return float(-res.fun), selection


def upper_bound(*, model: Model) -> Bound:
    """Best valid bound available: floor of the LP optimum (weights are integers) capped by the degree bound.

    A tiny relative tolerance absorbs HiGHS's floating-point error before flooring, so rounding can never
    push the bound below the true LP optimum.
    """
    t0 = time.perf_counter()
    combinatorial = degree_bound(model=model)
    lp = lp_bound(model=model)
    if lp is None:
        return Bound(value=combinatorial, method="degree", seconds=time.perf_counter() - t0)
    value, selection = lp
    floored = float(math.floor(value + 1e-6 * (1.0 + abs(value))))
    method = "lp-highs" if floored <= combinatorial else "degree"
    return Bound(
        value=min(floored, combinatorial),
        method=method,
        seconds=time.perf_counter() - t0,
        lp_value=value,
        selection=selection,
    )


def instance_upper_bound(*, instance: Instance) -> Bound:
    """Bound for an Instance (validates it first); convenience for callers outside the solver."""
    ensure_valid(instance=instance)
    return upper_bound(model=Model(instance=instance))
