"""Issues found while importing a table, and the report shown/downloaded afterwards.

Why: imports are all-or-nothing. The person uploading needs *every* problem
listed at once, each pinned to a spreadsheet row and column, so that one
round of corrections is enough.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from techbridge.core.tabular.cells import CellError
from techbridge.core.tabular.export import write_csv

__all__ = ["ImportReport", "Issue", "TableError"]


@dataclass(frozen=True)
class Issue:
    """One problem: spreadsheet row number (header = 1) and column, when known."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return gettext("row %(row)d, column '%(column)s': %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row is not None:
            return gettext("row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        if self.column:
            return gettext("column '%(column)s': %(message)s") % {
                "column": self.column,
                "message": self.message,
            }
        return self.message


class TableError(Exception):
    """The file cannot be read as the expected table; ``issues`` says why."""

    def __init__(self, issues: Iterable[Issue]):
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


class ImportReport:
    """Collects issues while an import validates its rows.

    The caller validates every row, then writes nothing unless ``ok``; the
    report text or CSV goes back to the person who uploaded the file.
    """

    def __init__(self, issues: Iterable[Issue] = ()):
        self.issues: list[Issue] = list(issues)

    @property
    def ok(self) -> bool:
        return not self.issues

    def __len__(self) -> int:
        return len(self.issues)

    def add(self, *, row: int | None, column: str | None, message: str) -> None:
        """Record one problem."""
        self.issues.append(Issue(row=row, column=column, message=str(message)))

    def extend(self, issues: Iterable[Issue]) -> None:
        """Record problems found elsewhere, e.g. ``TableError.issues``."""
        self.issues.extend(issues)

    def parse(self, *, row: Any, column: str, parser: Callable[..., Any], **options: Any) -> Any:
        """Run ``parser`` on ``row.values[column]``; on CellError record it and return None.

        Why: keeps per-row validation code to one line per column while still
        collecting every problem instead of stopping at the first.
        """
        try:
            return parser(row.values.get(column, ""), **options)
        except CellError as error:
            self.add(row=row.number, column=column, message=str(error))
            return None

    def as_text(self) -> str:
        """One line per issue, in the order found."""
        return "\n".join(str(issue) for issue in self.issues)

    def to_csv_bytes(self) -> bytes:
        """The issues as a CSV (row, column, message) for download.

        Messages quote user input, so they go through the same formula-injection
        escaping as every other export.
        """
        return write_csv(
            rows=(
                {"row": "" if i.row is None else i.row, "column": i.column or "", "message": i.message}
                for i in self.issues
            ),
            columns=["row", "column", "message"],
        )
