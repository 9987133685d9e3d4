"""`techbridge reindex`: re-embed every published profile whose text changed and make all processes reload."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from techbridge.core.jobs import cli_progress


class Command(BaseCommand):
    help = "Rebuild the matching index (embeddings of changed profiles; every process reloads its engines)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (for cron logs)")

    def handle(self, *args, **options):
        from techbridge.matching.services import index

        progress = None if options["no_progress"] else cli_progress(description="reindex")
        result = index.rebuild(progress=progress)
        mode = "lexical + semantic" if result["semantic"] else f"lexical + structured only ({result['reason']})"
        self.stdout.write(f"{result['profiles']} published profiles indexed, {result['embedded']} embedded; {mode}")
