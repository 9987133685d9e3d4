"""`techbridge backup FILE`: database rows and uploaded media in one portable .tar.gz."""

from pathlib import Path

from django.core.management.base import BaseCommand

from techbridge.core.jobs import cli_progress
from techbridge.core.security.backup import create_backup


class Command(BaseCommand):
    help = "Back up every table and the media tree to FILE (.tar.gz); restore with `techbridge restore FILE`."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        summary = create_backup(path=Path(file), progress=cli_progress(description="backup", stream=self.stderr))
        self.stdout.write(
            f"backup written to {file}: {summary.rows} rows in {summary.models} tables, "
            f"{summary.media_files} media files"
        )
