"""Input model of the brokerage-event scheduler: slots, tables, participants and accepted meetings.

The scheduler is pure Python so the same instance can come from the Django `events` app, from a JSON file
written by the benchmark generator, or from a test. Validation lives here so every entry point rejects a
broken instance with the same readable messages instead of failing deep inside the solver.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any


class InstanceError(ValueError):
    """An instance (or instance file) that cannot be scheduled; `problems` lists every issue found."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("invalid scheduling instance:\n- " + "\n- ".join(self.problems))


@dataclass(frozen=True)
class Slot:
    """One meeting round. `session` groups slots of one half-day/day; empty means 'the start date'."""

    id: str
    start: datetime
    end: datetime
    session: str = ""


@dataclass(frozen=True)
class Participant:
    """Someone who meets others; `unavailable` lists slot ids they blocked, `max_meetings` caps their load."""

    id: str
    unavailable: frozenset[str] = frozenset()
    max_meetings: int | None = None


@dataclass(frozen=True)
class Meeting:
    """An accepted one-to-one request; a `locked_slot` (and `locked_table`) is published and never moves."""

    id: str
    a: str
    b: str
    priority: int = 1
    locked_slot: str | None = None
    locked_table: int | None = None


@dataclass
class Instance:
    """Everything the scheduler needs: `tables` maps every slot id to the number of tables in that slot."""

    slots: list[Slot]
    tables: dict[str, int]
    participants: list[Participant]
    meetings: list[Meeting] = field(default_factory=list)


def session_key(*, slot: Slot) -> str:
    """Session a slot belongs to: the explicit session name, else its start date (one session per day)."""
    return slot.session or slot.start.date().isoformat()


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_slots(instance: Instance, problems: list[str]) -> set[str]:
    slot_ids: set[str] = set()
    for i, slot in enumerate(instance.slots):
        if not isinstance(slot.id, str) or not slot.id:
            problems.append(f"slots[{i}]: id must be a non-empty string")
            continue
        if slot.id in slot_ids:
            problems.append(f"slot id {slot.id!r} is used twice")
        slot_ids.add(slot.id)
        if not isinstance(slot.start, datetime) or not isinstance(slot.end, datetime):
            problems.append(f"slot {slot.id!r}: start and end must be datetimes")
            continue
        if (slot.start.tzinfo is None) != (slot.end.tzinfo is None):
            problems.append(f"slot {slot.id!r}: start and end must both have a time zone or both have none")
        elif slot.end <= slot.start:
            problems.append(f"slot {slot.id!r}: end {slot.end.isoformat()} is not after start")
    timed = [s for s in instance.slots if isinstance(s.start, datetime) and isinstance(s.end, datetime)]
    if len({s.start.tzinfo is None for s in timed}) > 1:
        problems.append("slots mix times with and without a time zone")
    else:
        timed.sort(key=lambda s: s.start)
        for prev, cur in zip(timed, timed[1:], strict=False):
            if cur.start < prev.end:
                problems.append(f"slots {prev.id!r} and {cur.id!r} overlap in time")
    for slot_id, n in instance.tables.items():
        if slot_id not in slot_ids:
            problems.append(f"tables: unknown slot {slot_id!r}")
        elif not _is_int(n) or n < 0:
            problems.append(f"tables[{slot_id!r}] must be a non-negative integer, got {n!r}")
    for slot_id in sorted(slot_ids - set(instance.tables)):
        problems.append(f"tables: no table count for slot {slot_id!r}")
    return slot_ids


def _check_participants(instance: Instance, slot_ids: set[str], problems: list[str]) -> dict[str, Participant]:
    people: dict[str, Participant] = {}
    for i, p in enumerate(instance.participants):
        if not isinstance(p.id, str) or not p.id:
            problems.append(f"participants[{i}]: id must be a non-empty string")
            continue
        if p.id in people:
            problems.append(f"participant id {p.id!r} is used twice")
        people[p.id] = p
        for slot_id in sorted(set(p.unavailable) - slot_ids):
            problems.append(f"participant {p.id!r}: unavailable slot {slot_id!r} does not exist")
        if p.max_meetings is not None and (not _is_int(p.max_meetings) or p.max_meetings < 0):
            problems.append(f"participant {p.id!r}: max_meetings must be a non-negative integer or null")
    return people


