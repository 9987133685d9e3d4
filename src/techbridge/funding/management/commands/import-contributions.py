"""`techbridge import-contributions FILE [--dry-run]`: load member-State contributions from CSV or XLSX.

Columns: member_state, year, kind, amount_usd, note (then optional date, reference). All rows are written or none;
every problem is printed with its row and column.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from techbridge.core.jobs import cli_progress
from techbridge.core.permissions import Actor
from techbridge.funding.services import import_contributions

COMMAND_LINE = Actor(user=None, is_staff=True, focal_countries=frozenset(), organisation_ids=frozenset(),
                     admin_organisation_ids=frozenset())


class Command(BaseCommand):
    help = "Import member-State contributions (member_state,year,kind,amount_usd,note) from a .csv or .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, write nothing")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        result = import_contributions(actor=COMMAND_LINE, path_or_file=file, filename=file.name, dry_run=dry_run,
                                      progress=cli_progress(description="contributions", stream=self.stderr))
        if not result.report.ok:
            for issue in result.report.issues:
                self.stderr.write(str(issue))
            raise CommandError(f"{len(result.report)} problem(s); nothing was imported")
        totals = ", ".join(f"{kind} {amount:,.2f}" for kind, amount in sorted(result.total_by_kind.items()))
        if dry_run:
            self.stdout.write(f"{len(result.rows)} rows are valid ({totals} USD); nothing written (dry run)")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {result.created} contributions ({totals} USD)"))
