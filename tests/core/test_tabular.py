"""Tabular import/export toolkit: real CSV and XLSX files, every error kind, export escaping."""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from techbridge.core.reference.vocabularies import PARTNERSHIP_TYPES
from techbridge.core.tabular import (
    CellError,
    ImportReport,
    Issue,
    TableError,
    is_formula_text,
    parse_bool,
    parse_choice,
    parse_country,
    parse_date,
    parse_decimal,
    parse_email,
    parse_int,
    parse_list,
    read_table,
    safe_cell,
    write_csv,
    write_xlsx,
)

COLUMNS = ["name", "country", "start_date", "amount", "notes"]
REQUIRED = {"name", "country"}


def write_csv_file(tmp_path, text, *, encoding="utf-8", name="data.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def write_xlsx_file(tmp_path, rows, *, name="data.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row_number, row in enumerate(rows, start=1):
        for column_number, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=row_number, column=column_number, value=value)
    path = tmp_path / name
    workbook.save(path)
    return path


def read(path, **options):
    options.setdefault("columns", COLUMNS)
    options.setdefault("required", REQUIRED)
    return read_table(path_or_file=path, filename=path.name, **options)


def issues_of(path, **options):
    with pytest.raises(TableError) as caught:
        read(path, **options)
    return caught.value.issues


# --- CSV reading -----------------------------------------------------------------------------------


def test_read_table_csv_returns_rows_with_spreadsheet_numbers(tmp_path):
    path = write_csv_file(
        tmp_path,
        "name,country,start_date,amount,notes\r\nACME,Viet Nam,2025-03-01,10.5,first\r\n,,,,\r\n"
        'Bolt Ltd, Thailand ,,,"multi\nline"\r\n',
    )
    table = read(path)
    assert [row.number for row in table.rows] == [2, 4]
    assert table.rows[0].values == {
        "name": "ACME", "country": "Viet Nam", "start_date": "2025-03-01", "amount": "10.5", "notes": "first",
    }  # fmt: skip
    assert table.rows[1].values["country"] == "Thailand"
    assert table.rows[1].values["notes"] == "multi\nline"
    assert table.columns == COLUMNS


def test_read_table_csv_accepts_utf8_bom_and_accents(tmp_path):
    path = write_csv_file(tmp_path, "\ufeffname,country\nCafé Ltd,Türkiye\n")
    table = read(path)
    assert table.rows[0].values["name"] == "Café Ltd"
    assert table.rows[0].values["country"] == "Türkiye"


def test_read_table_csv_not_utf8_names_byte_offset_and_row(tmp_path):
    text = "name,country\nok,Thailand\nCaf\xe9,France\n"
    path = write_csv_file(tmp_path, text, encoding="latin-1")
    (issue,) = issues_of(path)
    offset = text.encode("latin-1").index(b"\xe9")
    assert issue.row == 3
    assert f"byte offset {offset}" in issue.message
    assert "UTF-8" in issue.message


def test_read_table_csv_utf16_is_refused(tmp_path):
    path = write_csv_file(tmp_path, "name,country\nA,Thailand\n", encoding="utf-16")
    (issue,) = issues_of(path)
    assert "UTF-16" in issue.message


def test_read_table_empty_file_is_an_error(tmp_path):
    (issue,) = issues_of(write_csv_file(tmp_path, ""))
    assert issue.message == "the file is empty"


def test_read_table_header_only_is_an_error(tmp_path):
    (issue,) = issues_of(write_csv_file(tmp_path, "name,country\n\n,\n"))
    assert "no data rows" in issue.message


def test_read_table_blank_first_row_is_an_error(tmp_path):
    (issue,) = issues_of(write_csv_file(tmp_path, ",,\nname,country\nA,Thailand\n"))
    assert issue.row == 1
    assert "header" in issue.message


def test_read_table_header_matches_case_and_space_insensitively(tmp_path):
    path = write_csv_file(tmp_path, " Name ,COUNTRY,Start Date\nA,Nepal,2024-01-02\n")
    table = read(path)
    assert table.rows[0].values["start_date"] == "2024-01-02"
    assert table.rows[0].values["notes"] == ""  # optional column left out
    assert table.columns == ["name", "country", "start_date"]


