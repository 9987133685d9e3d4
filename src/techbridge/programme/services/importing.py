"""What the two spreadsheet imports share: the result they return and a memoising cell parser.

Why a memo: a 100,000-row participants file repeats the same few countries, stakeholder types and genders;
parsing each distinct text once keeps the import well inside its 30-second budget without weakening a check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from techbridge.core.tabular import CellError, ImportReport, Row, Table, TableError, read_table

#: Issues kept with a web upload for its preview page; the downloadable report always has them all.
MAX_STORED_ISSUES = 500


@dataclass
class ImportResult:
    """Outcome of one import or dry run: the problems found, or what was (or would be) written."""

    kind: str
    dry_run: bool
    report: ImportReport = field(default_factory=ImportReport)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    institutions_created: int = 0
    activity_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.report.ok

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run and bool(self.created or self.updated or self.deleted)

    def summary(self) -> str:
        """One sentence for people: the problems, or the counts of what changed."""
        if not self.ok:
            return _("%(n)d problem(s) found; nothing was imported.") % {"n": len(self.report)}
        values = {"rows": self.rows, "created": self.created, "updated": self.updated,
                  "unchanged": self.unchanged, "deleted": self.deleted, "institutions": self.institutions_created}
        if self.dry_run:
            text = _("%(rows)d rows checked: %(created)d would be created, %(updated)d updated, "
                     "%(unchanged)d unchanged, %(deleted)d removed") % values
        else:
            text = _("%(rows)d rows imported: %(created)d created, %(updated)d updated, "
                     "%(unchanged)d unchanged, %(deleted)d removed") % values
        if self.institutions_created:
            text += _("; %(institutions)d new partner institution(s)") % values
        return text + "."

    def as_dict(self) -> dict:
        """JSON-safe form, stored with a web upload for its preview page."""
        return {
            "kind": self.kind, "dry_run": self.dry_run, "ok": self.ok, "rows": self.rows,
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "deleted": self.deleted, "institutions_created": self.institutions_created,
            "summary": self.summary(),
            "issues_total": len(self.report),
            "issues": [{"row": i.row, "column": i.column, "message": i.message}
                       for i in self.report.issues[:MAX_STORED_ISSUES]],
        }


def read_rows(*, source: Any, filename: str, columns: list[str], required: set[str], max_rows: int,
              report: ImportReport) -> Table | None:
    """Read the file's table, or record its structural problems in ``report`` and return None."""
    size = _size_of(source)
    limit = settings.TECHBRIDGE_MAX_IMPORT_BYTES
    if size is not None and size > limit:
        report.add(row=None, column=None,
                   message=_("the file is larger than %(mb)d MB") % {"mb": limit // (1024 * 1024)})
        return None
    try:
        return read_table(path_or_file=source, filename=filename, columns=columns, required=required,
                          max_rows=max_rows)
    except TableError as error:
        report.extend(error.issues)
        return None


def _size_of(source: Any) -> int | None:
    from pathlib import Path

    if isinstance(source, str | Path):
        path = Path(source)
        return path.stat().st_size if path.exists() else None
    return getattr(source, "size", None)


class CellParser:
    """``ImportReport.parse`` with a memo per column for columns whose values repeat (codes, countries)."""

    def __init__(self, report: ImportReport):
        self.report = report
        self._memo: dict[tuple[str, str], tuple[Any, str | None]] = {}

    def __call__(self, *, row: Row, column: str, parser: Callable[..., Any], memo: bool = False,
                 **options: Any) -> Any:
        text = row.values.get(column, "")
        key = (column, text)
        hit = self._memo.get(key) if memo else None
        if hit is None:
            try:
                hit = (parser(text, **options), None)
            except CellError as error:
                hit = (None, str(error))
            if memo:
                self._memo[key] = hit
        value, message = hit
        if message is not None:
            self.report.add(row=row.number, column=column, message=message)
        return value

    def error(self, *, row: Row, column: str, message: str) -> None:
        self.report.add(row=row.number, column=column, message=message)


def check_length(*, cells: CellParser, row: Row, column: str, value: str, limit: int) -> str:
    """Refuse text longer than its database column instead of letting the write fail mid-import."""
    if len(value) > limit:
        cells.error(row=row, column=column,
                    message=_("at most %(limit)d characters (found %(n)d)") % {"limit": limit, "n": len(value)})
    return value


def chunks(items: list, size: int = 500):
    """Slices of ``items``; keeps IN (...) lists under every database's parameter limit."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
