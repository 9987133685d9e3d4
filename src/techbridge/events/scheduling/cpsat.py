"""Exact CP-SAT model for small instances: maximum weight first, then fewest idle gaps at that weight.

Small events (a few hundred meetings) are common, and there the organiser should get a provably best
schedule. The heuristic's schedule is passed as a hint so CP-SAT starts from a good solution.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from techbridge.events.scheduling.model import Model, State


@dataclass
class ExactResult:
    state: State
    optimal: bool
    bound: float


def model_size(*, model: Model) -> int:
    """Number of (meeting, slot) decision variables the exact model would need."""
    return sum(model.common[m].bit_count() for m in range(model.M) if model.locked_slot[m] < 0)


def _build(model: Model) -> tuple[cp_model.CpModel, dict[tuple[int, int], cp_model.IntVar], list]:
    cp = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    fixed_person: set[tuple[int, int]] = set()
    fixed_slot = [0] * model.S
    fixed_count = [0] * model.N
    for m in range(model.M):
        s = model.locked_slot[m]
        if s >= 0:
            fixed_slot[s] += 1
            for p in (model.ma[m], model.mb[m]):
                fixed_person.add((p, s))
                fixed_count[p] += 1
            continue
        for s in range(model.S):
            if (model.common[m] >> s) & 1:
                x[m, s] = cp.new_bool_var(f"x{m}_{s}")
        cp.add_at_most_one(x[m, s] for s in range(model.S) if (m, s) in x)
    busy: dict[tuple[int, int], list] = {}
    per_slot: list[list] = [[] for _ in range(model.S)]
    per_person: list[list] = [[] for _ in range(model.N)]
    for (m, s), var in x.items():
        per_slot[s].append(var)
        for p in (model.ma[m], model.mb[m]):
            busy.setdefault((p, s), []).append(var)
            per_person[p].append(var)
    for (p, s), vs in busy.items():
        if (p, s) in fixed_person:
            for v in vs:
                cp.add(v == 0)
        else:
            cp.add_at_most_one(vs)
    for s in range(model.S):
        if per_slot[s]:
            cp.add(sum(per_slot[s]) <= model.tables[s] - fixed_slot[s])
    for p in range(model.N):
        if per_person[p] and len(per_person[p]) > model.max_meetings[p] - fixed_count[p]:
            cp.add(sum(per_person[p]) <= model.max_meetings[p] - fixed_count[p])
    gaps = _gap_terms(cp, model, busy, fixed_person)
    return cp, x, gaps


def _gap_terms(cp: cp_model.CpModel, model: Model, busy: dict, fixed_person: set) -> list:
    """Idle indicators: idle(p,s) >= before(p,s) + after(p,s) - 1 - busy(p,s) on p's available slots."""
    terms = []
    involved = {p for p, _ in busy} | {p for p, _ in fixed_person}
    for p in involved:
        for smask in model.session_masks:
            slots = [s for s in range(model.S) if (smask >> s) & 1]
            here = {}
            for s in slots:
                if (p, s) in fixed_person:
                    here[s] = 1
                elif (p, s) in busy:
                    here[s] = sum(busy[p, s])
            if len(here) < 2:  # at most one possible meeting in this session: no gap possible
                continue
            before = {}
            prev = None
            for s in slots:
                before[s] = cp.new_bool_var("")
                if prev is not None:
                    cp.add(before[s] >= before[prev])
                    if prev in here:
                        cp.add(before[s] >= here[prev])
                prev = s
            after = {}
            nxt = None
            for s in reversed(slots):
                after[s] = cp.new_bool_var("")
                if nxt is not None:
                    cp.add(after[s] >= after[nxt])
                    if nxt in here:
                        cp.add(after[s] >= here[nxt])
                nxt = s
            for s in slots:
                if not (model.avail[p] >> s) & 1:
                    continue
                idle = cp.new_bool_var("")
                cp.add(idle >= before[s] + after[s] - 1 - here.get(s, 0))
                terms.append(idle)
    return terms


def solve_exact(*, model: Model, hint: State | None, time_limit: float, seed: int = 0) -> ExactResult | None:
    """Weight-optimal (then gap-optimal) schedule within `time_limit`; None if no solution was found."""
    cp, x, gaps = _build(model)
    locked = sum(model.mw[m] for m in range(model.M) if model.locked_slot[m] >= 0)
    weight = locked + sum(model.mw[m] * var for (m, _s), var in x.items())
    if hint is not None:
        for (m, s), var in x.items():
            cp.add_hint(var, hint.slot_of[m] == s)
    cp.maximize(weight)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit * 0.6)
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = seed
    status = solver.solve(cp)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    optimal = status == cp_model.OPTIMAL
    best = round(solver.objective_value)
    bound = float(best) if optimal else solver.best_objective_bound
    chosen = {m: s for (m, s), var in x.items() if solver.value(var)}
    if optimal and gaps:
        cp.clear_objective()
        cp.add(weight >= best)
        cp.clear_hints()
        for (m, s), var in x.items():
            cp.add_hint(var, chosen.get(m) == s)
        cp.minimize(sum(gaps))
        solver.parameters.max_time_in_seconds = max(0.05, time_limit * 0.4)
        status = solver.solve(cp)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            chosen = {m: s for (m, s), var in x.items() if solver.value(var)}
    state = State(model=model)
    for m in range(model.M):
        if model.locked_slot[m] >= 0:
            state.place(m, model.locked_slot[m])
    for m, s in chosen.items():
        state.place(m, s)
    return ExactResult(state=state, optimal=optimal, bound=bound)
