"""The independent checker, the idle-gap metric and the reasons given for unscheduled meetings."""

from __future__ import annotations

from datetime import datetime, timedelta

from techbridge.events.scheduling.check import check_schedule, count_idle_gaps
from techbridge.events.scheduling.instance import Instance, Meeting, Participant, Slot
from techbridge.events.scheduling.result import Assignment
from techbridge.events.scheduling.solver import schedule


def _slots(n: int, second_day_from: int | None = None) -> list[Slot]:
    out = []
    for i in range(n):
        day = 1 if second_day_from is not None and i >= second_day_from else 0
        start = datetime(2026, 5, 4, 9) + timedelta(days=day, minutes=30 * i)
        out.append(Slot(id=f"s{i}", start=start, end=start + timedelta(minutes=25)))
    return out


def _instance(n_slots=3, tables=2, people=("a", "b", "c", "d"), meetings=(), blocked=None, caps=None, day2=None):
    blocked = blocked or {}
    caps = caps or {}
    return Instance(
        slots=_slots(n_slots, day2),
        tables={f"s{i}": tables for i in range(n_slots)},
        participants=[
            Participant(id=p, unavailable=frozenset(blocked.get(p, ())), max_meetings=caps.get(p)) for p in people
        ],
        meetings=list(meetings),
    )


def test_check_schedule_valid_schedule_has_no_violation():
    inst = _instance(meetings=[Meeting(id="ab", a="a", b="b"), Meeting(id="cd", a="c", b="d")])
    asg = [Assignment("ab", "s0", 1), Assignment("cd", "s0", 2)]
    assert check_schedule(instance=inst, assignments=asg) == []


def test_check_schedule_reports_double_booking_and_shared_table():
    inst = _instance(meetings=[Meeting(id="ab", a="a", b="b"), Meeting(id="ac", a="a", b="c")])
    found = check_schedule(instance=inst, assignments=[Assignment("ab", "s1", 1), Assignment("ac", "s1", 1)])
    assert "'a' is in meetings 'ab' and 'ac' in slot 's1'" in found
    assert "meetings 'ab' and 'ac' share table 1 in 's1'" in found


def test_check_schedule_reports_blocked_slot_bad_table_and_cap():
    inst = _instance(
        meetings=[Meeting(id="ab", a="a", b="b"), Meeting(id="ac", a="a", b="c")],
        blocked={"b": ["s2"]},
        caps={"a": 1},
    )
    found = check_schedule(instance=inst, assignments=[Assignment("ab", "s2", 3), Assignment("ac", "s0", 1)])
    assert "meeting 'ab': 'b' is unavailable in slot 's2'" in found
    assert "meeting 'ab': table 3 not in 1..2 of 's2'" in found
    assert "'a': 2 meetings exceed max_meetings=1" in found


def test_check_schedule_reports_unknown_duplicate_and_moved_locks():
    inst = _instance(
        meetings=[
            Meeting(id="ab", a="a", b="b", locked_slot="s0", locked_table=2),
            Meeting(id="cd", a="c", b="d", locked_slot="s1"),
        ]
    )
    found = check_schedule(
        instance=inst,
        assignments=[Assignment("ab", "s0", 1), Assignment("ab", "s0", 1), Assignment("zz", "s0", 1)],
    )
    assert "meeting 'ab' is scheduled more than once" in found
    assert "unknown meeting 'zz'" in found
    assert "locked meeting 'ab' moved from table 2 to 1" in found
    assert "locked meeting 'cd' is not scheduled" in found


def test_check_schedule_reports_overfull_slot():
    inst = _instance(tables=1, meetings=[Meeting(id="ab", a="a", b="b"), Meeting(id="cd", a="c", b="d")])
    found = check_schedule(instance=inst, assignments=[Assignment("ab", "s0", 1), Assignment("cd", "s0", 2)])
    assert "slot 's0': 2 meetings for 1 tables" in found


