"""The large-instance method: LP-guided construction, chain repair, weight exchanges.

1. Construction: meetings the LP selects come first (its optimum is the best set of meetings ignoring the
   one-per-slot puzzle), then by priority and by how saturated their two participants are; each goes to the
   slot that adds the fewest idle gaps, and if no slot is common, a Kempe chain is tried at once.
2. Repair: every meeting still out whose two people have room is retried with Kempe chains and short
   ejection chains.
3. Exchange: an unscheduled meeting replaces lower-priority ones of a saturated participant when that
   raises the total weight.
"""

from __future__ import annotations

import heapq
import random
import time

from techbridge.events.scheduling.model import Model, State
from techbridge.events.scheduling.moves import Journal, best_slot, bits, eject_insert, kempe_insert


def meeting_order(*, model: Model, selection: list[float] | None, rng: random.Random) -> list[int]:
    """Unlocked, possible meetings, most valuable and most constrained first."""
    sel = selection or [1.0] * model.M
    load = [0.0] * model.N
    for m in range(model.M):
        load[model.ma[m]] += sel[m]
        load[model.mb[m]] += sel[m]
    pressure = [load[p] / max(1, model.max_meetings[p]) for p in range(model.N)]
    keyed = []
    for m in range(model.M):
        if model.locked_slot[m] >= 0 or not model.common[m]:
            continue
        tight = pressure[model.ma[m]] + pressure[model.mb[m]] + 2.0 / max(1, model.common[m].bit_count())
        keyed.append((-round(sel[m], 3), -model.mw[m], -tight, rng.random(), m))
    keyed.sort()
    return [k[-1] for k in keyed]


def locked_state(*, model: Model) -> State:
    state = State(model=model)
    for m in range(model.M):
        if model.locked_slot[m] >= 0:
            state.place(m, model.locked_slot[m])
    return state


def construct(*, model: Model, order: list[int]) -> State:
    """Greedy pass in `order`, choosing gap-friendly slots and trying one chain when nothing fits."""
    state = locked_state(model=model)
    for m in order:
        cand = state.candidates(m)
        if cand:
            state.place(m, best_slot(state, m, cand))
        else:
            kempe_insert(state, m)
    return state


def has_room(state: State, m: int) -> bool:
    md = state.model
    a, b = md.ma[m], md.mb[m]
    return state.count[a] < md.max_meetings[a] and state.count[b] < md.max_meetings[b]


def repair(*, state: State, order: list[int], deadline: float, depth: int = 2) -> int:
    """Retry every unscheduled meeting whose people both have room; returns how many were added."""
    added = 0
    journal = Journal(state)
    for m in order:
        if state.slot_of[m] >= 0 or not has_room(state, m):
            continue
        if time.perf_counter() > deadline or not state.open:
            break  # no table left anywhere: only exchanges can still raise the weight
        cand = state.candidates(m)
        if cand:
            state.place(m, best_slot(state, m, cand))
        elif not kempe_insert(state, m) and not eject_insert(journal, m, depth, set(), [60]):
            continue
        journal.ops.clear()
        added += 1
    return added


class LightestPerSlot:
    """Lazy min-heaps of unlocked meetings per slot by priority, to find the cheapest table to take over."""

    def __init__(self, state: State):
        self.state = state
        md = state.model
        self.heaps = [[(md.mw[e], e) for e in members if md.locked_slot[e] < 0] for members in state.members]
        for h in self.heaps:
            heapq.heapify(h)

    def peek(self, s: int) -> int:
        h = self.heaps[s]
        while h and self.state.slot_of[h[0][1]] != s:
            heapq.heappop(h)
        return h[0][1] if h else -1

    def push(self, m: int, s: int) -> None:
        heapq.heappush(self.heaps[s], (self.state.model.mw[m], m))