def test_read_table_missing_required_column(tmp_path):
    issues = issues_of(write_csv_file(tmp_path, "name,notes\nA,x\n"))
    assert [(i.row, i.column, i.message) for i in issues] == [(1, "country", "missing required column")]


def test_read_table_unknown_extra_column(tmp_path):
    issues = issues_of(write_csv_file(tmp_path, "name,country,colour\nA,Nepal,red\n"))
    assert [(i.row, i.column) for i in issues] == [(1, "colour")]
    assert issues[0].message.startswith("unknown column")


def test_read_table_duplicate_column(tmp_path):
    issues = issues_of(write_csv_file(tmp_path, "name,country,Name\nA,Nepal,B\n"))
    assert [(i.column, i.message) for i in issues] == [("name", "duplicate column")]


def test_read_table_wrong_order(tmp_path):
    (issue,) = issues_of(write_csv_file(tmp_path, "country,name\nNepal,A\n"))
    assert "wrong order" in issue.message
    assert "expected name, country" in issue.message


def test_read_table_empty_header_cell_in_the_middle(tmp_path):
    (issue,) = issues_of(write_csv_file(tmp_path, "name,,country\nA,,Nepal\n"))
    assert issue.message == "column 2 has no header"


def test_read_table_value_outside_header(tmp_path):
    (issue,) = issues_of(write_csv_file(tmp_path, "name,country\nA,Nepal,stray\n"))
    assert issue.row == 2
    assert "no header" in issue.message and "stray" in issue.message


@pytest.mark.parametrize(
    "value", ["=1+1", "+A1", "-2+3*cmd|' /C calc'!A0", "@SUM(A1)", "  =HYPERLINK(1)", "\t=1"]
)
def test_read_table_formula_text_cell_is_an_error(tmp_path, value):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [["name", "country", "notes"], ["A", "Nepal", "fine"], ["B", "Nepal", value]]
    )
    issues = issues_of(write_csv_file(tmp_path, buffer.getvalue()))
    assert [(i.row, i.column) for i in issues] == [(3, "notes")]
    assert "formula" in issues[0].message


def test_read_table_reports_every_formula_cell(tmp_path):
    path = write_csv_file(tmp_path, "name,country,notes\n=A,Nepal,@x\nB,Nepal,ok\n+C,Nepal,ok\n")
    issues = issues_of(path)
    assert [(i.row, i.column) for i in issues] == [(2, "name"), (2, "notes"), (4, "name")]


@pytest.mark.parametrize(
    "value", ["-5", "+3.25", "-1e3", "+66 2 123 4567", "+1 (212) 555-0100", "-", "Re: =x"]
)
def test_read_table_numbers_and_phone_numbers_are_not_formulas(tmp_path, value):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["name", "country", "notes"], ["A", "Nepal", value]])
    table = read(write_csv_file(tmp_path, buffer.getvalue()))
    assert table.rows[0].values["notes"] == value


def test_is_formula_text_short_plus_expressions_are_formulas():
    assert is_formula_text("+1-2")
    assert is_formula_text("+1+1")
    assert not is_formula_text("12")


def test_read_table_max_rows_exceeded(tmp_path):
    path = write_csv_file(tmp_path, "name,country\n" + "".join(f"N{i},Nepal\n" for i in range(4)))
    assert len(read(path, max_rows=4).rows) == 4
    (issue,) = issues_of(path, max_rows=3)
    assert issue.row == 5
    assert "at most 3" in issue.message


def test_read_table_semicolon_csv_from_excel(tmp_path):
    table = read(write_csv_file(tmp_path, "name;country;amount\nA;Nepal;1,5\n"))
    assert table.rows[0].values == {
        "name": "A",
        "country": "Nepal",
        "start_date": "",
        "amount": "1,5",
        "notes": "",
    }


def test_read_table_bad_quoting_is_an_error(tmp_path):
    (issue,) = issues_of(write_csv_file(tmp_path, 'name,country\nA,"Nep"al\n'))
    assert issue.row == 2
    assert "cannot be read" in issue.message


def test_read_table_unsupported_extension(tmp_path):
    path = write_csv_file(tmp_path, "name,country\nA,Nepal\n", name="data.xls")
    (issue,) = issues_of(path)
    assert "unsupported file type" in issue.message


