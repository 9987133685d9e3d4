"""`techbridge bench scheduler`: run the solver and the greedy baseline on one instance, or generate one.

    techbridge bench scheduler --instance F --output SCHEDULE.json [--json] [--time-limit S]
    techbridge bench scheduler --generate --participants N --meetings M --slots S --tables T --seed K \
        --instance-out F [--kind buyer_seller|all_to_all]

Until the command is wired, run `python -m techbridge.events.scheduling.bench ...`. Both schedules are
verified with the independent checker, so a figure is never printed for an invalid schedule.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from techbridge.events.scheduling.check import check_schedule
from techbridge.events.scheduling.generator import KINDS, generate_instance
from techbridge.events.scheduling.greedy import greedy_schedule
from techbridge.events.scheduling.instance import InstanceError, dump_instance, load_instance
from techbridge.events.scheduling.result import ScheduleResult
from techbridge.events.scheduling.solver import schedule


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="techbridge bench scheduler",
        description="Compare the meeting scheduler with the greedy baseline, or generate an instance.",
    )
    parser.add_argument("--instance", type=Path, help="instance JSON to schedule")
    parser.add_argument("--output", type=Path, help="where to write the solver's schedule (JSON list)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("--time-limit", type=float, default=10.0, help="solver time limit in seconds")
    parser.add_argument("--seed", type=int, default=0, help="random seed (solver or generator)")
    parser.add_argument("--generate", action="store_true", help="generate an instance instead")
    parser.add_argument("--participants", type=int)
    parser.add_argument("--meetings", type=int)
    parser.add_argument("--slots", type=int)
    parser.add_argument("--tables", type=int, help="tables per slot (default: tight automatic choice)")
    parser.add_argument("--kind", choices=KINDS, default="buyer_seller")
    parser.add_argument("--locked-fraction", type=float, default=0.0, help="share of meetings pre-locked")
    parser.add_argument("--instance-out", type=Path, help="where to write the generated instance")
    return parser


def figures(*, result: ScheduleResult, violations: list[str]) -> dict[str, object]:
    """The comparable figures of one schedule (what the text and JSON outputs show)."""
    return {
        "method": result.method,
        "scheduled": len(result.assignments),
        "unscheduled": len(result.unscheduled),
        "weight": result.weight,
        "upper_bound": result.upper_bound,
        "bound_method": result.bound_method,
        "ratio": round(result.ratio, 5),
        "idle_gaps": result.idle_gaps,
        "seconds": round(result.seconds, 3),
        "valid": not violations,
        "violations": violations[:5],
    }


def _run(args: argparse.Namespace) -> int:
    instance = load_instance(args.instance)
    solved = schedule(instance=instance, time_limit=args.time_limit, seed=args.seed)
    baseline = greedy_schedule(instance=instance, upper_bound=solved.upper_bound)
    out = {
        "instance": str(args.instance),
        "participants": len(instance.participants),
        "meetings": len(instance.meetings),
        "slots": len(instance.slots),
        "solver": figures(result=solved, violations=check_schedule(instance=instance, assignments=solved.assignments)),
        "greedy": figures(
            result=baseline, violations=check_schedule(instance=instance, assignments=baseline.assignments)
        ),
    }
    rows = [{"meeting": a.meeting, "slot": a.slot, "table": a.table} for a in solved.assignments]
    args.output.write_text(json.dumps(rows, indent=0) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(out))
    else:
        print(
            f"{out['instance']}: {out['participants']} participants, {out['meetings']} meetings, {out['slots']} slots"
        )
        print(f"{'':8} {'scheduled':>9} {'weight':>7} {'bound':>7} {'ratio':>8} {'gaps':>6} {'seconds':>8}  valid")
        for name in ("solver", "greedy"):
            f = out[name]
            print(
                f"{name:8} {f['scheduled']:>9} {f['weight']:>7} {f['upper_bound']:>7.0f} {f['ratio']:>8.4f}"
                f" {f['idle_gaps']:>6} {f['seconds']:>8.2f}  {f['valid']}"
            )
        print(f"solver method: {solved.method}; bound: {solved.bound_method}; schedule written to {args.output}")
    return 0 if out["solver"]["valid"] and out["greedy"]["valid"] else 1


def _generate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    missing = [n for n in ("participants", "meetings", "slots", "instance_out") if getattr(args, n) is None]
    if missing:
        parser.error("--generate needs " + ", ".join("--" + n.replace("_", "-") for n in missing))
    t0 = time.perf_counter()
    instance = generate_instance(
        participants=args.participants,
        meetings=args.meetings,
        slots=args.slots,
        tables=args.tables,
        seed=args.seed,
        kind=args.kind,
        locked_fraction=args.locked_fraction,
    )
    dump_instance(instance, args.instance_out)
    tables = sorted(set(instance.tables.values()))
    summary = {
        "instance": str(args.instance_out),
        "participants": len(instance.participants),
        "meetings": len(instance.meetings),
        "slots": len(instance.slots),
        "tables": tables[0] if len(tables) == 1 else tables,
        "seconds": round(time.perf_counter() - t0, 3),
    }
    print(json.dumps(summary) if args.json else " ".join(f"{k}={v}" for k, v in summary.items()))
    return 0


def main(argv: list[str]) -> int:
    """CLI entry: returns the process exit code (0 ok, 1 invalid schedule, 2 bad input)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.generate:
            return _generate(args, parser)
        if args.instance is None or args.output is None:
            parser.error("--instance and --output are required (or use --generate)")
        return _run(args)
    except InstanceError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
