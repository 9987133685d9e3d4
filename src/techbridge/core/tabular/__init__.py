"""Spreadsheet import/export toolkit shared by every tabular import and export.

Imports: :func:`read_table` checks the file and header and returns text rows;
the caller parses cells with :mod:`.cells` into an :class:`ImportReport` and
writes nothing unless ``report.ok``. Exports: :func:`write_csv` and
:func:`write_xlsx` escape formula injection. Rules for users: docs/imports.md.
"""

from techbridge.core.tabular.cells import (
    CellError,
    parse_bool,
    parse_choice,
    parse_country,
    parse_date,
    parse_decimal,
    parse_email,
    parse_int,
    parse_list,
)
from techbridge.core.tabular.export import is_plain_number, safe_cell, write_csv, write_xlsx
from techbridge.core.tabular.reader import Row, Table, is_formula_text, read_table
from techbridge.core.tabular.report import ImportReport, Issue, TableError

__all__ = [
    "CellError",
    "ImportReport",
    "Issue",
    "Row",
    "Table",
    "TableError",
    "is_formula_text",
    "is_plain_number",
    "parse_bool",
    "parse_choice",
    "parse_country",
    "parse_date",
    "parse_decimal",
    "parse_email",
    "parse_int",
    "parse_list",
    "read_table",
    "safe_cell",
    "write_csv",
    "write_xlsx",
]
