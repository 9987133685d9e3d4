"""Turning a solver state into the public result: table numbers and a reason per unscheduled meeting.

Both the solver and the greedy baseline end here, so their outputs are numbered and explained the same way
and can be compared figure by figure in the benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass

from techbridge.events.scheduling.instance import Instance
from techbridge.events.scheduling.model import Model, State


@dataclass(frozen=True)
class Assignment:
    """Meeting `meeting` happens in slot `slot` at table `table` (1-based)."""

    meeting: str
    slot: str
    table: int


@dataclass
class ScheduleResult:
    """A schedule plus the figures an organiser (and the benchmark) needs to judge it."""

    assignments: list[Assignment]
    unscheduled: dict[str, str]
    weight: int
    upper_bound: float
    idle_gaps: int
    seconds: float
    method: str
    bound_method: str = ""

    @property
    def ratio(self) -> float:
        """Weight as a share of the upper bound (1.0 when the bound is 0: nothing could be scheduled)."""
        return 1.0 if self.upper_bound <= 0 else self.weight / self.upper_bound


def number_tables(*, model: Model, state: State, sticky: bool = True) -> list[int]:
    """Table per meeting (0 = unscheduled). Locked tables are kept; with `sticky`, a meeting takes the table
    one of its participants sat at in the previous round of the same session, so people move less."""
    table_of = [0] * model.M
    previous: dict[int, int] = {}
    by_slot: list[list[int]] = [[] for _ in range(model.S)]
    for m, s in enumerate(state.slot_of):
        if s >= 0:
            by_slot[s].append(m)
    for s in range(model.S):
        if s > 0 and model.session_of[s] != model.session_of[s - 1]:
            previous = {}
        taken: set[int] = set()
        todo = []
        for m in by_slot[s]:
            if model.locked_table[m] is not None:
                table_of[m] = model.locked_table[m]
                taken.add(table_of[m])
            else:
                todo.append(m)
        rest = []
        for m in todo:
            wish = [previous.get(p, 0) for p in (model.ma[m], model.mb[m])] if sticky else []
            pick = next((t for t in wish if 0 < t <= model.tables[s] and t not in taken), 0)
            if pick:
                table_of[m] = pick
                taken.add(pick)
            else:
                rest.append(m)
        free_tables = (t for t in range(1, model.tables[s] + 1) if t not in taken)
        for m in rest:
            table_of[m] = next(free_tables)
        previous = {}
        for m in by_slot[s]:
            previous[model.ma[m]] = table_of[m]
            previous[model.mb[m]] = table_of[m]
    return table_of


def unscheduled_reason(*, model: Model, state: State, instance: Instance, m: int) -> str:
    """Why meeting m is not in the final schedule, most fundamental cause first."""
    a, b = model.ma[m], model.mb[m]
    name = model.part_ids
    if model.common[m] == 0:
        return f"no slot where both {name[a]} and {name[b]} are available"
    explicit = {p.id: p.max_meetings for p in instance.participants}
    for p in (a, b):
        cap = explicit[name[p]]
        if cap is not None and state.count[p] >= cap:
            return f"max_meetings reached for {name[p]}"
    for p in (a, b):
        if model.avail[p] & ~state.occ[p] == 0:
            return f"participant {name[p]} has no free slot left"
    both = model.common[m] & ~state.occ[a] & ~state.occ[b]
    if both == 0:
        return f"no slot where both {name[a]} and {name[b]} are free"
    if both & state.open == 0:
        return "tables full in every common free slot"
    return "left out to schedule higher-priority meetings"


def build_result(
    *,
    instance: Instance,
    model: Model,
    state: State,
    upper_bound: float,
    seconds: float,
    method: str,
    bound_method: str = "",
    sticky: bool = True,
) -> ScheduleResult:
    """Package a state as a ScheduleResult with table numbers, reasons, weight and idle gaps."""
    tables = number_tables(model=model, state=state, sticky=sticky)
    assignments = [
        Assignment(meeting=model.meeting_ids[m], slot=model.slot_ids[s], table=tables[m])
        for m, s in enumerate(state.slot_of)
        if s >= 0
    ]
    unscheduled = {
        model.meeting_ids[m]: unscheduled_reason(model=model, state=state, instance=instance, m=m)
        for m, s in enumerate(state.slot_of)
        if s < 0
    }
    return ScheduleResult(
        assignments=assignments,
        unscheduled=unscheduled,
        weight=state.weight,
        upper_bound=upper_bound,
        idle_gaps=state.total_gaps(),
        seconds=seconds,
        method=method,
        bound_method=bound_method,
    )
