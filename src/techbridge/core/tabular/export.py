"""CSV and XLSX exports that cannot smuggle formulas into a spreadsheet.

Why: exported cells come from people (titles, names, organisations). A value
such as ``=HYPERLINK("http://evil", "click")`` or ``@SUM(...)`` would run as a
formula when a colleague opens the export in Excel or LibreOffice (CSV/formula
injection). Every text cell starting with ``= + - @``, a tab or a carriage
return is therefore prefixed with an apostrophe, unless it is a plain number
such as ``-5``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

__all__ = ["ESCAPE_PREFIXES", "is_plain_number", "safe_cell", "write_csv", "write_xlsx"]

ESCAPE_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# Characters XML 1.0 (and so XLSX) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_plain_number(text: str) -> bool:
    """True for "-5", "+3.2", "1e-3": text a spreadsheet reads as a number, not a formula."""
    return bool(_NUMBER.fullmatch(text.strip()))


def safe_cell(value: Any) -> Any:
    """Return ``value`` ready for a spreadsheet cell, neutralising formula injection.

    Text starting (also after leading spaces) with = + - @ tab or CR gets a
    leading apostrophe unless it is a plain number; other types (numbers,
    dates, None) are returned unchanged. Lazy translation strings become text.
    """
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date | dt.time):
        return value
    text = str(value)
    stripped = text.lstrip(" ")
    if (text.startswith(ESCAPE_PREFIXES) or stripped.startswith(ESCAPE_PREFIXES)) and not is_plain_number(
        text
    ):
        return "'" + text
    return text


def _columns(columns: Sequence[Any]) -> list[tuple[Any, str]]:
    """Accept column names, or (key, header label) pairs."""
    pairs: list[tuple[Any, str]] = []
    for column in columns:
        if isinstance(column, tuple | list):
            pairs.append((column[0], str(column[1])))
        else:
            pairs.append((column, str(column)))
    return pairs


def _values(row: Any, keys: list[Any]) -> list[Any]:
    if isinstance(row, Mapping):
        return [row.get(key) for key in keys]
    values = list(row)
    return values + [None] * (len(keys) - len(values))


def _csv_text(value: Any) -> str:
    value = safe_cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def write_csv(*, rows: Iterable[Any], columns: Sequence[Any]) -> bytes:
    """UTF-8 CSV (with BOM, so Excel shows accents right) of ``rows``.

    ``rows`` are mappings keyed by column, or sequences in column order;
    ``columns`` are names or (key, header) pairs. Dates are ISO 8601.
    """
    pairs = _columns(columns)
    keys = [key for key, _label in pairs]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_text(label) for _key, label in pairs])
    for row in rows:
        writer.writerow([_csv_text(value) for value in _values(row, keys)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_value(value: Any) -> Any:
    value = safe_cell(value)
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # Excel has no time zones: store UTC wall time.
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip().strip("'")
    return (cleaned or "Sheet")[:31]


def write_xlsx(*, rows: Iterable[Any], columns: Sequence[Any], sheet_title: str) -> bytes:
    """An .xlsx workbook with one sheet: bold frozen header, then ``rows``.

    Same row/column conventions as :func:`write_csv`; numbers and dates stay
    typed cells, text is escaped against formula injection.
    """
    pairs = _columns(columns)
    keys = [key for key, _label in pairs]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    sheet.freeze_panes = "A2"
    for index, (_key, label) in enumerate(pairs, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(label) + 2, 12), 50)
    bold = Font(bold=True)
    header = []
    for _key, label in pairs:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_value(value) for value in _values(row, keys)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
