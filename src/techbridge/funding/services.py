"""Recording member-State contributions, one by one or from a spreadsheet (all rows or none).

Why the member check: the Centre reports contributions to the ESCAP Commission, which knows only its members and
associate members; an amount booked against any other country would be wrong in every report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.countries import UnknownCountry, country_name, resolve_country
from techbridge.core.jobs import Progress, no_progress
from techbridge.core.models import Country
from techbridge.core.permissions import Actor, require_staff
from techbridge.core.tabular import (
    CellError,
    ImportReport,
    TableError,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    read_table,
)
from techbridge.funding.models import CONTRIBUTOR_STATUSES, Contribution, Kind

COLUMNS = ["member_state", "year", "kind", "amount_usd", "note", "date", "reference"]
REQUIRED = {"member_state", "year", "kind", "amount_usd"}
MAX_AMOUNT = Decimal("999999999999.99")
MAX_ROWS = 10000


def first_year() -> int:
    return 1977  # the Centre's founding


def parse_member_state(value) -> str:
    """A member State or associate member, named or coded any way the country resolver accepts."""
    text = "" if value is None else str(value).strip()
    if not text:
        raise CellError(_("a value is required"))
    return member_state_code(text=text)


def member_state_code(*, text: str) -> str:
    """Resolve a country name or code and require ESCAP membership; raise CellError with a reason otherwise."""
    try:
        iso2 = resolve_country(text)
    except UnknownCountry as exc:
        raise CellError(str(exc)) from None
    status = Country.objects.filter(iso2=iso2).values_list("escap_status", flat=True).first()
    if status not in CONTRIBUTOR_STATUSES:
        raise CellError(_("%(name)s is not an ESCAP member or associate member") % {"name": country_name(iso2)})
    return iso2


def _amount(value) -> Decimal:
    amount = parse_decimal(value, min=0, max=MAX_AMOUNT, places=2)
    if amount == 0:
        raise CellError(_("the amount must be more than zero"))
    return amount


def record_contribution(*, actor: Actor, member_state: str, year: int, kind: str, amount_usd, note: str = "",
                        on: date | None = None, reference: str = "") -> Contribution:
    """Record one contribution typed in by staff; same checks as the import."""
    require_staff(actor)
    errors: dict[str, list[str]] = {}
    values = {}
    for name, check in (("member_state", lambda: parse_member_state(member_state)),
                        ("year", lambda: parse_int(year, min=first_year(), max=timezone.localdate().year + 5)),
                        ("kind", lambda: parse_choice(kind, choices=Kind.choices)),
                        ("amount_usd", lambda: _amount(amount_usd))):
        try:
            values[name] = check()
        except CellError as exc:
            errors[name] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contribution = Contribution.objects.create(
            member_state_id=values["member_state"], year=values["year"], kind=values["kind"],
            amount_usd=values["amount_usd"], date=on, reference=(reference or "").strip()[:200],
            note=(note or "").strip()[:1000], created_by_id=actor.user_id)
        audit.record(actor=actor, action="contribution_create", obj=contribution)
    return contribution


@dataclass
class ContributionImportResult:
    report: ImportReport
    rows: list[dict] = field(default_factory=list)
    created: int = 0

    @property
    def total_by_kind(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for row in self.rows:
            totals[row["kind"]] = totals.get(row["kind"], Decimal(0)) + row["amount_usd"]
        return totals


def _parse(table, report: ImportReport) -> list[dict]:
    last_year = timezone.localdate().year + 5
    rows = []
    for row in table.rows:
        values = {
            "member_state": report.parse(row=row, column="member_state", parser=parse_member_state),
            "year": report.parse(row=row, column="year", parser=parse_int, min=first_year(), max=last_year),
            "kind": report.parse(row=row, column="kind", parser=parse_choice, choices=Kind.choices),
            "amount_usd": report.parse(row=row, column="amount_usd", parser=_amount),
            "note": row.values.get("note", "")[:1000],
            "date": report.parse(row=row, column="date", parser=parse_date, required=False),
            "reference": row.values.get("reference", "")[:200],
        }
        if values["date"] and values["year"] and values["date"].year not in (values["year"], values["year"] + 1):
            report.add(row=row.number, column="date",
                       message=_("the date %(d)s does not fall in %(y)s (or the year after, for late payments)")
                       % {"d": values["date"].isoformat(), "y": values["year"]})
        rows.append(values)
    return rows


def import_contributions(*, actor: Actor, path_or_file, filename: str, dry_run: bool = False,
                         progress: Progress | None = None) -> ContributionImportResult:
    """Validate every row, then write them all in one transaction, or none if any row has a problem."""
    require_staff(actor)
    progress = progress or no_progress
    try:
        table = read_table(path_or_file=path_or_file, filename=filename, columns=COLUMNS, required=REQUIRED,
                           max_rows=MAX_ROWS)
    except TableError as exc:
        return ContributionImportResult(report=ImportReport(exc.issues))
    report = ImportReport()
    rows = _parse(table, report)
    result = ContributionImportResult(report=report, rows=rows)
    if not report.ok or dry_run:
        return result
    with transaction.atomic():
        objects = [Contribution(member_state_id=r["member_state"], year=r["year"], kind=r["kind"],
                                amount_usd=r["amount_usd"], date=r["date"], reference=r["reference"],
                                note=r["note"], created_by_id=actor.user_id) for r in rows]
        for start in range(0, len(objects), 500):
            Contribution.objects.bulk_create(objects[start:start + 500])
            progress(min(start + 500, len(objects)), len(objects), "")
        result.created = len(objects)
        if actor.user is not None:
            audit.record(actor=actor, action="contribution_import", obj=actor.user,
                         detail={"file": filename, "rows": len(objects)})
    return result