def test_read_table_accepts_binary_upload_object():
    upload = io.BytesIO(b"name,country\nA,Nepal\n")
    upload.read()  # the reader must rewind
    table = read_table(path_or_file=upload, filename="x.CSV", columns=COLUMNS, required=REQUIRED)
    assert table.rows[0].values["country"] == "Nepal"


# --- XLSX reading ----------------------------------------------------------------------------------


def test_read_table_xlsx_converts_typed_cells_to_text(tmp_path):
    path = write_xlsx_file(
        tmp_path,
        [
            ["Name", "Country", "Start date", "Amount", "Notes"],
            ["ACME", "Lao PDR", dt.datetime(2025, 3, 1), 1500.0, True],
            [None, None, None, None, None],
            ["Bolt", "KR", dt.date(2024, 12, 31), 2.5, 7],
        ],
    )
    table = read(path)
    assert [row.number for row in table.rows] == [2, 4]
    first, second = (row.values for row in table.rows)
    assert first == {
        "name": "ACME",
        "country": "Lao PDR",
        "start_date": "2025-03-01",
        "amount": "1500",
        "notes": "true",
    }
    assert (second["start_date"], second["amount"], second["notes"]) == ("2024-12-31", "2.5", "7")
    assert parse_date(first["start_date"]) == dt.date(2025, 3, 1)


def test_read_table_xlsx_skips_gaps_and_keeps_row_numbers(tmp_path):
    path = write_xlsx_file(tmp_path, [["name", "country"], ["A", "Nepal"], [], [], ["B", "Bhutan"]])
    assert [(row.number, row.values["name"]) for row in read(path).rows] == [(2, "A"), (5, "B")]


def test_read_table_xlsx_ignores_a_wrong_dimension_tag(tmp_path):
    path = write_xlsx_file(
        tmp_path, [["name", "country", "notes"], ["A", "Nepal", "x"], ["B", "Bhutan", "y"]]
    )
    patched = tmp_path / "patched.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:C3"/>' in data
                data = data.replace(b'<dimension ref="A1:C3"/>', b'<dimension ref="A1:B2"/>')
            target.writestr(item, data)
    table = read(patched)
    assert [(row.number, row.values["notes"]) for row in table.rows] == [(2, "x"), (3, "y")]


def test_read_table_xlsx_real_formula_is_an_error(tmp_path):
    path = write_xlsx_file(
        tmp_path, [["name", "country", "start_date", "amount"], ["A", "Nepal", None, "=1+2"]]
    )
    issues = issues_of(path)
    assert [(i.row, i.column) for i in issues] == [(2, "amount")]
    assert "=1+2" in issues[0].message


def test_read_table_xlsx_formula_looking_text_is_an_error(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["name", "country"])
    sheet.append(["A", "Nepal"])
    cell = sheet.cell(row=2, column=1)
    cell.value = "@SUM(B1)"
    cell.data_type = "s"
    path = tmp_path / "text.xlsx"
    workbook.save(path)
    issues = issues_of(path)
    assert [(i.row, i.column) for i in issues] == [(2, "name")]


def test_read_table_xlsx_header_problems_are_reported(tmp_path):
    path = write_xlsx_file(tmp_path, [["name", "name", "extra"], ["A", "B", "C"]])
    issues = issues_of(path)
    assert {(i.column, i.message.split(";")[0]) for i in issues} == {
        ("name", "duplicate column"), ("extra", "unknown column"), ("country", "missing required column"),
    }  # fmt: skip


def test_read_table_xlsx_header_only_and_empty(tmp_path):
    (issue,) = issues_of(write_xlsx_file(tmp_path, [["name", "country"]]))
    assert "no data rows" in issue.message
    (issue,) = issues_of(write_xlsx_file(tmp_path, [], name="empty.xlsx"))
    assert issue.message == "the file is empty"


def test_read_table_xlsx_that_is_not_a_workbook(tmp_path):
    path = write_csv_file(tmp_path, "name,country\nA,Nepal\n", name="fake.xlsx")
    (issue,) = issues_of(path)
    assert "not a readable .xlsx" in issue.message


