"""Bad sheets: every problem is reported with its row and column, and nothing at all is written."""

import pytest
from openpyxl import Workbook

from techbridge.programme.models import Activity, Institution, Participant
from techbridge.programme.services import import_activities, import_participants
from tests import factories
from tests.programme.sheets import GOOD_ROWS, HEADER, participants_csv, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

GOOD = GOOD_ROWS[0]


def _bad(column: str, value: str) -> list[str]:
    row = list(GOOD_ROWS[1])
    row[HEADER.index(column)] = value
    return row


#: (case, bad second data row, expected row, expected column, fragment of the message)
BAD_ROWS = [
    ("unknown_country", _bad("country", "Atlantis"), 3, "country", "unknown country 'Atlantis'"),
    ("ambiguous_country", _bad("country", "Korea"), 3, "country", "ambiguous country"),
    ("misspelt_country", _bad("country", "Thailnd"), 3, "country", "did you mean 'Thailand'"),
    ("bad_date", _bad("start_date", "18/06/2019"), 3, "start_date", "not a date written YYYY-MM-DD"),
    ("impossible_date", _bad("end_date", "2019-02-30"), 3, "end_date", "not a date"),
    ("end_before_start", _bad("end_date", "2019-06-01"), 3, "end_date", "before the start date"),
    ("year_out_of_range", _bad("start_date", "1899-06-18"), 3, "start_date", "outside 1970"),
    ("unknown_type", _bad("type", "seminar"), 3, "type", "'seminar' is not one of"),
    ("unknown_role", _bad("centre_role", "hosted"), 3, "centre_role", "is not one of"),
    ("unknown_area", _bad("programme_area", "space"), 3, "programme_area", "is not one of"),
    ("negative_count", _bad("participants", "-5"), 3, "participants", "less than 0"),
    ("fractional_count", _bad("participants", "12.5"), 3, "participants", "not a whole number"),
    ("thousands_separator", _bad("participants", "1,200"), 3, "participants", "not a whole number"),
    ("duplicate_code", _bad("code", "ws-2019-01"), 3, "code", "duplicate code"),
    ("invalid_code", _bad("code", "WS 2019/02!"), 3, "code", "not a valid code"),
    ("missing_code", _bad("code", ""), 3, "code", "a value is required"),
    ("missing_title", _bad("title", ""), 3, "title", "a value is required"),
    ("title_too_long", _bad("title", "x" * 301), 3, "title", "at most 300 characters"),
    ("missing_start", _bad("start_date", ""), 3, "start_date", "a value is required"),
    ("formula_cell", _bad("title", "=HYPERLINK(\"http://evil.test\",\"x\")"), 3, "title", "formula"),
    ("at_formula", _bad("city", "@SUM(A1:A2)"), 3, "city", "formula"),
    ("unknown_participant_country", _bad("participant_countries", "Viet Nam; Narnia"), 3,
     "participant_countries", "unknown country 'Narnia'"),
    ("sdg_out_of_range", _bad("sdgs", "9; 18"), 3, "sdgs", "more than 17"),
    ("sdg_not_number", _bad("sdgs", "nine"), 3, "sdgs", "not a whole number"),
    ("value_without_header", [*GOOD_ROWS[1], "stray"], 3, None, "has no header"),
]


def _assert_reported(result, row, column, fragment):
    assert not result.ok
    matches = [i for i in result.report.issues if i.row == row and i.column == column and fragment in i.message]
    assert matches, result.report.as_text()


def _assert_nothing_written():
    assert not Activity.objects.exists()
    assert not Institution.objects.exists()


@pytest.mark.parametrize(("case", "row", "expected_row", "column", "fragment"), BAD_ROWS,
                         ids=[case[0] for case in BAD_ROWS])
def test_import_activities_bad_row_reported_and_nothing_written(tmp_path, staff_actor, case, row, expected_row,
                                                                column, fragment):
    path = write_csv(tmp_path / f"{case}.csv", [GOOD, row])
    result = import_activities(actor=staff_actor, source=path, filename=path.name)
    _assert_reported(result, expected_row, column, fragment)
    _assert_nothing_written()


def test_import_activities_every_bad_row_listed_at_once(tmp_path, staff_actor):
    rows = [GOOD, _bad("country", "Atlantis"), _bad("type", "seminar")]
    rows[2][0] = "OTHER-1"
    path = write_csv(tmp_path / "two-bad.csv", rows)
    result = import_activities(actor=staff_actor, source=path, filename=path.name)
    assert [(i.row, i.column) for i in result.report.issues] == [(3, "country"), (4, "type")]
    assert result.report.as_text().splitlines()[0].startswith("row 3, column 'country': ")
    _assert_nothing_written()


def test_import_activities_missing_required_column_reported(tmp_path, staff_actor):
    header = [c for c in HEADER if c != "title"]
    rows = [[v for i, v in enumerate(GOOD) if HEADER[i] != "title"]]
    path = write_csv(tmp_path / "no-title.csv", rows, header=header)
    result = import_activities(actor=staff_actor, source=path, filename=path.name)
    _assert_reported(result, 1, "title", "missing required column")
    _assert_nothing_written()


def test_import_activities_extra_column_reported(tmp_path, staff_actor):
    path = write_csv(tmp_path / "extra.csv", [[*GOOD, "1000"]], header=[*HEADER, "budget"])
    result = import_activities(actor=staff_actor, source=path, filename=path.name)
    _assert_reported(result, 1, "budget", "unknown column")
    _assert_nothing_written()


