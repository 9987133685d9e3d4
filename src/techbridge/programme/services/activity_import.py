"""Import activities from a .csv/.xlsx sheet: idempotent by `code`, all or nothing.

Why this shape: staff keep the programme in spreadsheets. Re-importing the same sheet must change nothing, an
edited row must update its activity, and a sheet with any bad row must write nothing, while listing every
problem by row and column so one round of corrections is enough (rules for users: docs/imports.md).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.jobs import Progress, no_progress
from techbridge.core.permissions import Actor, require_staff
from techbridge.core.tabular import ImportReport, Row, parse_choice, parse_country, parse_date, parse_int, parse_list
from techbridge.programme.models import (
    Activity,
    ActivityType,
    CentreRole,
    Institution,
    ProgrammeArea,
    normalise_name,
)
from techbridge.programme.services.importing import CellParser, ImportResult, check_length, chunks, read_rows

ACTIVITY_COLUMNS = ["code", "title", "type", "start_date", "end_date", "city", "country", "centre_role",
                    "programme_area", "partners", "participants", "participant_countries", "sdgs"]
ACTIVITY_REQUIRED = {"code", "title", "type", "start_date", "end_date", "country", "centre_role", "programme_area"}
MAX_ACTIVITY_ROWS = 5000
ONLINE_WORDS = {"online", "virtual", "remote"}
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,39}")
FIRST_YEAR, LAST_YEAR = 1970, 2100

#: Plain fields compared to decide whether a row changes its activity.
PLAIN_FIELDS = ["title", "type", "start_date", "end_date", "city", "country_id", "online", "centre_role",
                "programme_area"]


@dataclass
class ActivityRow:
    number: int
    code: str
    values: dict[str, Any]
    partners: list[str] | None = None  # display names; None = column absent, leave partners alone
    participant_countries: list[str] | None = None
    sdgs: list[int] | None = None
    changes: list[str] = field(default_factory=list)


def import_activities(*, actor: Actor, source: Any, filename: str, dry_run: bool = False,
                      progress: Progress | None = None) -> ImportResult:
    """Create or update the activities of a sheet, or write nothing and report every bad row.

    ``source`` is a path or a binary file object, ``filename`` decides the format. A dry run validates and
    counts what would change without writing (the web preview and ``--dry-run``).
    """
    require_staff(actor)
    progress = progress or no_progress
    result = ImportResult(kind="activities", dry_run=dry_run)
    report = result.report
    table = read_rows(source=source, filename=filename, columns=ACTIVITY_COLUMNS, required=ACTIVITY_REQUIRED,
                      max_rows=MAX_ACTIVITY_ROWS, report=report)
    if table is None:
        return result
    present = set(table.columns)
    result.rows = len(table.rows)
    cells = CellParser(report)
    parsed: list[ActivityRow] = []
    first_row_of: dict[str, int] = {}
    for index, row in enumerate(table.rows, start=1):
        item = _parse_row(row=row, cells=cells, present=present)
        if item.code:
            key = item.code.casefold()
            if key in first_row_of:
                cells.error(row=row, column="code",
                            message=_("duplicate code '%(code)s' (already in row %(first)d)")
                            % {"code": item.code, "first": first_row_of[key]})
            else:
                first_row_of[key] = row.number
        parsed.append(item)
        if index % 500 == 0:
            progress(index, len(table.rows), _("checking rows"))
    if not report.ok:
        return result
    existing = _existing(codes=[item.code for item in parsed])
    institutions, new_names = _institutions(parsed)
    result.institutions_created = len(new_names)
    for item in parsed:
        current = existing.get(item.code)
        if current is None:
            result.created += 1
        else:
            item.changes = _changes(item, current, institutions)
            if item.changes:
                result.updated += 1
            else:
                result.unchanged += 1
    if dry_run:
        return result
    with transaction.atomic():
        _write(actor=actor, parsed=parsed, existing=existing, institutions=institutions, new_names=new_names,
               result=result, progress=progress)
    progress(len(parsed), len(parsed), result.summary())
    return result


def _parse_row(*, row: Row, cells: CellParser, present: set[str]) -> ActivityRow:
    code = row.values["code"]
    if not code:
        cells.error(row=row, column="code", message=_("a value is required"))
    elif not CODE_PATTERN.fullmatch(code):
        cells.error(row=row, column="code", message=_(
            "'%(code)s' is not a valid code: up to 40 letters, digits, dots, hyphens or underscores, "
            "starting with a letter or digit") % {"code": code[:60]})
    title = row.values["title"]
    if not title:
        cells.error(row=row, column="title", message=_("a value is required"))
    check_length(cells=cells, row=row, column="title", value=title, limit=300)
    city = check_length(cells=cells, row=row, column="city", value=row.values["city"], limit=120)
    kind = cells(row=row, column="type", parser=parse_choice, memo=True, choices=ActivityType.choices)
    start = _date(cells=cells, row=row, column="start_date")
    end = _date(cells=cells, row=row, column="end_date")
    if start and end and end < start:
        cells.error(row=row, column="end_date", message=_("the end date %(end)s is before the start date %(start)s")
                    % {"end": end.isoformat(), "start": start.isoformat()})
    country_text = row.values["country"]
    online = country_text.casefold() in ONLINE_WORDS
    country = None if online else cells(row=row, column="country", parser=parse_country, memo=True)
    role = cells(row=row, column="centre_role", parser=parse_choice, memo=True, choices=CentreRole.choices)
    area = cells(row=row, column="programme_area", parser=parse_choice, memo=True, choices=ProgrammeArea.choices)
    values = {"title": title, "type": kind, "start_date": start, "end_date": end, "city": city,
              "country_id": country, "online": online, "centre_role": role, "programme_area": area}
    item = ActivityRow(number=row.number, code=code, values=values)
    if "participants" in present:
        values["participants_count"] = cells(row=row, column="participants", parser=parse_int, required=False,
                                             min=0, max=1_000_000)
    if "partners" in present:
        item.partners = _partners(cells=cells, row=row)
    if "participant_countries" in present:
        item.participant_countries = _countries(cells=cells, row=row)
    if "sdgs" in present:
        item.sdgs = _sdgs(cells=cells, row=row)
    return item


def _date(*, cells: CellParser, row: Row, column: str) -> dt.date | None:
    value = cells(row=row, column=column, parser=parse_date)
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        cells.error(row=row, column=column, message=_("the year %(year)d is outside %(first)d–%(last)d")
                    % {"year": value.year, "first": FIRST_YEAR, "last": LAST_YEAR})
        return None
    return value


def _partners(*, cells: CellParser, row: Row) -> list[str]:
    names: list[str] = []
    keys: set[str] = set()
    for name in parse_list(row.values["partners"]):
        name = " ".join(name.split())
        if len(name) > 250:
            cells.error(row=row, column="partners", message=_("partner name '%(name)s…' is longer than 250 "
                                                              "characters") % {"name": name[:40]})
            continue
        if normalise_name(name) not in keys:
            keys.add(normalise_name(name))
            names.append(name)
    return names


def _countries(*, cells: CellParser, row: Row) -> list[str] | None:
    return cells(row=row, column="participant_countries", parser=_country_list, memo=True)


def _country_list(text: str) -> list[str]:
    return parse_list(text, parser=parse_country)


def _sdgs(*, cells: CellParser, row: Row) -> list[int] | None:
    return cells(row=row, column="sdgs", parser=_sdg_list, memo=True)


def _sdg_list(text: str) -> list[int]:
    return sorted(parse_list(text, parser=parse_int, min=1, max=17))


def _existing(*, codes: list[str]) -> dict[str, Activity]:
    found: dict[str, Activity] = {}
    for part in chunks(codes):
        query = Activity.objects.filter(code__in=part).prefetch_related("partners", "participant_countries", "sdgs")
        for activity in query:
            found[activity.code] = activity
    return found


def _institutions(parsed: list[ActivityRow]) -> tuple[dict[str, Institution], dict[str, str]]:
    """Existing institutions by normalised name, and the names (key -> display) that must be created."""
    wanted: dict[str, str] = {}
    for item in parsed:
        for name in item.partners or []:
            wanted.setdefault(normalise_name(name), name)
    found: dict[str, Institution] = {}
    for part in chunks(list(wanted)):
        for institution in Institution.objects.filter(normalised_name__in=part):
            found[institution.normalised_name] = institution
    return found, {key: name for key, name in wanted.items() if key not in found}


def _changes(item: ActivityRow, current: Activity, institutions: dict[str, Institution]) -> list[str]:
    changed = [name for name, value in item.values.items() if getattr(current, name) != value]
    if item.partners is not None:
        now = {normalise_name(p.name) for p in current.partners.all()}
        if now != {normalise_name(name) for name in item.partners}:
            changed.append("partners")
    if item.participant_countries is not None and (
        {c.pk for c in current.participant_countries.all()} != set(item.participant_countries)
    ):
        changed.append("participant_countries")
    if item.sdgs is not None and {s.pk for s in current.sdgs.all()} != set(item.sdgs):
        changed.append("sdgs")
    return changed


def _write(*, actor: Actor, parsed: list[ActivityRow], existing: dict[str, Activity],
           institutions: dict[str, Institution], new_names: dict[str, str], result: ImportResult,
           progress: Progress) -> None:
    for key, name in new_names.items():
        institution = Institution(name=name)
        institution.save()
        institutions[key] = institution
        audit.record(actor=actor, action="import-create", obj=institution)
    now = timezone.now()
    for index, item in enumerate(parsed, start=1):
        activity = existing.get(item.code)
        if activity is not None and not item.changes:
            result.activity_ids.append(activity.pk)
            continue
        created = activity is None
        if created:
            activity = Activity(code=item.code, created_at=now)
        for name, value in item.values.items():
            setattr(activity, name, value)
        activity.updated_at = now
        activity.save()
        if item.partners is not None:
            activity.partners.set([institutions[normalise_name(name)] for name in item.partners])
        if item.participant_countries is not None:
            activity.participant_countries.set(item.participant_countries)
        if item.sdgs is not None:
            activity.sdgs.set(item.sdgs)
        audit.record(actor=actor, action="import-create" if created else "import-update", obj=activity,
                     detail={"row": item.number, "fields": item.changes})
        result.activity_ids.append(activity.pk)
        if index % 100 == 0:
            progress(index, len(parsed), _("writing activities"))


__all__ = ["ACTIVITY_COLUMNS", "ACTIVITY_REQUIRED", "ImportReport", "import_activities"]