def test_read_table_xlsx_from_file_object(tmp_path):
    path = write_xlsx_file(tmp_path, [["name", "country"], ["A", "Fiji Islands"]])
    with path.open("rb") as handle:
        table = read_table(path_or_file=handle, filename="upload.xlsx", columns=COLUMNS, required=REQUIRED)
    assert table.rows[0].values["country"] == "Fiji Islands"


# --- cells -----------------------------------------------------------------------------------------


def test_parse_date_accepts_iso_text_and_date_cells():
    assert parse_date("2025-02-28") == dt.date(2025, 2, 28)
    assert parse_date("2025-02-28 00:00:00") == dt.date(2025, 2, 28)
    assert parse_date(dt.datetime(2025, 2, 28, 13, 5)) == dt.date(2025, 2, 28)
    assert parse_date(dt.date(2025, 2, 28)) == dt.date(2025, 2, 28)
    assert parse_date("", required=False) is None


@pytest.mark.parametrize("value", ["28/02/2025", "2025-02-30", "20250228", "2025-W09-5", "45678", "soon"])
def test_parse_date_rejects_other_formats(value):
    with pytest.raises(CellError, match="YYYY-MM-DD"):
        parse_date(value)


def test_parse_date_required_empty_is_an_error():
    with pytest.raises(CellError, match="required"):
        parse_date("  ")


def test_parse_int_bounds_and_formats():
    assert parse_int("42") == 42
    assert parse_int("-5", min=-10) == -5
    assert parse_int("12.0") == 12
    assert parse_int("", required=False) is None
    with pytest.raises(CellError, match="less than 1"):
        parse_int("0", min=1)
    with pytest.raises(CellError, match="more than 100"):
        parse_int("101", max=100)
    for bad in ("1.5", "ten", "1,000", "1e999999999"):
        with pytest.raises(CellError):
            parse_int(bad)


def test_parse_decimal_strict_format():
    assert parse_decimal("1500.25") == Decimal("1500.25")
    assert parse_decimal("-0.5") == Decimal("-0.5")
    assert parse_decimal("1.50", places=2) == Decimal("1.50")
    for bad in ("1,500", "NaN", "Infinity", "12 000", "$5"):
        with pytest.raises(CellError, match="not a number"):
            parse_decimal(bad)
    with pytest.raises(CellError, match="decimal places"):
        parse_decimal("1.234", places=2)
    with pytest.raises(CellError, match="less than 0"):
        parse_decimal("-1", min=0)


def test_parse_choice_matches_codes_and_labels():
    assert parse_choice("joint_venture", choices=PARTNERSHIP_TYPES) == "joint_venture"
    assert parse_choice("Joint Venture Agreement", choices=PARTNERSHIP_TYPES) == "joint_venture"
    assert parse_choice("LICENSE AGREEMENT", choices=PARTNERSHIP_TYPES) == "license_agreement"
    assert parse_choice("b", choices=["a", "b"]) == "b"
    with pytest.raises(CellError, match="not one of: a, b"):
        parse_choice("c", choices=["a", "b"])


def test_parse_list_splits_strips_and_dedupes():
    assert parse_list(" a; b ;;a ") == ["a", "b"]
    assert parse_list("") == []
    assert parse_list("x|y", sep="|") == ["x", "y"]
    assert parse_list("Viet Nam; Lao PDR; vn", parser=parse_country) == ["VN", "LA"]
    with pytest.raises(CellError, match="Atlantis"):
        parse_list("Nepal; Atlantis", parser=parse_country)
    with pytest.raises(CellError, match="at least one"):
        parse_list(" ; ", required=True)


def test_parse_country_uses_the_resolver():
    assert parse_country("Hong Kong SAR") == "HK"
    assert parse_country("", required=False) is None
    with pytest.raises(CellError, match="ambiguous country 'Korea'"):
        parse_country("Korea")
    with pytest.raises(CellError, match="unknown country 'Atlantis'"):
        parse_country("Atlantis")


def test_parse_bool_forms():
    assert [parse_bool(v) for v in ("Yes", "y", "TRUE", "1", "x", True)] == [True] * 6
    assert [parse_bool(v) for v in ("No", "n", "false", "0", False)] == [False] * 5
    assert parse_bool("", required=False) is None
    with pytest.raises(CellError, match="yes or no"):
        parse_bool("maybe")