def take_table(state: State, lightest: LightestPerSlot, m: int) -> int:
    """When both people are free in some slots but every table there is taken, let m replace the lightest
    meeting of such a slot if that raises the weight; returns the gain (0 if nothing was done)."""
    md = state.model
    both = state.free(md.ma[m]) & state.free(md.mb[m]) & md.common[m]
    best, best_w = -1, md.mw[m]
    for s in bits(both):
        r = lightest.peek(s)
        if r >= 0 and md.mw[r] < best_w:
            best, best_w = r, md.mw[r]
    if best < 0:
        return 0
    s = state.remove(best)
    state.place(m, s)
    lightest.push(m, s)
    cand = state.candidates(best)
    if cand:
        target = best_slot(state, best, cand)
        state.place(best, target)
        lightest.push(best, target)
        return md.mw[m]
    return md.mw[m] - best_w


def deepen(*, state: State, order: list[int], deadline: float) -> int:
    """Longer and longer ejection chains for the meetings still out although both people have room;
    measured on all-to-all instances, depth 5 recovers most of what depth 2-3 leaves. Returns count added."""
    journal = Journal(state)
    added = 0
    for depth, budget in ((3, 200), (4, 500), (5, 2000)):
        for m in order:
            if time.perf_counter() > deadline or not state.open:
                return added
            if state.slot_of[m] < 0 and has_room(state, m) and eject_insert(journal, m, depth, set(), [budget]):
                journal.ops.clear()
                added += 1
    return added


def exchange(*, state: State, order: list[int], deadline: float) -> int:
    """Swap an unscheduled meeting in for lighter scheduled meetings when the total weight rises: lighter
    meetings of its saturated participants, or the lightest meeting holding a table it needs; returns the
    weight gained."""
    md = state.model
    journal = Journal(state)
    lightest = LightestPerSlot(state)
    gained = 0
    for m in order:
        if state.slot_of[m] >= 0:
            continue
        if time.perf_counter() > deadline:
            break
        w = md.mw[m]
        full = [p for p in (md.ma[m], md.mb[m]) if state.count[p] >= md.max_meetings[p]]
        if not full:
            gained += take_table(state, lightest, m)
            continue
        victims = []
        for p in full:
            lighter = [e for e in md.incident[p] if state.slot_of[e] >= 0 and md.locked_slot[e] < 0 and md.mw[e] < w]
            if not lighter:
                break
            # prefer a victim sitting where the other person of m is free: m can take its place
            other = md.mb[m] if p == md.ma[m] else md.ma[m]
            lighter.sort(key=lambda e, o=other: (md.mw[e], (state.occ[o] >> state.slot_of[e]) & 1))
            victims.append(lighter[0])
        if len(victims) != len(full) or sum(md.mw[e] for e in set(victims)) >= w:
            continue
        mark = journal.mark()
        for e in set(victims):
            journal.remove(e)
        if eject_insert(journal, m, 2, set(), [40]) or kempe_insert(state, m, journal=journal):
            lightest.push(m, state.slot_of[m])
            gained += w - sum(md.mw[e] for e in set(victims))
            for e in set(victims):  # a victim may fit elsewhere now
                if state.slot_of[e] < 0 and has_room(state, e):
                    cand = state.candidates(e)
                    if cand:
                        state.place(e, best_slot(state, e, cand))
                        gained += md.mw[e]
            journal.ops.clear()
        else:
            journal.undo(mark)
    return gained


def solve_heuristic(*, model: Model, selection: list[float] | None, deadline: float, seed: int = 0) -> State:
    """Full heuristic pipeline; each improvement phase gets a share of the time left so that the idle-gap
    descent that follows always keeps most of the budget."""
    rng = random.Random(seed)
    order = meeting_order(model=model, selection=selection, rng=rng)
    state = construct(model=model, order=order)
    by_weight = sorted(order, key=lambda m: (-model.mw[m], -(selection or [0] * model.M)[m]))

    def share(fraction: float) -> float:
        now = time.perf_counter()
        return now + max(0.0, deadline - now) * fraction

    repair(state=state, order=by_weight, deadline=share(0.2))
    exchange(state=state, order=by_weight, deadline=share(0.2))
    stuck = [m for m in by_weight if state.slot_of[m] < 0 and has_room(state, m)]
    deepen(state=state, order=stuck, deadline=share(0.25))
    return state
