"""`techbridge import-participants FILE [--dry-run]`: replace participant lists from a spreadsheet."""

from techbridge.programme.management.importing import ImportCommand


class Command(ImportCommand):
    help = ("Import individual participants from FILE (.csv or .xlsx); the rows of each activity named are its "
            "complete list. Any bad row: nothing is written and every problem is listed.")
    kind = "participants"
