"""Property-based tests of the scheduler on small random instances, checked against an independent checker
and an independent brute-force optimum."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techbridge.events.scheduling.bounds import instance_upper_bound
from techbridge.events.scheduling.check import check_schedule, count_idle_gaps
from techbridge.events.scheduling.greedy import greedy_schedule
from techbridge.events.scheduling.instance import Instance, Meeting, Participant, Slot
from techbridge.events.scheduling.solver import schedule

SETTINGS = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def instances(draw, max_slots: int = 4, max_people: int = 6, max_meetings: int = 8, locks: bool = True):
    """Small instances with blocked slots, caps, uneven tables, two sessions and consistent locks."""
    n_slots = draw(st.integers(1, max_slots))
    two_days = draw(st.booleans())
    slots = []
    for i in range(n_slots):
        day = 1 if two_days and i >= (n_slots + 1) // 2 else 0
        start = datetime(2026, 5, 4, 9) + timedelta(days=day, minutes=30 * i)
        slots.append(Slot(id=f"s{i}", start=start, end=start + timedelta(minutes=25)))
    tables = {s.id: draw(st.integers(0, 3)) for s in slots}
    n_people = draw(st.integers(2, max_people))
    people = []
    for i in range(n_people):
        blocked = draw(st.sets(st.sampled_from([s.id for s in slots]), max_size=n_slots))
        cap = draw(st.one_of(st.none(), st.integers(0, 3)))
        people.append(Participant(id=f"p{i}", unavailable=frozenset(blocked), max_meetings=cap))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n_people - 1), st.integers(0, n_people - 1)).filter(lambda t: t[0] != t[1]),
            max_size=max_meetings,
        )
    )
    meetings = [
        Meeting(id=f"m{k}", a=f"p{i}", b=f"p{j}", priority=draw(st.integers(1, 3))) for k, (i, j) in enumerate(pairs)
    ]
    instance = Instance(slots=slots, tables=tables, participants=people, meetings=meetings)
    if locks and meetings and draw(st.booleans()):
        base = greedy_schedule(instance=instance, upper_bound=0.0)
        keep = draw(st.sets(st.sampled_from([a.meeting for a in base.assignments] or ["-"])))
        placed = {a.meeting: a for a in base.assignments if a.meeting in keep}
        with_table = draw(st.booleans())
        meetings = [
            Meeting(
                id=m.id,
                a=m.a,
                b=m.b,
                priority=m.priority,
                locked_slot=placed[m.id].slot if m.id in placed else None,
                locked_table=placed[m.id].table if m.id in placed and with_table else None,
            )
            for m in meetings
        ]
        instance = Instance(slots=slots, tables=tables, participants=people, meetings=meetings)
    return instance


def brute_force_optimum(instance: Instance) -> int:
    """Maximum total priority by exhaustive search over (slot or nothing) for every meeting."""
    people = {p.id: p for p in instance.participants}
    slot_ids = [s.id for s in instance.slots]
    used_tables = dict.fromkeys(slot_ids, 0)
    busy: set[tuple[str, str]] = set()
    count = dict.fromkeys(people, 0)
    meetings = sorted(instance.meetings, key=lambda m: m.locked_slot is None)
    best = 0

    def fits(m: Meeting, s: str) -> bool:
        if used_tables[s] >= instance.tables[s]:
            return False
        for pid in (m.a, m.b):
            p = people[pid]
            if s in p.unavailable or (pid, s) in busy:
                return False
            if p.max_meetings is not None and count[pid] >= p.max_meetings:
                return False
        return True

    def visit(i: int, weight: int) -> None:
        nonlocal best
        if i == len(meetings):
            best = max(best, weight)
            return
        m = meetings[i]
        options = [m.locked_slot] if m.locked_slot else slot_ids
        for s in options:
            if fits(m, s):
                used_tables[s] += 1
                busy.update({(m.a, s), (m.b, s)})
                count[m.a] += 1
                count[m.b] += 1
                visit(i + 1, weight + m.priority)
                used_tables[s] -= 1
                busy.difference_update({(m.a, s), (m.b, s)})
                count[m.a] -= 1
                count[m.b] -= 1
        if not m.locked_slot:
            visit(i + 1, weight)

    visit(0, 0)
    return best


@SETTINGS
@given(instance=instances())
def test_schedule_solver_and_greedy_always_valid(instance):
    for result in (schedule(instance=instance, time_limit=5), greedy_schedule(instance=instance)):
        assert check_schedule(instance=instance, assignments=result.assignments) == []
        scheduled = {a.meeting for a in result.assignments}
        assert scheduled | set(result.unscheduled) == {m.id for m in instance.meetings}
        assert not scheduled & set(result.unscheduled)
        assert result.weight == sum(m.priority for m in instance.meetings if m.id in scheduled)
        assert result.idle_gaps == count_idle_gaps(instance=instance, assignments=result.assignments)


@SETTINGS
@given(instance=instances())
def test_schedule_locked_meetings_never_move(instance):
    result = schedule(instance=instance, time_limit=5)
    where = {a.meeting: (a.slot, a.table) for a in result.assignments}
    for m in instance.meetings:
        if m.locked_slot is not None:
            assert where[m.id][0] == m.locked_slot
            if m.locked_table is not None:
                assert where[m.id][1] == m.locked_table


@SETTINGS
@given(instance=instances())
def test_schedule_weight_within_bound_and_not_below_greedy(instance):
    result = schedule(instance=instance, time_limit=5)
    baseline = greedy_schedule(instance=instance)
    assert result.weight <= result.upper_bound
    assert baseline.weight <= baseline.upper_bound
    assert result.weight >= baseline.weight


@SETTINGS
@given(instance=instances(max_slots=3, max_people=5, max_meetings=7))
def test_schedule_tiny_instances_reach_brute_force_optimum(instance):
    optimum = brute_force_optimum(instance)
    assert schedule(instance=instance, time_limit=5).weight == optimum


@SETTINGS
@given(instance=instances(max_slots=3, max_people=5, max_meetings=7))
def test_upper_bound_never_below_brute_force_optimum(instance):
    assert instance_upper_bound(instance=instance).value >= brute_force_optimum(instance)


@SETTINGS
@given(instance=instances(locks=False))
def test_schedule_unscheduled_reasons_name_a_cause(instance):
    result = schedule(instance=instance, time_limit=5)
    meetings = {m.id: m for m in instance.meetings}
    for mid, reason in result.unscheduled.items():
        m = meetings[mid]
        if "tables full" in reason or "higher-priority" in reason:
            continue
        assert m.a in reason or m.b in reason
