"""Idle-gap reduction that never changes which meetings are scheduled.

Move: take a meeting m in slot s and a target slot t, and swap s and t on the whole connected component of
meetings in s or t around m (a Kempe component). Everyone inside the component keeps both rounds busy; only
the component's ends change rounds, so the change in idle gaps is computed from at most two people, and
validity from the component's meetings (blocked slots, locks, table counts). Descent with occasional
sideways moves until a pass finds nothing or time runs out.
"""

from __future__ import annotations

import random
import time

from techbridge.events.scheduling.model import State
from techbridge.events.scheduling.moves import bits, flip


def component(state: State, m: int, t: int, limit: int = 64) -> list[int] | None:
    """Meetings in slot(m) or t connected to m through shared participants, or None if the swap is invalid."""
    md = state.model
    s = state.slot_of[m]
    comp = [m]
    seen = {m}
    stack = [md.ma[m], md.mb[m]]
    while stack:
        v = stack.pop()
        row = state.busy[v]
        for c in (s, t):
            e = row[c]
            if e < 0 or e in seen:
                continue
            if md.locked_slot[e] >= 0 or len(comp) >= limit:
                return None
            seen.add(e)
            comp.append(e)
            stack.append(md.mb[e] if md.ma[e] == v else md.ma[e])
    for e in comp:
        if md.locked_slot[e] >= 0:
            return None
        other = t if state.slot_of[e] == s else s
        if not (md.common[e] >> other) & 1:
            return None
    return comp


def swap_delta(state: State, comp: list[int], s: int, t: int) -> int | None:
    """Change in idle gaps if s and t are swapped on `comp`; None if a slot would exceed its tables."""
    md = state.model
    k_s = sum(1 for e in comp if state.slot_of[e] == s)
    k_t = len(comp) - k_s
    if state.load[s] - k_s + k_t > md.tables[s] or state.load[t] - k_t + k_s > md.tables[t]:
        return None
    degree: dict[int, int] = {}
    for e in comp:
        for p in (md.ma[e], md.mb[e]):
            degree[p] = degree.get(p, 0) + 1
    flipbits = (1 << s) | (1 << t)
    delta = 0
    for p, d in degree.items():
        if d == 1:  # an end of the chain: its busy round moves from one slot to the other
            occ = state.occ[p]
            delta += md.gaps_of(p=p, occ=occ ^ flipbits) - md.gaps_of(p=p, occ=occ)
    return delta


def reduce_gaps(*, state: State, deadline: float, seed: int = 0, sideways: float = 0.05) -> int:
    """Improve idle gaps in place until no improving move is found or the deadline passes; returns gain."""
    md = state.model
    rng = random.Random(seed)
    gaps = [md.gaps_of(p=p, occ=state.occ[p]) for p in range(md.N)]
    gained = 0
    for _ in range(50):
        improved = 0
        people = [p for p in range(md.N) if gaps[p] > 0]
        rng.shuffle(people)
        for p in people:
            if time.perf_counter() > deadline:
                return gained
            if gaps[p] == 0:
                continue
            for m in _meetings_of(state, p):
                s = state.slot_of[m]
                if s < 0 or md.locked_slot[m] >= 0:
                    continue
                best = None
                occ = state.occ[p]
                for t in bits(md.common[m] & ~occ):
                    # only moves where p itself changes round can shrink p's gaps: skip the others early
                    if md.gaps_of(p=p, occ=occ ^ (1 << s) ^ (1 << t)) > gaps[p]:
                        continue
                    comp = component(state, m, t)
                    if comp is None:
                        continue
                    delta = swap_delta(state, comp, s, t)
                    if delta is not None and (best is None or delta < best[0]):
                        best = (delta, t, comp)
                if best is None:
                    continue
                delta, t, comp = best
                if delta < 0 or (delta == 0 and rng.random() < sideways):
                    touched = {q for e in comp for q in (md.ma[e], md.mb[e])}
                    flip(state, comp, s, t)
                    for q in touched:
                        gaps[q] = md.gaps_of(p=q, occ=state.occ[q])
                    gained -= delta
                    improved += delta < 0
        if not improved:
            break
    return gained


def _meetings_of(state: State, p: int) -> list[int]:
    row = state.busy[p]
    return [e for e in row if e >= 0]
