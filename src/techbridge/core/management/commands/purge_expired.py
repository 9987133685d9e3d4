"""`techbridge purge_expired`: apply the retention period now (the daily task does the same)."""

from django.core.management.base import BaseCommand

from techbridge.core.security.retention import purge_expired


class Command(BaseCommand):
    help = "Erase participants' and subscribers' personal data older than TECHBRIDGE_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override the retention period")

    def handle(self, *args, days, **options):
        counts = purge_expired(days=days)
        self.stdout.write(
            f"anonymised {counts['participants']} participants, deleted {counts['subscribers']} subscribers"
        )
