"""The large-instance pipeline (heuristic + gap descent) on its own, and the benchmark CLI."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techbridge.events.scheduling.bench import main
from techbridge.events.scheduling.bounds import upper_bound
from techbridge.events.scheduling.check import check_schedule, count_idle_gaps
from techbridge.events.scheduling.gaps import reduce_gaps
from techbridge.events.scheduling.generator import generate_instance
from techbridge.events.scheduling.greedy import greedy_schedule, greedy_state
from techbridge.events.scheduling.heuristic import solve_heuristic
from techbridge.events.scheduling.instance import Instance, Meeting, Participant, Slot
from techbridge.events.scheduling.model import Model
from techbridge.events.scheduling.result import build_result
from techbridge.events.scheduling.solver import schedule


def _heuristic(instance: Instance, seed: int = 0):
    model = Model(instance=instance)
    bound = upper_bound(model=model)
    state = solve_heuristic(model=model, selection=bound.selection, deadline=time.perf_counter() + 5, seed=seed)
    before = state.weight
    reduce_gaps(state=state, deadline=time.perf_counter() + 5, seed=seed)
    assert state.weight == before
    return build_result(instance=instance, model=model, state=state, upper_bound=bound.value, seconds=0, method="h")


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    kind=st.sampled_from(["buyer_seller", "all_to_all"]),
    slots=st.integers(2, 8),
    tables=st.one_of(st.none(), st.integers(1, 6)),
)
def test_heuristic_generated_instances_valid_with_locks(seed, kind, slots, tables):
    instance = generate_instance(
        participants=24, meetings=90, slots=slots, tables=tables, seed=seed, kind=kind, locked_fraction=0.25
    )
    result = _heuristic(instance, seed)
    assert check_schedule(instance=instance, assignments=result.assignments) == []
    assert result.weight <= result.upper_bound
    assert result.idle_gaps == count_idle_gaps(instance=instance, assignments=result.assignments)


def test_heuristic_colours_regular_bipartite_graph_completely():
    # K_{5,5} with 5 rounds: every round must be a perfect matching; earliest-fit greedy gets stuck,
    # Kempe chains (Konig's theorem) always finish it.
    start = datetime(2026, 5, 4, 9)
    slots = [
        Slot(id=f"r{i}", start=start + timedelta(hours=i), end=start + timedelta(hours=i, minutes=30)) for i in range(5)
    ]
    people = [Participant(id=f"{side}{i}") for side in "xy" for i in range(5)]
    pairs = "20404441431042233114213200120111223424300313023304"  # an order earliest-fit gets wrong
    order = [(int(pairs[k]), int(pairs[k + 1])) for k in range(0, 50, 2)]
    meetings = [Meeting(id=f"m{i}{j}", a=f"x{i}", b=f"y{j}") for i, j in order]
    instance = Instance(slots=slots, tables={s.id: 5 for s in slots}, participants=people, meetings=meetings)
    assert _heuristic(instance).weight == 25
    assert greedy_schedule(instance=instance).weight < 25


def test_schedule_medium_instance_beats_greedy_on_weight_and_gaps():
    instance = generate_instance(participants=150, meetings=1200, slots=10, seed=11)
    result = schedule(instance=instance, time_limit=4)
    baseline = greedy_schedule(instance=instance, upper_bound=result.upper_bound)
    assert check_schedule(instance=instance, assignments=result.assignments) == []
    assert result.method == "heuristic"
    assert result.weight >= baseline.weight
    assert result.ratio >= 0.99
    assert result.idle_gaps < baseline.idle_gaps


def test_greedy_state_matches_greedy_schedule_weight():
    instance = generate_instance(participants=40, meetings=150, slots=6, seed=2, kind="all_to_all")
    assert greedy_state(model=Model(instance=instance)).weight == greedy_schedule(instance=instance).weight


def test_bench_cli_generate_then_run_json(tmp_path, capsys):
    inst_path, out_path = tmp_path / "inst.json", tmp_path / "schedule.json"
    code = main(
        [
            "--generate",
            "--participants",
            "40",
            "--meetings",
            "160",
            "--slots",
            "6",
            "--tables",
            "12",
            "--seed",
            "4",
            "--instance-out",
            str(inst_path),
            "--kind",
            "all_to_all",
        ]
    )
    assert code == 0 and inst_path.exists()
    capsys.readouterr()
    assert main(["--instance", str(inst_path), "--output", str(out_path), "--json", "--time-limit", "3"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = json.loads(out_path.read_text())
    assert report["solver"]["valid"] and report["greedy"]["valid"]
    assert report["solver"]["scheduled"] == len(rows)
    assert set(rows[0]) == {"meeting", "slot", "table"}
    assert report["solver"]["weight"] >= report["greedy"]["weight"]
    assert report["greedy"]["upper_bound"] == report["solver"]["upper_bound"]


def test_bench_cli_text_output_lists_both_methods(tmp_path, capsys):
    inst_path = tmp_path / "inst.json"
    main(
        ["--generate", "--participants", "20", "--meetings", "50", "--slots", "4", "--seed", "1"]
        + ["--instance-out", str(inst_path)]
    )
    capsys.readouterr()
    main(["--instance", str(inst_path), "--output", str(tmp_path / "s.json"), "--time-limit", "2"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].startswith("solver") and lines[3].startswith("greedy")


def test_bench_cli_bad_instance_exits_2_with_message(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"slots": 3}', encoding="utf-8")
    assert main(["--instance", str(bad), "--output", str(tmp_path / "o.json")]) == 2
    assert "expected list" in capsys.readouterr().err
