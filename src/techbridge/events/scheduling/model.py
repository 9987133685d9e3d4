"""Integer-indexed view of an Instance and a mutable schedule state with O(1) moves.

Slots become bit positions (ordered by start time), so "slots where both are free and a table is open" is
one AND of three Python ints; this keeps the heuristics fast enough for 50,000 meetings in pure Python.
"""

from __future__ import annotations

from techbridge.events.scheduling.instance import Instance, session_key


class Model:
    """Immutable arrays derived from the instance; indices replace ids everywhere in the solver."""

    def __init__(self, *, instance: Instance):
        order = sorted(instance.slots, key=lambda s: s.start)
        self.slot_ids = [s.id for s in order]
        self.S = len(order)
        sidx = {sid: i for i, sid in enumerate(self.slot_ids)}
        self.tables = [instance.tables[sid] for sid in self.slot_ids]
        sessions: dict[str, int] = {}
        self.session_of = [sessions.setdefault(session_key(slot=s), len(sessions)) for s in order]
        self.session_masks = [0] * len(sessions)
        for i, k in enumerate(self.session_of):
            self.session_masks[k] |= 1 << i
        self.all_slots = (1 << self.S) - 1
        self.part_ids = [p.id for p in instance.participants]
        self.N = len(self.part_ids)
        pidx = {pid: i for i, pid in enumerate(self.part_ids)}
        self.avail = [0] * self.N
        self.max_meetings = [0] * self.N
        for i, p in enumerate(instance.participants):
            blocked = 0
            for sid in p.unavailable:
                blocked |= 1 << sidx[sid]
            self.avail[i] = self.all_slots & ~blocked
            n_avail = self.avail[i].bit_count()
            self.max_meetings[i] = n_avail if p.max_meetings is None else min(n_avail, p.max_meetings)
        self.meeting_ids = [m.id for m in instance.meetings]
        self.M = len(self.meeting_ids)
        self.ma = [pidx[m.a] for m in instance.meetings]
        self.mb = [pidx[m.b] for m in instance.meetings]
        self.mw = [m.priority for m in instance.meetings]
        self.locked_slot = [-1 if m.locked_slot is None else sidx[m.locked_slot] for m in instance.meetings]
        self.locked_table = [m.locked_table for m in instance.meetings]
        self.common = [self.avail[a] & self.avail[b] for a, b in zip(self.ma, self.mb, strict=True)]
        self.incident: list[list[int]] = [[] for _ in range(self.N)]
        for m in range(self.M):
            self.incident[self.ma[m]].append(m)
            self.incident[self.mb[m]].append(m)

    def gaps_of(self, *, p: int, occ: int) -> int:
        """Idle available slots strictly inside p's span of each session, for the busy bitmask `occ`."""
        total = 0
        for smask in self.session_masks:
            x = occ & smask
            if x & (x - 1):
                lo = (x & -x).bit_length() - 1
                span = ((1 << x.bit_length()) - (1 << lo)) & smask & self.avail[p]
                total += span.bit_count() - x.bit_count()
        return total


class State:
    """A (partial) schedule: slot per meeting, and per participant the meeting held in each slot."""

    def __init__(self, *, model: Model):
        self.model = model
        self.slot_of = [-1] * model.M
        self.busy = [[-1] * model.S for _ in range(model.N)]
        self.occ = [0] * model.N
        self.count = [0] * model.N
        self.load = [0] * model.S
        self.members: list[set[int]] = [set() for _ in range(model.S)]
        self.open = model.all_slots & sum(1 << s for s in range(model.S) if model.tables[s] > 0)
        self.weight = 0

    def copy(self) -> State:
        other = State.__new__(State)
        other.model = self.model
        other.slot_of = self.slot_of[:]
        other.busy = [row[:] for row in self.busy]
        other.occ = self.occ[:]
        other.count = self.count[:]
        other.load = self.load[:]
        other.members = [set(x) for x in self.members]
        other.open = self.open
        other.weight = self.weight
        return other

    def place(self, m: int, s: int) -> None:
        md = self.model
        bit = 1 << s
        for p in (md.ma[m], md.mb[m]):
            self.busy[p][s] = m
            self.occ[p] |= bit
            self.count[p] += 1
        self.slot_of[m] = s
        self.members[s].add(m)
        self.load[s] += 1
        if self.load[s] >= md.tables[s]:
            self.open &= ~bit
        self.weight += md.mw[m]

    def remove(self, m: int) -> int:
        md = self.model
        s = self.slot_of[m]
        bit = 1 << s
        for p in (md.ma[m], md.mb[m]):
            self.busy[p][s] = -1
            self.occ[p] &= ~bit
            self.count[p] -= 1
        self.slot_of[m] = -1
        self.members[s].discard(m)
        self.load[s] -= 1
        self.open |= bit
        self.weight -= md.mw[m]
        return s

    def free(self, p: int) -> int:
        """Slots where p is available and not yet busy (0 when p reached max_meetings)."""
        if self.count[p] >= self.model.max_meetings[p]:
            return 0
        return self.model.avail[p] & ~self.occ[p]

    def candidates(self, m: int) -> int:
        """Slots where meeting m fits right now without moving anything."""
        md = self.model
        return self.free(md.ma[m]) & self.free(md.mb[m]) & self.open

    def gap_delta_add(self, p: int, s: int) -> int:
        md = self.model
        occ = self.occ[p]
        return md.gaps_of(p=p, occ=occ | (1 << s)) - md.gaps_of(p=p, occ=occ)

    def total_gaps(self) -> int:
        md = self.model
        return sum(md.gaps_of(p=p, occ=self.occ[p]) for p in range(md.N))
