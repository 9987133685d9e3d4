"""Local moves on a schedule state: slot choice, Kempe-chain insertion and short ejection chains.

Putting a meeting (a, b) into a slot fails when a and b are each free somewhere, but never in the same
slot. Viewing slots as edge colours, an alpha/beta alternating path (Kempe chain) starting at b can swap
colours so that b becomes free where a is free; that is the classic edge-colouring augmentation (always
succeeds in bipartite graphs without extra constraints). Blocked slots, locked meetings and table counts
are checked on the chain before it is flipped. Ejection chains cover what chains cannot: evict the
meetings in the way, and re-place them elsewhere recursively.
"""

from __future__ import annotations

from itertools import islice

from techbridge.events.scheduling.model import State


def bits(mask: int) -> list[int]:
    """Slot indices set in `mask`, in time order."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def best_slot(state: State, m: int, cand: int) -> int:
    """Among candidate slots, the one adding the fewest idle gaps for both people; earliest on ties
    (front-loading each session keeps people's agendas compact and leaves later rounds flexible)."""
    md = state.model
    a, b = md.ma[m], md.mb[m]
    best, best_key = -1, None
    occ_a, occ_b = state.occ[a], state.occ[b]
    base = md.gaps_of(p=a, occ=occ_a) + md.gaps_of(p=b, occ=occ_b)
    while cand:
        low = cand & -cand
        cand ^= low
        s = low.bit_length() - 1
        key = md.gaps_of(p=a, occ=occ_a | low) + md.gaps_of(p=b, occ=occ_b | low) - base
        if best_key is None or key < best_key:
            best, best_key = s, key
            if key <= 0 and not (occ_a | occ_b):
                break
    return best


def kempe_path(state: State, start: int, avoid: int, alpha: int, beta: int, limit: int) -> list[int] | None:
    """Meetings of the alpha/beta alternating path from `start` (which must be free at beta), or None when
    flipping it would break a constraint: a locked meeting, a blocked slot, or reaching `avoid`."""
    md = state.model
    path: list[int] = []
    cur, colour, other = start, alpha, beta
    while True:
        e = state.busy[cur][colour]
        if e < 0:
            return path
        if md.locked_slot[e] >= 0 or len(path) >= limit:
            return None
        nxt = md.mb[e] if md.ma[e] == cur else md.ma[e]
        if nxt == avoid or not (md.common[e] >> other) & 1:
            return None
        path.append(e)
        cur = nxt
        colour, other = other, colour


def flip(ops: State | Journal, path: list[int], alpha: int, beta: int) -> None:
    """Swap alpha and beta on every meeting of the path (all removed first, then re-placed)."""
    old = [ops.remove(e) for e in path]
    for e, s in zip(path, old, strict=True):
        ops.place(e, beta if s == alpha else alpha)


def _table_ok(state: State, path: list[int], alpha: int, beta: int, extra_alpha: int) -> bool:
    md = state.model
    k_alpha = sum(1 for e in path if state.slot_of[e] == alpha)
    k_beta = len(path) - k_alpha
    return (
        state.load[alpha] - k_alpha + k_beta + extra_alpha <= md.tables[alpha]
        and state.load[beta] - k_beta + k_alpha <= md.tables[beta]
    )


def kempe_insert(state: State, m: int, limit: int = 400, journal: Journal | None = None) -> bool:
    """Place m by flipping one alternating chain (from either end); False if no chain works.
    With a journal, the moves are logged so a caller can undo them."""
    md = state.model
    ops: State | Journal = journal if journal is not None else state
    a, b = md.ma[m], md.mb[m]
    fa, fb = state.free(a) & md.common[m], state.free(b) & md.common[m]
    if not fa or not fb:
        return False
    for u, v, fu, fv in ((a, b, fa, fb), (b, a, fb, fa)):
        for alpha in bits(fu & ~fv):
            for beta in bits(fv & ~fu):
                path = kempe_path(state, v, u, alpha, beta, limit)
                if path is None or not path or not _table_ok(state, path, alpha, beta, 1):
                    continue
                flip(ops, path, alpha, beta)
                ops.place(m, alpha)
                return True
    return False


class Journal:
    """Undo log so an ejection chain that fails half-way restores the state exactly."""

    def __init__(self, state: State):
        self.state = state
        self.ops: list[tuple[int, int, int]] = []  # (kind, meeting, slot): kind 1 = placed, 0 = removed

    def place(self, m: int, s: int) -> None:
        self.state.place(m, s)
        self.ops.append((1, m, s))

    def remove(self, m: int) -> int:
        s = self.state.remove(m)
        self.ops.append((0, m, s))
        return s

    def mark(self) -> int:
        return len(self.ops)

    def undo(self, mark: int) -> None:
        while len(self.ops) > mark:
            kind, m, s = self.ops.pop()
            if kind:
                self.state.remove(m)
            else:
                self.state.place(m, s)


def eject_insert(journal: Journal, m: int, depth: int, tabu: set[int], budget: list[int]) -> bool:
    """Place m in some slot, evicting the (unlocked) meetings in the way and re-placing each of them
    recursively with depth-1; on failure everything done is undone. `budget` bounds the total work."""
    state = journal.state
    md = state.model
    a, b = md.ma[m], md.mb[m]
    if state.count[a] >= md.max_meetings[a] or state.count[b] >= md.max_meetings[b]:
        return False
    cand = state.candidates(m)
    if cand:
        journal.place(m, best_slot(state, m, cand))
        return True
    if depth <= 0:
        return False
    options = []
    for s in bits(md.common[m]):
        blockers = {e for e in (state.busy[a][s], state.busy[b][s]) if e >= 0}
        if any(md.locked_slot[e] >= 0 or e in tabu for e in blockers):
            continue
        full = state.load[s] - len(blockers) >= md.tables[s]
        options.append((len(blockers) + full, s, blockers, full))
    options.sort(key=lambda o: o[0])
    for _, s, blockers, full in options:
        if budget[0] <= 0:
            return False
        budget[0] -= 1
        mark = journal.mark()
        evicted = list(blockers)
        for e in evicted:
            journal.remove(e)
        if full:
            victim = next(
                (
                    e
                    for e in islice(state.members[s], 40)  # a sample is enough; scanning a full room is slow
                    if md.locked_slot[e] < 0 and e not in tabu and state.candidates(e)
                ),
                -1,
            )
            if victim < 0:
                journal.undo(mark)
                continue
            journal.remove(victim)
            evicted.append(victim)
        journal.place(m, s)
        tabu.add(m)
        ok = all(eject_insert(journal, e, depth - 1, tabu, budget) for e in evicted)
        tabu.discard(m)
        if ok:
            return True
        journal.undo(mark)
    return False
