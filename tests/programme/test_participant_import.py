"""Participants import: the sheet is each named activity's list; re-import is a no-op; edits update in place."""

import pytest

from techbridge.programme.models import Participant
from techbridge.programme.services import import_participants
from tests import factories
from tests.programme.sheets import participants_csv, write_xlsx

pytestmark = pytest.mark.django_db

ROWS = [
    ["ACT-1", "Karma Dorji", "Ministry of Economic Affairs", "Bhutan", "policy_maker", "male", "participant"],
    ["ACT-1", "Sonam Choden", "Royal University of Bhutan", "BTN", "academia", "F", ""],
    ["ACT-1", "Ravi Kumar", "CSIR", "India", "R&D institution", "male", "expert"],
    ["ACT-2", "Karma Dorji", "Ministry of Economic Affairs", "Bhutan", "policy maker", "m", "participant"],
]


def _state():
    return sorted(Participant.objects.values_list("id", "activity__code", "name", "organisation", "country_id",
                                                  "stakeholder_type", "gender", "role"))


@pytest.fixture
def activities(db):
    return factories.ActivityFactory(code="ACT-1"), factories.ActivityFactory(code="ACT-2")


def test_import_participants_clean_csv_creates_records(tmp_path, staff_actor, activities):
    path = participants_csv(tmp_path / "p.csv", ROWS)
    result = import_participants(actor=staff_actor, source=path, filename=path.name)
    assert result.ok, result.report.as_text()
    assert result.created == 4
    sonam = Participant.objects.get(name="Sonam Choden")
    assert (sonam.country_id, sonam.stakeholder_type, sonam.gender, sonam.role) == (
        "BT", "academia", "female", "participant")
    ravi = Participant.objects.get(name="Ravi Kumar")
    assert (ravi.stakeholder_type, ravi.role) == ("rd_institution", "resource_person")
    assert activities[1].participants.get().stakeholder_type == "policy_maker"


def test_import_participants_xlsx_clean_import(tmp_path, staff_actor, activities):
    from techbridge.programme.services import PARTICIPANT_COLUMNS

    path = write_xlsx(tmp_path / "p.xlsx", ROWS, header=PARTICIPANT_COLUMNS)
    result = import_participants(actor=staff_actor, source=path, filename=path.name)
    assert result.ok and Participant.objects.count() == 4


def test_import_participants_reimport_changes_nothing(tmp_path, staff_actor, activities):
    path = participants_csv(tmp_path / "p.csv", ROWS)
    import_participants(actor=staff_actor, source=path, filename=path.name)
    before = _state()
    again = import_participants(actor=staff_actor, source=path, filename=path.name)
    assert (again.created, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 4)
    assert _state() == before


def test_import_participants_changed_row_updates_in_place(tmp_path, staff_actor, activities):
    path = participants_csv(tmp_path / "p.csv", ROWS)
    import_participants(actor=staff_actor, source=path, filename=path.name)
    sonam_id = Participant.objects.get(name="Sonam Choden").pk
    rows = [list(r) for r in ROWS]
    rows[1][0:2] = ["ACT-1", "SONAM  CHODEN"]
    rows[1][4] = "sme"
    edited = participants_csv(tmp_path / "edited.csv", rows)
    result = import_participants(actor=staff_actor, source=edited, filename=edited.name)
    assert (result.created, result.updated, result.deleted, result.unchanged) == (0, 1, 0, 3)
    sonam = Participant.objects.get(pk=sonam_id)
    assert sonam.stakeholder_type == "sme" and sonam.name == "SONAM CHODEN"


def test_import_participants_sheet_replaces_list_of_named_activities_only(tmp_path, staff_actor, activities):
    path = participants_csv(tmp_path / "p.csv", ROWS)
    import_participants(actor=staff_actor, source=path, filename=path.name)
    other = factories.ParticipantFactory(name="Kept Elsewhere")
    shorter = participants_csv(tmp_path / "short.csv", ROWS[:2])
    result = import_participants(actor=staff_actor, source=shorter, filename=shorter.name)
    assert (result.created, result.updated, result.deleted, result.unchanged) == (0, 0, 1, 2)
    assert sorted(activities[0].participants.values_list("name", flat=True)) == ["Karma Dorji", "Sonam Choden"]
    # ACT-2 is not in the short sheet, so its list is left alone; so is any other activity's.
    assert activities[1].participants.count() == 1
    assert Participant.objects.filter(pk=other.pk).exists()


def test_import_participants_dry_run_writes_nothing(tmp_path, staff_actor, activities):
    path = participants_csv(tmp_path / "p.csv", ROWS)
    result = import_participants(actor=staff_actor, source=path, filename=path.name, dry_run=True)
    assert result.ok and result.created == 4
    assert not Participant.objects.exists()


def test_import_participants_progress_reaches_total(tmp_path, staff_actor, activities):
    seen = []
    path = participants_csv(tmp_path / "p.csv", ROWS)
    import_participants(actor=staff_actor, source=path, filename=path.name,
                        progress=lambda done, total, message="": seen.append((done, total)))
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