def test_count_idle_gaps_counts_inside_span_per_session_only():
    inst = _instance(
        n_slots=6,
        people=("a", "b", "c", "d"),
        meetings=[Meeting(id=i, a="a", b=o) for i, o in (("1", "b"), ("2", "c"), ("3", "d"))],
        blocked={"a": ["s1"]},
        day2=3,
    )
    # a: s0 and s2 on day 1 (s1 blocked, so not idle), s5 alone on day 2: no gap at all
    assert count_idle_gaps(instance=inst, assignments=[Assignment("1", "s0", 1), Assignment("2", "s2", 1)]) == 0
    # a: s3 and s5 on day 2, s4 free: one gap; a single meeting on day 1 adds none
    asg = [Assignment("1", "s0", 1), Assignment("2", "s3", 1), Assignment("3", "s5", 1)]
    assert count_idle_gaps(instance=inst, assignments=asg) == 1


def test_schedule_reason_never_available_together():
    inst = _instance(meetings=[Meeting(id="ab", a="a", b="b")], blocked={"a": ["s0", "s1"], "b": ["s2"]})
    assert schedule(instance=inst).unscheduled == {"ab": "no slot where both a and b are available"}


def test_schedule_reason_max_meetings_reached():
    inst = _instance(
        meetings=[Meeting(id="ab", a="a", b="b", priority=2), Meeting(id="ac", a="a", b="c")], caps={"a": 1}
    )
    assert schedule(instance=inst).unscheduled == {"ac": "max_meetings reached for a"}


def test_schedule_reason_no_free_slot_left():
    inst = _instance(n_slots=1, meetings=[Meeting(id="ab", a="a", b="b", priority=3), Meeting(id="ac", a="a", b="c")])
    assert schedule(instance=inst).unscheduled == {"ac": "participant a has no free slot left"}


def test_schedule_reason_no_common_free_slot():
    inst = _instance(
        n_slots=2,
        people=("a", "b", "c", "d"),
        meetings=[
            Meeting(id="ac", a="a", b="c", locked_slot="s0"),
            Meeting(id="bd", a="b", b="d", locked_slot="s1"),
            Meeting(id="ab", a="a", b="b"),
        ],
    )
    assert schedule(instance=inst).unscheduled == {"ab": "no slot where both a and b are free"}


def test_schedule_reason_tables_full():
    inst = _instance(
        n_slots=1,
        tables=1,
        meetings=[Meeting(id="ab", a="a", b="b", priority=3), Meeting(id="cd", a="c", b="d")],
    )
    assert schedule(instance=inst).unscheduled == {"cd": "tables full in every common free slot"}


def test_schedule_sticky_tables_keep_person_seated():
    meetings = [Meeting(id=f"a{o}", a="a", b=o) for o in "bcd"] + [Meeting(id="ef", a="e", b="f", priority=3)]
    inst = _instance(n_slots=3, tables=3, people=tuple("abcdef"), meetings=meetings)
    result = schedule(instance=inst)
    tables_of_a = {a.table for a in result.assignments if a.meeting.startswith("a")}
    assert len(result.assignments) == 4
    assert len(tables_of_a) == 1


def test_schedule_sticky_table_never_exceeds_smaller_slot():
    inst = _instance(
        n_slots=2,
        tables=3,
        people=tuple("abcdefg"),
        meetings=[
            Meeting(id="cd", a="c", b="d", locked_slot="s0", locked_table=1),
            Meeting(id="ef", a="e", b="f", locked_slot="s0", locked_table=2),
            Meeting(id="ab", a="a", b="b", locked_slot="s0"),
            Meeting(id="ag", a="a", b="g"),
        ],
    )
    inst.tables["s1"] = 1
    result = schedule(instance=inst)
    assert check_schedule(instance=inst, assignments=result.assignments) == []
    assert {a.meeting: a.table for a in result.assignments} == {"cd": 1, "ef": 2, "ab": 3, "ag": 1}