def _check_locks(instance: Instance, people: dict[str, Participant], problems: list[str]) -> None:
    seen_person: dict[tuple[str, str], str] = {}
    seen_table: dict[tuple[str, int], str] = {}
    per_slot: dict[str, int] = {}
    per_person: dict[str, int] = {}
    for m in instance.meetings:
        if m.locked_slot is None or m.a not in people or m.b not in people or m.a == m.b:
            continue
        if m.locked_slot not in instance.tables:
            continue
        per_slot[m.locked_slot] = per_slot.get(m.locked_slot, 0) + 1
        for pid in (m.a, m.b):
            per_person[pid] = per_person.get(pid, 0) + 1
            if m.locked_slot in people[pid].unavailable:
                problems.append(f"locked meeting {m.id!r}: {pid!r} is unavailable in slot {m.locked_slot!r}")
            other = seen_person.setdefault((pid, m.locked_slot), m.id)
            if other != m.id:
                problems.append(f"locked meetings {other!r} and {m.id!r} both put {pid!r} in slot {m.locked_slot!r}")
        if m.locked_table is not None:
            other = seen_table.setdefault((m.locked_slot, m.locked_table), m.id)
            if other != m.id:
                problems.append(
                    f"locked meetings {other!r} and {m.id!r} share table {m.locked_table} in {m.locked_slot!r}"
                )
    for slot_id, n in per_slot.items():
        if _is_int(instance.tables.get(slot_id)) and n > instance.tables[slot_id]:
            problems.append(f"slot {slot_id!r}: {n} locked meetings but only {instance.tables[slot_id]} tables")
    for pid, n in per_person.items():
        cap = people[pid].max_meetings
        if _is_int(cap) and n > cap:
            problems.append(f"participant {pid!r}: {n} locked meetings exceed max_meetings={cap}")


def validate_instance(*, instance: Instance) -> list[str]:
    """Every reason the instance cannot be scheduled as given; [] when it is consistent.

    Locked meetings are published, so the scheduler may not move them: an inconsistency among them (same
    person twice in a slot, a blocked slot, more locks than tables) is an input error, not something the
    solver may silently repair.
    """
    problems: list[str] = []
    slot_ids = _check_slots(instance, problems)
    people = _check_participants(instance, slot_ids, problems)
    meeting_ids: set[str] = set()
    for i, m in enumerate(instance.meetings):
        label = f"meeting {m.id!r}" if isinstance(m.id, str) and m.id else f"meetings[{i}]"
        if not isinstance(m.id, str) or not m.id:
            problems.append(f"{label}: id must be a non-empty string")
        elif m.id in meeting_ids:
            problems.append(f"meeting id {m.id!r} is used twice")
        meeting_ids.add(m.id)
        for side in (m.a, m.b):
            if side not in people:
                problems.append(f"{label}: unknown participant {side!r}")
        if m.a == m.b:
            problems.append(f"{label}: a participant cannot meet themselves ({m.a!r})")
        if not _is_int(m.priority) or not 1 <= m.priority <= 3:
            problems.append(f"{label}: priority must be 1, 2 or 3, got {m.priority!r}")
        if m.locked_table is not None and m.locked_slot is None:
            problems.append(f"{label}: locked_table needs a locked_slot")
        if m.locked_slot is not None and m.locked_slot not in slot_ids:
            problems.append(f"{label}: locked slot {m.locked_slot!r} does not exist")
        elif m.locked_table is not None and m.locked_slot is not None:
            n = instance.tables.get(m.locked_slot)
            if not _is_int(m.locked_table) or (_is_int(n) and not 1 <= m.locked_table <= n):
                problems.append(f"{label}: locked table {m.locked_table!r} is not in 1..{n}")
    _check_locks(instance, people, problems)
    return problems


def ensure_valid(*, instance: Instance) -> None:
    """Raise InstanceError listing every problem, so callers fail early with a readable message."""
    problems = validate_instance(instance=instance)
    if problems:
        raise InstanceError(problems)


# --- JSON -------------------------------------------------------------------------------------------------


