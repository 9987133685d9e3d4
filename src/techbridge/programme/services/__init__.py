"""The one write path of the programme app: spreadsheet imports and staff edits (see each module)."""

from techbridge.programme.services.activity_import import ACTIVITY_COLUMNS, ACTIVITY_REQUIRED, import_activities
from techbridge.programme.services.importing import ImportResult
from techbridge.programme.services.participant_import import (
    PARTICIPANT_COLUMNS,
    PARTICIPANT_REQUIRED,
    import_participants,
)
from techbridge.programme.services.records import add_expert, save_institution, update_activity

IMPORTERS = {"activities": import_activities, "participants": import_participants}
COLUMNS = {"activities": ACTIVITY_COLUMNS, "participants": PARTICIPANT_COLUMNS}

__all__ = [
    "ACTIVITY_COLUMNS",
    "ACTIVITY_REQUIRED",
    "COLUMNS",
    "IMPORTERS",
    "PARTICIPANT_COLUMNS",
    "PARTICIPANT_REQUIRED",
    "ImportResult",
    "add_expert",
    "import_activities",
    "import_participants",
    "save_institution",
    "update_activity",
]
