"""Contribution figures for a date range: what the annual report (reports app) and the staff pages show.

A contribution belongs to the range by its date when it has one, else by its year (pledges are often recorded
for a year without a date). All functions take keyword-only `start`/`end` dates (inclusive).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from techbridge.core.countries import country_name
from techbridge.funding.models import Contribution, Kind

ZERO = Decimal("0.00")


def in_range(*, start: date, end: date, queryset: QuerySet | None = None) -> QuerySet:
    qs = Contribution.objects.all() if queryset is None else queryset
    return qs.filter(Q(date__gte=start, date__lte=end)
                     | Q(date__isnull=True, year__gte=start.year, year__lte=end.year))


def totals(*, queryset: QuerySet) -> dict[str, Decimal]:
    """Sum per kind (every kind present, zero when none)."""
    found = dict(queryset.order_by().values("kind").annotate(s=Sum("amount_usd")).values_list("kind", "s"))
    return {kind: found.get(kind) or ZERO for kind in Kind.values}


def by_member(*, queryset: QuerySet) -> list[dict]:
    """One row per member State: pledged, received, in kind, and received as a share of pledged."""
    rows: dict[str, dict] = {}
    for iso2, kind, amount in (queryset.order_by().values("member_state_id", "kind")
                               .annotate(s=Sum("amount_usd")).values_list("member_state_id", "kind", "s")):
        row = rows.setdefault(iso2, {"iso2": iso2, "name": country_name(iso2), **dict.fromkeys(Kind.values, ZERO)})
        row[kind] = amount
    result = sorted(rows.values(), key=lambda r: r["name"])
    for row in result:
        pledged = row[Kind.PLEDGE]
        row["received_share"] = int(100 * row[Kind.CASH_RECEIVED] / pledged) if pledged else None
    return result


def by_year(*, queryset: QuerySet) -> list[dict]:
    rows: dict[int, dict] = {}
    for year, kind, amount in (queryset.order_by().values("year", "kind").annotate(s=Sum("amount_usd"))
                               .values_list("year", "kind", "s")):
        rows.setdefault(year, {"year": year, **dict.fromkeys(Kind.values, ZERO)})[kind] = amount
    return [rows[year] for year in sorted(rows, reverse=True)]


def contribution_figures(*, start: date, end: date) -> dict:
    """Everything the annual report says about resources: pledged, received, in kind, and per member State."""
    qs = in_range(start=start, end=end)
    sums = totals(queryset=qs)
    members = by_member(queryset=qs)
    return {
        "pledged": sums[Kind.PLEDGE],
        "received": sums[Kind.CASH_RECEIVED],
        "in_kind": sums[Kind.IN_KIND],
        "by_member": members,
        "pledging_members": [m["name"] for m in members if m[Kind.PLEDGE]],
        "paying_members": [m["name"] for m in members if m[Kind.CASH_RECEIVED]],
        "in_kind_members": [m["name"] for m in members if m[Kind.IN_KIND]],
    }
