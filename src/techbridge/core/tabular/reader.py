"""Read an uploaded .csv or .xlsx into rows of text, refusing anything doubtful.

Why strict: imports write many records at once, and a misread file (wrong
encoding, shifted columns, formulas instead of values) corrupts data
silently. So the header must match the expected columns, CSV must be UTF-8,
and formula cells are refused — every problem is reported with its row and
column and the caller writes nothing.

See docs/imports.md for the rules as users see them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from django.utils.translation import gettext

from techbridge.core.tabular.export import is_plain_number
from techbridge.core.tabular.report import Issue, TableError

__all__ = ["Row", "Table", "is_formula_text", "read_table"]


@dataclass(frozen=True)
class Row:
    """One data row: its spreadsheet row number (header = 1) and text per expected column."""

    number: int
    values: dict[str, str]


@dataclass
class Table:
    """The data rows of a file whose header matched; ``columns`` are those present in the file."""

    rows: list[Row]
    columns: list[str] = field(default_factory=list)


_FORMULA_START = ("=", "+", "-", "@")
# "+66 2 123 4567", "+1 (212) 555-0100": phone numbers are text, not formulas.
_PHONE = re.compile(r"\+\d[\d .\-()]*")
_DASHES = re.compile(r"-+")


def is_formula_text(text: str) -> bool:
    """True when a cell would be taken as a formula by a spreadsheet.

    Starts (after whitespace) with = + - or @ and is not a plain number
    ("-5"), an international phone number ("+66 2 123 4567", at least six
    digits) or only dashes ("-" for "none").
    """
    stripped = text.strip()
    if not stripped.startswith(_FORMULA_START):
        return False
    if is_plain_number(stripped) or _DASHES.fullmatch(stripped):
        return False
    is_phone = _PHONE.fullmatch(stripped) and sum(ch.isdigit() for ch in stripped) >= 6
    return not is_phone


def _header_key(name: str) -> str:
    return " ".join(str(name).replace("_", " ").split()).casefold()


def read_table(
    *,
    path_or_file: str | Path | BinaryIO,
    filename: str,
    columns: list[str],
    required: set[str],
    max_rows: int | None = None,
) -> Table:
    """Read the first sheet of ``filename`` (.csv or .xlsx) as a table with ``columns``.

    ``path_or_file`` is a path or a binary file object (e.g. a Django
    upload); ``filename`` decides the format. Optional columns (not in
    ``required``) may be left out of the file; their values are "". Raises
    TableError listing every structural problem: unreadable file, header
    mismatch, formula cells, values outside the header, too many rows.
    """
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        raw_rows = _csv_rows(_read_bytes(path_or_file), expected=columns)
    elif suffix == ".xlsx":
        raw_rows = _xlsx_rows(path_or_file)
    else:
        raise TableError(
            [
                Issue(
                    None,
                    None,
                    gettext("unsupported file type '%(name)s': upload .csv or .xlsx") % {"name": filename},
                )
            ]
        )
    return _build_table(raw_rows, columns=columns, required=required, max_rows=max_rows)


# --- reading the formats --------------------------------------------------------------------------

_Cell = tuple[str, bool]  # (text, is a real formula / error cell)


def _read_bytes(path_or_file: Any) -> bytes:
    if isinstance(path_or_file, str | Path):
        return Path(path_or_file).read_bytes()
    if hasattr(path_or_file, "seek"):
        path_or_file.seek(0)
    data = path_or_file.read()
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def _csv_rows(data: bytes, *, expected: list[str]) -> Iterator[tuple[int, list[_Cell]]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError(
            [Issue(None, None, gettext("the file is UTF-16 encoded; save it as 'CSV UTF-8' instead"))]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise TableError(
            [
                Issue(
                    line,
                    None,
                    gettext(
                        "the file is not valid UTF-8 (byte offset %(offset)d); "
                        "save it as 'CSV UTF-8' and upload again"
                    )
                    % {"offset": error.start},
                )
            ]
        ) from None
    delimiter = _sniff_delimiter(text, expected=expected)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            yield number, [(value, False) for value in record]
    except csv.Error as error:
        raise TableError(
            [Issue(number + 1, None, gettext("the CSV cannot be read: %(error)s") % {"error": error})]
        ) from None


def _sniff_delimiter(text: str, *, expected: list[str]) -> str:
    """Comma, unless the header clearly uses ';' or tabs (Excel in some locales)."""
    first_line = text.split("\n", 1)[0]
    known = {_header_key(name) for name in expected}

    def score(delimiter: str) -> int:
        return sum(_header_key(part.strip('"')) in known for part in first_line.split(delimiter))

    best = max((",", ";", "\t"), key=score)
    return best if score(best) > score(",") else ","


def _xlsx_rows(path_or_file: Any) -> Iterator[tuple[int, list[_Cell]]]:
    from openpyxl import load_workbook

    source = str(path_or_file) if isinstance(path_or_file, Path) else path_or_file
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        workbook = load_workbook(source, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise TableError(
            [
                Issue(
                    None,
                    None,
                    gettext("the file is not a readable .xlsx workbook (%(error)s)") % {"error": error},
                )
            ]
        ) from None
    try:
        if not workbook.worksheets:
            raise TableError([Issue(None, None, gettext("the workbook has no worksheet"))])
        sheet = workbook.worksheets[0]
        # Some generators write a wrong <dimension>; trusting it would drop rows and columns.
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield number, [_xlsx_cell(cell) for cell in cells]
    finally:
        workbook.close()


def _xlsx_cell(cell: Any) -> _Cell:
    value = cell.value
    data_type = getattr(cell, "data_type", None)
    if value is None:
        return "", False
    if data_type == "f" or type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        return str(getattr(value, "text", value)), True
    if data_type == "e":
        return str(value), True
    return _xlsx_text(value), False


def _xlsx_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    return str(value)


# --- header and rows ------------------------------------------------------------------------------


def _build_table(
    raw_rows: Iterator[tuple[int, list[_Cell]]],
    *,
    columns: list[str],
    required: set[str],
    max_rows: int | None,
) -> Table:
    first = next(raw_rows, None)
    if first is None:
        raise TableError([Issue(None, None, gettext("the file is empty"))])
    _number, header_cells = first
    header = [text.strip() for text, _formula in header_cells]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise TableError(
            [
                Issue(
                    1,
                    None,
                    gettext("the first row must be the header: %(columns)s")
                    % {"columns": ", ".join(columns)},
                )
            ]
        )
    present = _check_header(header, columns=columns, required=required)

    rows: list[Row] = []
    issues: list[Issue] = []
    for number, cells in raw_rows:
        if not any(text.strip() for text, _formula in cells):
            continue
        if max_rows is not None and len(rows) >= max_rows:
            raise TableError(
                [
                    Issue(
                        number,
                        None,
                        gettext("too many rows: at most %(max)d data rows may be imported at once")
                        % {"max": max_rows},
                    )
                ]
            )
        values = dict.fromkeys(columns, "")
        for index, (text, is_formula) in enumerate(cells):
            if index >= len(present):
                if text.strip():
                    issues.append(
                        Issue(
                            number,
                            None,
                            gettext("value '%(value)s' in column %(index)d, which has no header")
                            % {"value": text.strip()[:40], "index": index + 1},
                        )
                    )
                continue
            column = present[index]
            if is_formula or is_formula_text(text):
                issues.append(
                    Issue(
                        number,
                        column,
                        gettext("formula cells are not accepted; enter the value itself (found '%(value)s')")
                        % {"value": text.strip()[:40]},
                    )
                )
                continue
            values[column] = text.strip()
        rows.append(Row(number=number, values=values))
    if issues:
        raise TableError(issues)
    if not rows:
        raise TableError([Issue(None, None, gettext("the file has a header but no data rows"))])
    return Table(rows=rows, columns=present)


def _check_header(header: list[str], *, columns: list[str], required: set[str]) -> list[str]:
    """Map the file's header onto ``columns``; raise TableError listing every mismatch."""
    by_key = {_header_key(name): name for name in columns}
    issues: list[Issue] = []
    present: list[str] = []
    seen: set[str] = set()
    for index, name in enumerate(header, start=1):
        if not name:
            issues.append(Issue(1, None, gettext("column %(index)d has no header") % {"index": index}))
            present.append("")
            continue
        column = by_key.get(_header_key(name))
        if column is None:
            issues.append(
                Issue(
                    1,
                    name,
                    gettext("unknown column; expected columns are: %(columns)s")
                    % {"columns": ", ".join(columns)},
                )
            )
        elif column in seen:
            issues.append(Issue(1, column, gettext("duplicate column")))
        else:
            seen.add(column)
        present.append(column or "")
    for column in columns:
        if column in required and column not in seen:
            issues.append(Issue(1, column, gettext("missing required column")))
    if not issues:
        expected_order = [column for column in columns if column in seen]
        if present != expected_order:
            issues.append(
                Issue(
                    1,
                    None,
                    gettext("columns are in the wrong order: expected %(expected)s, found %(found)s")
                    % {"expected": ", ".join(expected_order), "found": ", ".join(present)},
                )
            )
    if issues:
        raise TableError(issues)
    return present