def _require(obj: Any, key: str, where: str, problems: list[str], kind: type | tuple[type, ...]) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        problems.append(f"{where}: missing {key!r}")
        return None
    value = obj[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        problems.append(f"{where}.{key}: expected {getattr(kind, '__name__', kind)}, got {value!r}")
        return None
    return value


def _parse_time(value: Any, where: str, problems: list[str]) -> datetime | None:
    if not isinstance(value, str):
        problems.append(f"{where}: expected an ISO datetime string, got {value!r}")
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        problems.append(f"{where}: {value!r} is not an ISO datetime")
        return None


def _optional(obj: dict, key: str, where: str, problems: list[str], kind: type) -> Any:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or isinstance(value, bool):
        problems.append(f"{where}.{key}: expected {kind.__name__} or null, got {value!r}")
        return None
    return value


def instance_from_dict(*, data: Any) -> Instance:
    """Build an Instance from the documented JSON shape, reporting every structural error at once."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise InstanceError(["top level must be a JSON object with slots, tables, participants, meetings"])
    slots: list[Slot] = []
    for i, raw in enumerate(_require(data, "slots", "instance", problems, list) or []):
        where = f"slots[{i}]"
        sid = _require(raw, "id", where, problems, str)
        start = _parse_time(raw.get("start"), f"{where}.start", problems) if isinstance(raw, dict) else None
        end = _parse_time(raw.get("end"), f"{where}.end", problems) if isinstance(raw, dict) else None
        session = raw.get("session", "") if isinstance(raw, dict) else ""
        if not isinstance(session, str):
            problems.append(f"{where}.session: expected a string")
            session = ""
        if sid is not None and start is not None and end is not None:
            slots.append(Slot(id=sid, start=start, end=end, session=session))
    raw_tables = data.get("tables")
    if _is_int(raw_tables):
        tables = {s.id: raw_tables for s in slots}
    elif isinstance(raw_tables, dict):
        tables = dict(raw_tables)
    else:
        problems.append("instance.tables: expected an integer or an object {slot id: count}")
        tables = {}
    participants: list[Participant] = []
    for i, raw in enumerate(_require(data, "participants", "instance", problems, list) or []):
        where = f"participants[{i}]"
        pid = _require(raw, "id", where, problems, str)
        if pid is None:
            continue
        unavailable = raw.get("unavailable", [])
        if not isinstance(unavailable, list) or not all(isinstance(u, str) for u in unavailable):
            problems.append(f"{where}.unavailable: expected a list of slot ids")
            unavailable = []
        cap = _optional(raw, "max_meetings", where, problems, int)
        participants.append(Participant(id=pid, unavailable=frozenset(unavailable), max_meetings=cap))
    meetings: list[Meeting] = []
    for i, raw in enumerate(_require(data, "meetings", "instance", problems, list) or []):
        where = f"meetings[{i}]"
        values = [_require(raw, key, where, problems, str) for key in ("id", "a", "b")]
        priority = raw.get("priority", 1) if isinstance(raw, dict) else 1
        if not _is_int(priority):
            problems.append(f"{where}.priority: expected an integer 1-3, got {priority!r}")
            continue
        if any(v is None for v in values):
            continue
        locked_slot = _optional(raw, "locked_slot", where, problems, str)
        locked_table = _optional(raw, "locked_table", where, problems, int)
        mid, a, b = values
        meetings.append(
            Meeting(id=mid, a=a, b=b, priority=priority, locked_slot=locked_slot, locked_table=locked_table)
        )
    if problems:
        raise InstanceError(problems)
    instance = Instance(slots=slots, tables=tables, participants=participants, meetings=meetings)
    ensure_valid(instance=instance)
    return instance


def instance_to_dict(*, instance: Instance) -> dict[str, Any]:
    """The documented JSON shape; a single int for `tables` when every slot has the same count."""
    counts = {instance.tables[s.id] for s in instance.slots}
    tables: Any = next(iter(counts)) if len(counts) == 1 else {s.id: instance.tables[s.id] for s in instance.slots}
    slots = []
    for s in instance.slots:
        row: dict[str, Any] = {"id": s.id, "start": s.start.isoformat(), "end": s.end.isoformat()}
        if s.session:
            row["session"] = s.session
        slots.append(row)
    participants = []
    for p in instance.participants:
        prow: dict[str, Any] = {"id": p.id, "unavailable": sorted(p.unavailable)}
        if p.max_meetings is not None:
            prow["max_meetings"] = p.max_meetings
        participants.append(prow)
    meetings = []
    for m in instance.meetings:
        mrow: dict[str, Any] = {"id": m.id, "a": m.a, "b": m.b, "priority": m.priority}
        if m.locked_slot is not None:
            mrow["locked_slot"] = m.locked_slot
        if m.locked_table is not None:
            mrow["locked_table"] = m.locked_table
        meetings.append(mrow)
    return {"slots": slots, "tables": tables, "participants": participants, "meetings": meetings}


def load_instance(path: str | Path) -> Instance:
    """Read and validate an instance file; errors name the file and every problem found."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InstanceError([f"{path}: cannot read file ({exc.strerror or exc})"]) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstanceError([f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]) from exc
    try:
        return instance_from_dict(data=data)
    except InstanceError as exc:
        raise InstanceError([f"{path}: {p}" for p in exc.problems]) from None


def dump_instance(instance: Instance, path: str | Path) -> None:
    """Write the instance in the documented JSON format (stable key order, one file)."""
    Path(path).write_text(json.dumps(instance_to_dict(instance=instance), indent=1) + "\n", encoding="utf-8")
