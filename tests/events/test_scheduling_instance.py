"""Instance files: JSON round-trip and clear errors for broken input."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from techbridge.events.scheduling.generator import generate_instance
from techbridge.events.scheduling.instance import (
    Instance,
    InstanceError,
    Meeting,
    Participant,
    Slot,
    dump_instance,
    load_instance,
    validate_instance,
)


def _valid_data() -> dict:
    return {
        "slots": [
            {"id": "r1", "start": "2026-05-04T09:00", "end": "2026-05-04T09:25", "session": "am"},
            {"id": "r2", "start": "2026-05-04T09:30", "end": "2026-05-04T09:55", "session": "am"},
        ],
        "tables": {"r1": 2, "r2": 1},
        "participants": [
            {"id": "alice", "unavailable": ["r2"]},
            {"id": "bob", "unavailable": [], "max_meetings": 1},
            {"id": "carol", "unavailable": []},
        ],
        "meetings": [
            {"id": "m1", "a": "alice", "b": "bob", "priority": 3, "locked_slot": "r1", "locked_table": 2},
            {"id": "m2", "a": "bob", "b": "carol", "priority": 1},
        ],
    }


def _write(tmp_path, data) -> str:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_load_instance_reads_documented_format(tmp_path):
    instance = load_instance(_write(tmp_path, _valid_data()))
    assert [s.id for s in instance.slots] == ["r1", "r2"]
    assert instance.tables == {"r1": 2, "r2": 1}
    assert instance.participants[0].unavailable == frozenset({"r2"})
    assert instance.participants[1].max_meetings == 1
    assert instance.meetings[0] == Meeting(id="m1", a="alice", b="bob", priority=3, locked_slot="r1", locked_table=2)


def test_load_instance_single_int_tables_applies_to_every_slot(tmp_path):
    data = _valid_data()
    data["tables"] = 4
    assert load_instance(_write(tmp_path, data)).tables == {"r1": 4, "r2": 4}


def test_dump_then_load_round_trips_generated_instance(tmp_path):
    instance = generate_instance(participants=30, meetings=80, slots=6, seed=5, locked_fraction=0.3)
    assert any(m.locked_slot for m in instance.meetings)
    path = tmp_path / "gen.json"
    dump_instance(instance, path)
    assert load_instance(path) == instance


def test_dump_then_load_round_trips_uneven_tables(tmp_path):
    instance = load_instance(_write(tmp_path, _valid_data()))
    path = tmp_path / "again.json"
    dump_instance(instance, path)
    assert json.loads(path.read_text())["tables"] == {"r1": 2, "r2": 1}
    assert load_instance(path) == instance


def test_load_instance_missing_file_names_the_path(tmp_path):
    with pytest.raises(InstanceError, match="nope.json: cannot read file"):
        load_instance(tmp_path / "nope.json")


def test_load_instance_invalid_json_gives_line_and_column(tmp_path):
    with pytest.raises(InstanceError, match="not valid JSON at line 2, column"):
        load_instance(_write(tmp_path, '{"slots": [],\n  oops}'))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("slots"), "missing 'slots'"),
        (lambda d: d["slots"][0].update(start="yesterday"), "'yesterday' is not an ISO datetime"),
        (lambda d: d["slots"][1].update(start="2026-05-04T09:10"), "slots 'r1' and 'r2' overlap in time"),
        (
            lambda d: d["slots"][0].update(end="2026-05-04T08:00"),
            "end 2026-05-04T08:00:00 is not after start",
        ),
        (lambda d: d.update(tables={"r1": 2}), "no table count for slot 'r2'"),
        (lambda d: d.update(tables="many"), "expected an integer or an object"),
        (lambda d: d["participants"].append({"id": "bob"}), "participant id 'bob' is used twice"),
        (lambda d: d["participants"][0].update(unavailable=["r9"]), "unavailable slot 'r9' does not exist"),
        (
            lambda d: d["participants"][0].update(max_meetings=-1),
            "max_meetings must be a non-negative integer",
        ),
        (lambda d: d["meetings"][1].update(b="dave"), "meeting 'm2': unknown participant 'dave'"),
        (lambda d: d["meetings"][1].update(b="bob"), "cannot meet themselves"),
        (lambda d: d["meetings"][1].update(priority=5), "priority must be 1, 2 or 3"),
        (lambda d: d["meetings"][1].update(id="m1"), "meeting id 'm1' is used twice"),
        (lambda d: d["meetings"][1].update(locked_table=1), "locked_table needs a locked_slot"),
        (lambda d: d["meetings"][0].update(locked_table=3), r"locked table 3 is not in 1\.\.2"),
        (
            lambda d: d["meetings"][0].update(locked_slot="r2", locked_table=None),
            "'alice' is unavailable in slot",
        ),
        (
            lambda d: d["meetings"][1].update(locked_slot="r1"),
            "locked meetings 'm1' and 'm2' both put 'bob' in slot 'r1'",
        ),
    ],
)
def test_load_instance_bad_content_names_the_problem(tmp_path, mutate, message):
    data = _valid_data()
    mutate(data)
    with pytest.raises(InstanceError, match=message) as info:
        load_instance(_write(tmp_path, data))
    assert all(p.startswith(str(tmp_path)) for p in info.value.problems)


def test_load_instance_reports_every_problem_at_once(tmp_path):
    data = _valid_data()
    data["meetings"][1].update(priority=0, b="zoe")
    with pytest.raises(InstanceError) as info:
        load_instance(_write(tmp_path, data))
    assert len(info.value.problems) == 2


def test_validate_instance_more_locks_than_tables():
    slot = Slot(id="r", start=datetime(2026, 5, 4, 9), end=datetime(2026, 5, 4, 9, 20))
    people = [Participant(id=f"p{i}") for i in range(4)]
    meetings = [
        Meeting(id="x", a="p0", b="p1", locked_slot="r"),
        Meeting(id="y", a="p2", b="p3", locked_slot="r"),
    ]
    problems = validate_instance(
        instance=Instance(slots=[slot], tables={"r": 1}, participants=people, meetings=meetings)
    )
    assert problems == ["slot 'r': 2 locked meetings but only 1 tables"]
