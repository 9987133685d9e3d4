"""The plain baseline: what a simple "Schedule all" button does.

Locked meetings first, then every other meeting by priority (ties in input order) into the earliest slot
where both people are free and a table is left. It is fast and predictable, and it is the yardstick the
benchmark and the tests hold the real solver to.
"""

from __future__ import annotations

import time

from techbridge.events.scheduling.instance import Instance, ensure_valid
from techbridge.events.scheduling.model import Model, State
from techbridge.events.scheduling.result import ScheduleResult, build_result


def greedy_state(*, model: Model) -> State:
    """Earliest-fit in priority order on the solver's index model (also a fallback inside the solver)."""
    state = State(model=model)
    for m in range(model.M):
        if model.locked_slot[m] >= 0:
            state.place(m, model.locked_slot[m])
    for m in sorted(range(model.M), key=lambda m: -model.mw[m]):
        if state.slot_of[m] >= 0:
            continue
        cand = state.candidates(m)
        if cand:
            state.place(m, (cand & -cand).bit_length() - 1)
    return state


def greedy_schedule(*, instance: Instance, upper_bound: float | None = None) -> ScheduleResult:
    """Baseline schedule. `upper_bound` may be passed to reuse a bound already computed for this instance
    (the benchmark does so); otherwise the same LP bound as the solver's is computed, outside `seconds`."""
    ensure_valid(instance=instance)
    t0 = time.perf_counter()
    model = Model(instance=instance)
    state = greedy_state(model=model)
    seconds = time.perf_counter() - t0
    bound_method = "given"
    if upper_bound is None:
        from techbridge.events.scheduling.bounds import upper_bound as compute_bound

        bound = compute_bound(model=model)
        upper_bound, bound_method = bound.value, bound.method
    return build_result(
        instance=instance,
        model=model,
        state=state,
        upper_bound=upper_bound,
        seconds=seconds,
        method="greedy",
        bound_method=bound_method,
        sticky=False,
    )
