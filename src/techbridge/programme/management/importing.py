"""Shared body of `techbridge import-activities` and `techbridge import-participants`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from techbridge.core.jobs import cli_progress
from techbridge.core.permissions import Actor


class ImportCommand(BaseCommand):
    """Run one programme import from a file; exit 1 with every problem listed when any row is bad."""

    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv (UTF-8) or .xlsx file; see docs/programme.md for the columns")
        parser.add_argument("--dry-run", action="store_true", help="check the file and count changes; write nothing")

    def handle(self, *args, file: str, dry_run: bool, **options):
        from techbridge.programme.services import IMPORTERS

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        # The command line is the centre's own operator: it acts with staff rights, without a user.
        actor = Actor(user=None, is_staff=True, focal_countries=frozenset(), organisation_ids=frozenset(),
                      admin_organisation_ids=frozenset())
        progress = cli_progress(description=f"import {self.kind}", stream=self.stderr._out)
        result = IMPORTERS[self.kind](actor=actor, source=path, filename=path.name, dry_run=dry_run,
                                      progress=progress)
        if not result.ok:
            self.stderr.write(result.report.as_text())
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))
