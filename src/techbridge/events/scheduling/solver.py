"""Public entry point of the brokerage-event scheduler ("Schedule all").

Pipeline (each step measured in the benchmark, see docs/scheduler.md):
1. LP upper bound (HiGHS) whose optimal selection guides the heuristic;
2. LP-guided construction + Kempe/ejection-chain repair + weight exchanges (heuristic.py);
3. safety net: never worse than the greedy baseline;
4. small instances: exact CP-SAT (weight, then idle gaps), hinted with the heuristic's schedule;
5. idle-gap descent with Kempe-component swaps (gaps.py) until the time limit, then a last insertion sweep;
6. table numbering (sticky tables) and a reason for every unscheduled meeting.
"""

from __future__ import annotations

import math
import time

from techbridge.events.scheduling.bounds import upper_bound
from techbridge.events.scheduling.check import check_schedule
from techbridge.events.scheduling.cpsat import model_size, solve_exact
from techbridge.events.scheduling.gaps import reduce_gaps
from techbridge.events.scheduling.greedy import greedy_schedule, greedy_state
from techbridge.events.scheduling.heuristic import solve_heuristic
from techbridge.events.scheduling.instance import Instance, ensure_valid
from techbridge.events.scheduling.model import Model, State
from techbridge.events.scheduling.moves import best_slot
from techbridge.events.scheduling.result import Assignment, ScheduleResult, build_result

__all__ = ["Assignment", "ScheduleResult", "check_schedule", "greedy_schedule", "schedule"]

EXACT_MAX_VARIABLES = 4000
"""Instances with at most this many (meeting, slot) pairs are also solved exactly with CP-SAT."""


def _sweep(state: State) -> int:
    """Insert every unscheduled meeting that fits somewhere as the schedule now stands (weight first)."""
    md = state.model
    added = 0
    for m in sorted(range(md.M), key=lambda m: -md.mw[m]):
        if state.slot_of[m] < 0 and md.common[m]:
            cand = state.candidates(m)
            if cand:
                state.place(m, best_slot(state, m, cand))
                added += 1
    return added


def schedule(
    *, instance: Instance, time_limit: float = 10.0, seed: int = 0, sticky_tables: bool = True
) -> ScheduleResult:
    """Schedule every accepted meeting it can: maximum total priority, then fewest idle gaps.

    `time_limit` bounds the whole call (bound included); small instances usually finish far earlier.
    `sticky_tables` keeps a participant at the same table between consecutive rounds when possible.
    """
    ensure_valid(instance=instance)
    t0 = time.perf_counter()
    deadline = t0 + time_limit * 0.97
    model = Model(instance=instance)
    bound = upper_bound(model=model)
    bound_value, bound_method = bound.value, bound.method
    state = solve_heuristic(model=model, selection=bound.selection, deadline=deadline, seed=seed)
    baseline = greedy_state(model=model)
    if baseline.weight > state.weight:
        state = baseline
    method = "heuristic"
    left = deadline - time.perf_counter()
    if state.weight < bound_value and model_size(model=model) <= EXACT_MAX_VARIABLES and left > 0.1:
        exact = solve_exact(model=model, hint=state, time_limit=left * 0.8, seed=seed)
        if exact is not None:
            if exact.optimal:
                bound_value = min(bound_value, float(math.floor(exact.bound + 1e-6)))
                bound_method += "+cp-sat"
            if exact.state.weight > state.weight or (
                exact.state.weight == state.weight and exact.state.total_gaps() <= state.total_gaps()
            ):
                state = exact.state
                method = "cp-sat optimal" if exact.optimal else "cp-sat"
    reduce_gaps(state=state, deadline=deadline, seed=seed)
    if _sweep(state):
        reduce_gaps(state=state, deadline=deadline, seed=seed + 1)
    return build_result(
        instance=instance,
        model=model,
        state=state,
        upper_bound=bound_value,
        seconds=time.perf_counter() - t0,
        method=method,
        bound_method=bound_method,
        sticky=sticky_tables,
    )
