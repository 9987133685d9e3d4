"""Independent validity checker and gap metric for schedules.

Written against the plain Instance (no solver data structures) so tests and the benchmark can verify the
solver's and the greedy baseline's output without trusting the code that produced it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from techbridge.events.scheduling.instance import Instance, session_key


class AssignmentLike(Protocol):
    meeting: str
    slot: str
    table: int


def check_schedule(*, instance: Instance, assignments: Iterable[AssignmentLike]) -> list[str]:
    """Every violated constraint of `assignments` on `instance`, readably; [] if the schedule is valid."""
    violations: list[str] = []
    meetings = {m.id: m for m in instance.meetings}
    people = {p.id: p for p in instance.participants}
    placed: dict[str, tuple[str, int]] = {}
    by_table: dict[tuple[str, int], str] = {}
    by_person: dict[tuple[str, str], str] = {}
    per_slot: dict[str, int] = defaultdict(int)
    per_person: dict[str, int] = defaultdict(int)
    for asg in assignments:
        m = meetings.get(asg.meeting)
        if m is None:
            violations.append(f"unknown meeting {asg.meeting!r}")
            continue
        if asg.meeting in placed:
            violations.append(f"meeting {asg.meeting!r} is scheduled more than once")
            continue
        if asg.slot not in instance.tables:
            violations.append(f"meeting {asg.meeting!r}: unknown slot {asg.slot!r}")
            continue
        placed[asg.meeting] = (asg.slot, asg.table)
        n_tables = instance.tables[asg.slot]
        if not isinstance(asg.table, int) or not 1 <= asg.table <= n_tables:
            violations.append(f"meeting {asg.meeting!r}: table {asg.table!r} not in 1..{n_tables} of {asg.slot!r}")
        other = by_table.setdefault((asg.slot, asg.table), asg.meeting)
        if other != asg.meeting:
            violations.append(f"meetings {other!r} and {asg.meeting!r} share table {asg.table} in {asg.slot!r}")
        per_slot[asg.slot] += 1
        for pid in (m.a, m.b):
            per_person[pid] += 1
            if asg.slot in people[pid].unavailable:
                violations.append(f"meeting {asg.meeting!r}: {pid!r} is unavailable in slot {asg.slot!r}")
            other = by_person.setdefault((pid, asg.slot), asg.meeting)
            if other != asg.meeting:
                violations.append(f"{pid!r} is in meetings {other!r} and {asg.meeting!r} in slot {asg.slot!r}")
    for slot_id, count in per_slot.items():
        if count > instance.tables[slot_id]:
            violations.append(f"slot {slot_id!r}: {count} meetings for {instance.tables[slot_id]} tables")
    for pid, count in per_person.items():
        cap = people[pid].max_meetings
        if cap is not None and count > cap:
            violations.append(f"{pid!r}: {count} meetings exceed max_meetings={cap}")
    for m in instance.meetings:
        if m.locked_slot is None:
            continue
        got = placed.get(m.id)
        if got is None:
            violations.append(f"locked meeting {m.id!r} is not scheduled")
        elif got[0] != m.locked_slot:
            violations.append(f"locked meeting {m.id!r} moved from {m.locked_slot!r} to {got[0]!r}")
        elif m.locked_table is not None and got[1] != m.locked_table:
            violations.append(f"locked meeting {m.id!r} moved from table {m.locked_table} to {got[1]}")
    return violations


def count_idle_gaps(*, instance: Instance, assignments: Iterable[AssignmentLike]) -> int:
    """Idle slots between each participant's first and last meeting of a session, summed over everyone.

    A slot the participant marked unavailable is not idle time (they are elsewhere on purpose), so it is
    not counted; every other empty slot strictly inside the span counts once.
    """
    meetings = {m.id: m for m in instance.meetings}
    order = sorted(instance.slots, key=lambda s: s.start)
    position = {s.id: i for i, s in enumerate(order)}
    session = {s.id: session_key(slot=s) for s in order}
    busy: dict[tuple[str, str], set[int]] = defaultdict(set)
    for asg in assignments:
        m = meetings[asg.meeting]
        for pid in (m.a, m.b):
            busy[(pid, session[asg.slot])].add(position[asg.slot])
    unavailable = {p.id: p.unavailable for p in instance.participants}
    gaps = 0
    for (pid, sess), positions in busy.items():
        for i in range(min(positions) + 1, max(positions)):
            slot_id = order[i].id
            if i not in positions and session[slot_id] == sess and slot_id not in unavailable[pid]:
                gaps += 1
    return gaps
