"""`techbridge restore FILE`: load a backup into a migrated database (all or nothing), then its media."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from techbridge.core.jobs import cli_progress
from techbridge.core.security.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a `techbridge backup` archive into this database (run `techbridge migrate` first)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--replace", action="store_true", help="empty a non-empty database first")

    def handle(self, *args, file, replace, **options):
        try:
            summary = restore_backup(path=Path(file), replace=replace,
                                     progress=cli_progress(description="restore", stream=self.stderr))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {summary.rows} rows and {summary.media_files} media files from {file}")
