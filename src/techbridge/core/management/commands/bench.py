"""`techbridge bench NAME [options]`: run one of the platform's benchmarks (they print figures and baselines)."""

from __future__ import annotations

import importlib
import sys

from django.core.management.base import BaseCommand, CommandError

BENCHMARKS = {
    "matching": ("techbridge.matching.bench_quality", "ranking quality on a qrels benchmark"),
    "matching-scale": (
        "techbridge.matching.bench_scale",
        "index build, throughput and latency at N profiles",
    ),
    "scheduler": ("techbridge.events.scheduling.bench", "meeting scheduler vs greedy, with upper bound"),
    "imports": ("techbridge.programme.bench", "participant import throughput"),
    "report": ("techbridge.reports.bench", "annual report build time in every format"),
    "outbox": ("techbridge.periodical.bench", "mailing outbox (at most once) vs a plain send loop"),
}


class Command(BaseCommand):
    help = "Run a benchmark: " + ", ".join(f"{name} ({text})" for name, (_m, text) in BENCHMARKS.items())

    def run_from_argv(self, argv):
        # argv: [prog, "bench", NAME, ...]; the benchmark parses its own options.
        args = argv[2:]
        if not args or args[0] in {"-h", "--help"}:
            self.stdout.write(self.help)
            sys.exit(0)
        name, rest = args[0], args[1:]
        if name not in BENCHMARKS:
            raise CommandError(f"unknown benchmark {name!r}; choose from {', '.join(BENCHMARKS)}")
        module = importlib.import_module(BENCHMARKS[name][0])
        sys.exit(module.main(rest) or 0)

    def handle(self, *args, **options):  # pragma: no cover - run_from_argv handles the CLI
        raise CommandError("use: techbridge bench NAME [options]")
