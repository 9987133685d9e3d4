"""`techbridge report annual --year YYYY --format json|html|docx|pdf [--output FILE]`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from techbridge.core.jobs import cli_progress
from techbridge.reports.export import FORMATS, build_report
from techbridge.reports.figures import FIRST_YEAR, LAST_YEAR


class Command(BaseCommand):
    help = "Build a report from the platform's data (subcommand: annual)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
        annual = commands.add_parser("annual", help="the annual report of one calendar year")
        annual.add_argument("--year", type=int, required=True)
        annual.add_argument("--format", dest="fmt", choices=FORMATS, default="json")
        annual.add_argument("--output", type=Path, help="file to write (json and html print to stdout without it)")

    def handle(self, *args, report: str, year: int, fmt: str, output: Path | None, **options):
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CommandError(f"--year must be between {FIRST_YEAR} and {LAST_YEAR}")
        progress = None if fmt == "json" else cli_progress(description=f"report {year} {fmt}")
        built = build_report(year=year, fmt=fmt, progress=progress)
        if output is None and fmt in {"json", "html"}:
            self.stdout.write(built.data.decode("utf-8"), ending="")
            return
        target = output or Path(built.file_name)
        target.write_bytes(built.data)
        self.stderr.write(f"wrote {target} ({len(built.data):,} bytes)")