def test_parse_email_validates_and_normalises_domain():
    assert parse_email(" Jane.Doe@Example.ORG ") == "Jane.Doe@example.org"
    assert parse_email("mailto:a@b.co") == "a@b.co"
    for bad in ("jane", "jane@", "a@b@c.org", "a b@c.org"):
        with pytest.raises(CellError, match="e-mail"):
            parse_email(bad)


# --- report ----------------------------------------------------------------------------------------


def test_import_report_text_and_csv(tmp_path):
    table = read(write_csv_file(tmp_path, "name,country\nA,Nepal\nB,Atlantis\nC,Korea\n"))
    report = ImportReport()
    countries = [report.parse(row=row, column="country", parser=parse_country) for row in table.rows]
    assert countries == ["NP", None, None]
    assert not report.ok
    lines = report.as_text().splitlines()
    assert lines[0] == "row 3, column 'country': unknown country 'Atlantis'"
    assert lines[1].startswith("row 4, column 'country': ambiguous country 'Korea'")
    rows = list(csv.reader(io.StringIO(report.to_csv_bytes().decode("utf-8-sig"))))
    assert rows[0] == ["row", "column", "message"]
    assert rows[1] == ["3", "country", "unknown country 'Atlantis'"]


def test_import_report_collects_table_errors_and_free_issues(tmp_path):
    report = ImportReport()
    assert report.ok
    try:
        read(write_csv_file(tmp_path, "name\nA\n"))
    except TableError as error:
        report.extend(error.issues)
    report.add(row=None, column=None, message="nothing imported")
    assert report.as_text().splitlines() == [
        "row 1, column 'country': missing required column",
        "nothing imported",
    ]
    assert str(Issue(row=5, column=None, message="m")) == "row 5: m"
    assert str(Issue(row=None, column="c", message="m")) == "column 'c': m"


def test_import_report_csv_escapes_formula_messages():
    report = ImportReport([Issue(row=2, column="name", message="=cmd|' /C calc'!A0")])
    rows = list(csv.reader(io.StringIO(report.to_csv_bytes().decode("utf-8-sig"))))
    assert rows[1][2] == "'=cmd|' /C calc'!A0"


# --- export ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+A1", "'+A1"),
        ("-A1", "'-A1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\rx", "'\rx"),
        ("  =1", "'  =1"),
        ("-5", "-5"),
        ("+3.5", "+3.5"),
        ("plain", "plain"),
        (5, 5),
        (None, None),
        (dt.date(2025, 1, 2), dt.date(2025, 1, 2)),
    ],
)
def test_safe_cell_neutralises_formulas_only(value, expected):
    assert safe_cell(value) == expected


def test_write_csv_escapes_and_round_trips(tmp_path):
    data = write_csv(
        rows=[{"name": "=HYPERLINK(\"http://x\")", "amount": Decimal("-5"), "day": dt.date(2025, 1, 2)},
              ["Café", 3, None]],
        columns=["name", "amount", ("day", "Day")],
    )  # fmt: skip
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["name", "amount", "Day"],
        ['\'=HYPERLINK("http://x")', "-5", "2025-01-02"],
        ["Café", "3", ""],
    ]
    path = write_csv_file(tmp_path, data)
    table = read_table(
        path_or_file=path, filename="x.csv", columns=["name", "amount", "day"], required={"name"}
    )
    assert table.rows[0].values["name"] == '\'=HYPERLINK("http://x")'


def test_write_xlsx_stores_escaped_text_not_formulas(tmp_path):
    data = write_xlsx(
        rows=[["=1+1", -5, dt.date(2025, 1, 2)], {"a": "@x", "b": "ok\x01", "c": None}],
        columns=[("a", "=Header"), "b", "c"],
        sheet_title="Participants: 2025/26 [draft]",
    )
    path = tmp_path / "out.xlsx"
    path.write_bytes(data)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert sheet.title == "Participants  2025 26  draft"[:31]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    types = {cell.data_type for row in sheet.iter_rows() for cell in row}
    assert "f" not in types
    assert values[0] == ["'=Header", "b", "c"]
    assert values[1] == ["'=1+1", -5, dt.datetime(2025, 1, 2)]
    assert values[2] == ["'@x", "ok", None]
    assert sheet["A1"].font.bold
    workbook.close()
