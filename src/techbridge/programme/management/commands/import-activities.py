"""`techbridge import-activities FILE [--dry-run]`: create or update activities from a spreadsheet."""

from techbridge.programme.management.importing import ImportCommand


class Command(ImportCommand):
    help = ("Import capacity-building activities from FILE (.csv or .xlsx), idempotent by code; "
            "any bad row: nothing is written and every problem is listed.")
    kind = "activities"