def test_import_activities_wrong_column_order_reported(tmp_path, staff_actor):
    header = list(HEADER)
    header[1], header[2] = header[2], header[1]
    path = write_csv(tmp_path / "order.csv", [GOOD], header=header)
    result = import_activities(actor=staff_actor, source=path, filename=path.name)
    _assert_reported(result, 1, None, "wrong order")
    _assert_nothing_written()


def test_import_activities_wrong_encoding_reported(tmp_path, staff_actor):
    row = list(GOOD)
    row[1] = "Atelier régional sur le transfert de technologie"
    path = write_csv(tmp_path / "latin1.csv", [row], encoding="latin-1")
    result = import_activities(actor=staff_actor, source=path, filename=path.name)
    _assert_reported(result, 2, None, "not valid UTF-8")
    _assert_nothing_written()


def test_import_activities_empty_file_reported(tmp_path, staff_actor):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = import_activities(actor=staff_actor, source=path, filename=path.name)
    _assert_reported(result, None, None, "the file is empty")


def test_import_activities_header_only_reported(tmp_path, staff_actor):
    path = write_csv(tmp_path / "header.csv", [])
    result = import_activities(actor=staff_actor, source=path, filename=path.name)
    _assert_reported(result, None, None, "no data rows")


def test_import_activities_unsupported_format_reported(tmp_path, staff_actor):
    path = tmp_path / "activities.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    result = import_activities(actor=staff_actor, source=path, filename=path.name)
    _assert_reported(result, None, None, "unsupported file type")


def test_import_activities_xlsx_formula_cell_reported(tmp_path, staff_actor):
    row = list(GOOD)
    row[10] = "=40+2"
    path = write_xlsx(tmp_path / "formula.xlsx", [row])
    result = import_activities(actor=staff_actor, source=path, filename=path.name)
    _assert_reported(result, 2, "participants", "formula")
    _assert_nothing_written()


def test_import_activities_corrupt_xlsx_reported(tmp_path, staff_actor):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a workbook")
    result = import_activities(actor=staff_actor, source=path, filename=path.name)
    _assert_reported(result, None, None, "not a readable .xlsx")


def test_import_activities_bad_row_leaves_existing_activity_untouched(tmp_path, staff_actor):
    path = write_csv(tmp_path / "good.csv", [GOOD])
    import_activities(actor=staff_actor, source=path, filename=path.name)
    edited = list(GOOD)
    edited[1] = "Changed title"
    bad = write_csv(tmp_path / "bad.csv", [edited, _bad("country", "Atlantis")])
    result = import_activities(actor=staff_actor, source=bad, filename=bad.name)
    assert not result.ok
    assert Activity.objects.get().title == GOOD[1]
    assert Activity.objects.count() == 1


PARTICIPANT_BAD = [
    ("unknown_activity", ["NOPE-1", "Ann Lee", "MoST", "Bhutan", "policy_maker", "female", "participant"],
     "activity_code", "no activity has the code"),
    ("missing_name", ["ACT-1", "", "MoST", "Bhutan", "", "", ""], "name", "a value is required"),
    ("unknown_country", ["ACT-1", "Ann Lee", "MoST", "Wakanda", "", "", ""], "country", "unknown country"),
    ("missing_country", ["ACT-1", "Ann Lee", "MoST", "", "", "", ""], "country", "a value is required"),
    ("unknown_stakeholder", ["ACT-1", "Ann Lee", "MoST", "BT", "journalist", "", ""], "stakeholder_type",
     "is not one of"),
    ("unknown_gender", ["ACT-1", "Ann Lee", "MoST", "BT", "", "q", ""], "gender", "is not one of"),
    ("unknown_role", ["ACT-1", "Ann Lee", "MoST", "BT", "", "", "sponsor"], "role", "is not one of"),
    ("duplicate_person", ["ACT-1", "KARMA  dorji", "Ministry of Economic Affairs", "bhutan", "", "", ""], "name",
     "already listed for this activity in row 2"),
    ("formula", ["ACT-1", "+cmd|' /C calc'!A0", "", "BT", "", "", ""], "name", "formula"),
]


@pytest.mark.parametrize(("case", "row", "column", "fragment"), PARTICIPANT_BAD,
                         ids=[case[0] for case in PARTICIPANT_BAD])
def test_import_participants_bad_row_reported_and_nothing_written(tmp_path, staff_actor, case, row, column,
                                                                  fragment):
    factories.ActivityFactory(code="ACT-1")
    good = ["ACT-1", "Karma Dorji", "Ministry of Economic Affairs", "Bhutan", "policy_maker", "male", ""]
    path = participants_csv(tmp_path / f"{case}.csv", [good, row])
    result = import_participants(actor=staff_actor, source=path, filename=path.name)
    _assert_reported(result, 3, column, fragment)
    assert not Participant.objects.exists()


def test_import_participants_xlsx_missing_required_column_reported(tmp_path, staff_actor):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["activity_code", "organisation", "country"])
    sheet.append(["ACT-1", "MoST", "BT"])
    path = tmp_path / "participants.xlsx"
    workbook.save(path)
    result = import_participants(actor=staff_actor, source=path, filename=path.name)
    _assert_reported(result, 1, "name", "missing required column")
