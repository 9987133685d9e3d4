"""Synthetic but realistic brokerage-event instances for tests and the scheduler benchmark.

Real events are skewed: a few participants (a big buyer, a famous lab) are requested by many, most get a
handful of requests; some people only attend one day or block a few rounds; mutual requests exist and get
priority 3. The generator reproduces those traits so the benchmark measures the hard part of scheduling
(saturated popular participants competing for slots and tables) rather than an easy uniform graph.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np

from techbridge.events.scheduling.instance import Instance, Meeting, Participant, Slot

KINDS = ("buyer_seller", "all_to_all")


def make_slots(*, n_slots: int, minutes: int = 25, pause: int = 5) -> list[Slot]:
    """Two sessions (day 1 and day 2 mornings) of consecutive rounds; day 1 takes the odd one out."""
    first = math.ceil(n_slots / 2)
    slots = []
    for i in range(n_slots):
        day, k = (0, i) if i < first else (1, i - first)
        start = datetime(2026, 3, 10, 9, 0) + timedelta(days=day, minutes=k * (minutes + pause))
        slots.append(
            Slot(
                id=f"s{i + 1:02d}",
                start=start,
                end=start + timedelta(minutes=minutes),
                session=f"day{day + 1}",
            )
        )
    return slots


def _blocked(rng: np.random.Generator, slots: list[Slot]) -> frozenset[str]:
    """About a quarter of people block something: a whole day (40%) or one to three rounds (60%)."""
    if rng.random() >= 0.25:
        return frozenset()
    if rng.random() < 0.4:
        day = rng.choice(["day1", "day2"])
        return frozenset(s.id for s in slots if s.session == day)
    k = int(rng.integers(1, 4))
    return frozenset(str(x) for x in rng.choice([s.id for s in slots], size=min(k, len(slots) - 1), replace=False))


def _pairs(
    rng: np.random.Generator, *, n: int, m: int, sides: np.ndarray | None, accept_cap: int
) -> dict[tuple[int, int], int]:
    """Draw m distinct accepted pairs: requester by mild activity skew, target by Zipf-like popularity.

    A target who already accepted `accept_cap` requests declines further ones (people stop accepting when
    their agenda is hopelessly full), so the top of the distribution is long but not absurd.
    """
    pop = (1.0 / np.arange(1, n + 1) ** 0.75)[rng.permutation(n)]
    act = (1.0 / np.arange(1, n + 1) ** 0.3)[rng.permutation(n)]
    groups = [np.arange(n)] if sides is None else [np.flatnonzero(sides == 0), np.flatnonzero(sides == 1)]
    cums = [np.cumsum(pop[g]) for g in groups]
    max_pairs = n * (n - 1) // 2 if sides is None else len(groups[0]) * len(groups[1])
    m = min(m, max_pairs, n * accept_cap // 2)
    degree = [0] * n
    requested: set[tuple[int, int]] = set()
    pairs: dict[tuple[int, int], int] = {}
    stall = 0
    while len(pairs) < m and stall < 8:
        before = len(pairs)
        batch = max(1024, 3 * (m - len(pairs)))
        req_arr = rng.choice(n, size=batch, p=act / act.sum())
        u = rng.random(batch)
        prios = rng.random(batch).tolist()
        per_group = [
            g[np.minimum(np.searchsorted(c, u * c[-1]), len(c) - 1)] for g, c in zip(groups, cums, strict=True)
        ]
        # a buyer (side 0) asks a seller (group 1) and vice versa
        targets = per_group[0] if sides is None else np.where(sides[req_arr] == 0, per_group[1], per_group[0])
        for r, t, pr in zip(req_arr.tolist(), targets.tolist(), prios, strict=True):
            if len(pairs) >= m:
                break
            if t == r or degree[r] >= accept_cap or degree[t] >= accept_cap:
                continue
            key = (min(r, t), max(r, t))
            if key in pairs:
                if (t, r) in requested:
                    pairs[key] = 3  # the other side had asked too: mutual interest
                continue
            requested.add((r, t))
            pairs[key] = 3 if pr < 0.12 else (2 if pr < 0.45 else 1)
            degree[r] += 1
            degree[t] += 1
        stall = stall + 1 if len(pairs) == before else 0
    return pairs


def auto_tables(*, participants: list[Participant], meetings: list[Meeting], n_slots: int) -> int:
    """Tables per slot so that capacity binds a little: ~92% of what participants could attend at most."""
    degree: dict[str, int] = {}
    for mt in meetings:
        degree[mt.a] = degree.get(mt.a, 0) + 1
        degree[mt.b] = degree.get(mt.b, 0) + 1
    demand = 0
    for p in participants:
        cap = n_slots - len(p.unavailable)
        if p.max_meetings is not None:
            cap = min(cap, p.max_meetings)
        demand += min(cap, degree.get(p.id, 0))
    return max(1, math.ceil(0.92 * demand / 2 / max(1, n_slots)))


def generate_instance(
    *,
    participants: int,
    meetings: int,
    slots: int,
    tables: int | None = None,
    seed: int = 0,
    kind: str = "buyer_seller",
    locked_fraction: float = 0.0,
) -> Instance:
    """A reproducible instance; `tables=None` picks a tight-but-sane count, `locked_fraction` pre-publishes
    that share of a greedy schedule (as an organiser re-running "Schedule all" after publishing would)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    if participants < 2 or slots < 1 or meetings < 0:
        raise ValueError("need at least 2 participants, 1 slot and a non-negative number of meetings")
    rng = np.random.default_rng(seed)
    slot_list = make_slots(n_slots=slots)
    sides = None
    prefix = ["p"]
    if kind == "buyer_seller":
        sides = (rng.random(participants) < 0.6).astype(np.int64)  # 1 = seller (offers technology)
        sides[0], sides[1] = 0, 1
        prefix = ["b", "s"]
    people = []
    for i in range(participants):
        cap = None
        if rng.random() < 0.1:
            cap = int(rng.integers(max(1, slots // 4), max(2, (2 * slots) // 3) + 1))
        name = prefix[0 if sides is None else int(sides[i])]
        people.append(Participant(id=f"{name}{i:05d}", unavailable=_blocked(rng, slot_list), max_meetings=cap))
    accept_cap = max(2, 2 * slots)
    pairs = _pairs(rng, n=participants, m=meetings, sides=sides, accept_cap=accept_cap)
    meeting_list = [
        Meeting(id=f"m{k:06d}", a=people[i].id, b=people[j].id, priority=prio)
        for k, ((i, j), prio) in enumerate(sorted(pairs.items(), key=lambda kv: rng.random()))
    ]
    n_tables = tables if tables is not None else auto_tables(participants=people, meetings=meeting_list, n_slots=slots)
    instance = Instance(
        slots=slot_list,
        tables={s.id: n_tables for s in slot_list},
        participants=people,
        meetings=meeting_list,
    )
    if locked_fraction > 0:
        instance = _lock_some(instance=instance, fraction=locked_fraction, rng=rng)
    return instance


def _lock_some(*, instance: Instance, fraction: float, rng: np.random.Generator) -> Instance:
    """Lock a random share of a greedy schedule, some with their table, so locks are mutually consistent."""
    from techbridge.events.scheduling.greedy import greedy_schedule

    result = greedy_schedule(instance=instance, upper_bound=float("inf"))
    chosen = {a.meeting: a for a in result.assignments if rng.random() < fraction}
    meetings = []
    for mt in instance.meetings:
        asg = chosen.get(mt.id)
        if asg is None:
            meetings.append(mt)
        else:
            table = asg.table if rng.random() < 0.5 else None
            meetings.append(
                Meeting(id=mt.id, a=mt.a, b=mt.b, priority=mt.priority, locked_slot=asg.slot, locked_table=table)
            )
    return Instance(slots=instance.slots, tables=instance.tables, participants=instance.participants, meetings=meetings)
