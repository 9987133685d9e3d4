"""Every figure of a reporting period, computed in one place for the report, the dashboards and the API.

Why one service: the annual report, the staff dashboard, the public impact page and `/api/v1/reports/figures`
must never disagree. The rules belong to the apps that own the data — this module only *calls* their
`figures` modules (programme, events, periodical, funding) and adds what has no owner yet (profiles published
in the exchange, expressions of interest). Apps still being built (funding, matching's expressions of interest)
yield zeros until their modules exist, so the report works at every stage of the project.

An activity belongs to a period by its start date (decided in `techbridge.programme.figures`).
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from types import ModuleType
from typing import Any

from django.apps import apps
from django.db.models import Count

from techbridge.exchange.models import Kind, Profile
from techbridge.programme import figures as programme

FIRST_YEAR, LAST_YEAR = 1970, 2100


@dataclass
class Figures:
    """The figures of one period. Dicts of counts are ordered largest first; country lists are ISO alpha-2."""

    start: dt.date
    end: dt.date
    # Capacity building (programme app).
    activities: int = 0
    activities_by_type: dict[str, int] = field(default_factory=dict)
    activities_by_area: dict[str, int] = field(default_factory=dict)
    activities_by_role: dict[str, int] = field(default_factory=dict)
    online_activities: int = 0
    host_countries: list[str] = field(default_factory=list)
    activities_by_host_country: dict[str, int] = field(default_factory=dict)
    participants: int = 0
    participants_by_country: dict[str, int] = field(default_factory=dict)
    participants_by_stakeholder: dict[str, int] = field(default_factory=dict)
    participants_by_gender: dict[str, int] = field(default_factory=dict)
    participants_unattributed: int = 0
    participant_countries: list[str] = field(default_factory=list)
    partner_institutions: int = 0
    partner_institution_names: list[str] = field(default_factory=list)
    experts: int = 0
    expert_countries: dict[str, int] = field(default_factory=dict)
    sdgs: dict[int, int] = field(default_factory=dict)
    # Brokerage events (events app).
    meetings_requested: int = 0
    meetings_accepted: int = 0
    meetings_held: int = 0
    meeting_outcomes: dict[str, int] = field(default_factory=dict)
    # Technology exchange (computed here) and matching.
    offers_published: int = 0
    requests_published: int = 0
    equipment_requests_published: int = 0
    profiles_by_country: dict[str, int] = field(default_factory=dict)
    expressions_of_interest: int = 0
    # Periodical.
    periodical_issues: int = 0
    issue_list: list[dict] = field(default_factory=list)
    articles: int = 0
    authors: int = 0
    author_countries: list[str] = field(default_factory=list)
    featured_offers: int = 0
    featured_requests: int = 0
    subscribers: int = 0
    page_views: int = 0
    readership_by_country: dict[str, int] = field(default_factory=dict)
    # Contributions (funding app).
    pledges_usd: float = 0.0
    received_usd: float = 0.0
    in_kind_usd: float = 0.0
    contributions_by_member: dict[str, dict[str, float]] = field(default_factory=dict)
    sources_missing: list[str] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        """The calendar year when the period is exactly one, else None."""
        if self.start == dt.date(self.start.year, 1, 1) and self.end == dt.date(self.start.year, 12, 31):
            return self.start.year
        return None

    @property
    def countries_reached(self) -> list[str]:
        """Host countries and participant countries together (the impact page's "countries reached")."""
        return sorted(set(self.host_countries) | set(self.participant_countries)
                      | set(self.participants_by_country))

    def to_json(self) -> dict[str, Any]:
        """JSON-safe dict: every field, plus `year`, `start`, `end` as text and SDG keys as strings."""
        data = asdict(self)
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        data["year"] = self.year
        data["sdgs"] = {str(key): value for key, value in self.sdgs.items()}
        data["countries_reached"] = self.countries_reached
        data["issue_list"] = [{key: (value.isoformat() if isinstance(value, dt.date) else value)
                               for key, value in row.items()} for row in self.issue_list]
        return data


def period_for_year(*, year: int) -> tuple[dt.date, dt.date]:
    """1 January to 31 December: the annual report's period."""
    return programme.year_range(year=year)


def _optional(module: str) -> ModuleType | None:
    """An app's figures module, or None while that app is still being built."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name and module.startswith(error.name):
            return None
        raise


def _money(value: Any) -> float:
    """USD amounts as JSON numbers (the funding app keeps exact Decimals)."""
    return float(value) if isinstance(value, Decimal | int | float) else 0.0


def compute_figures(*, start: dt.date, end: dt.date) -> Figures:
    """All figures of [start, end] (inclusive) — the one source of numbers for every report and dashboard."""
    if end < start:
        raise ValueError("the period ends before it starts")
    figures = Figures(start=start, end=end)
    _programme(figures)
    _events(figures)
    _exchange(figures)
    _matching(figures)
    _periodical(figures)
    _funding(figures)
    return figures


def _programme(f: Figures) -> None:
    start, end = f.start, f.end
    summary = programme.summary(start=start, end=end)
    f.activities = summary["activities"]
    f.activities_by_type = summary["activities_by_type"]
    f.activities_by_area = summary["activities_by_area"]
    f.activities_by_role = summary["activities_by_role"]
    f.online_activities = summary["online_activities"]
    f.activities_by_host_country = summary["host_countries"]
    f.host_countries = sorted(summary["host_countries"])
    f.participants = summary["participants"]
    f.participants_by_country = summary["participants_by_country"]
    f.participants_by_stakeholder = summary["participants_by_stakeholder"]
    f.participants_by_gender = summary["participants_by_gender"]
    f.participants_unattributed = summary["participants_unattributed"]
    f.participant_countries = summary["participant_countries"]
    f.partner_institution_names = summary["partner_institutions"]
    f.partner_institutions = len(f.partner_institution_names)
    f.experts = summary["experts"]
    f.expert_countries = summary["expert_countries"]
    f.sdgs = sdgs_touched(start=start, end=end)


def sdgs_touched(*, start: dt.date, end: dt.date) -> dict[int, int]:
    """Activities per SDG number in the period (the programme app has no such figure yet)."""
    through = programme.Activity.sdgs.through
    rows = (through.objects.filter(activity__in=programme.activities_in(start=start, end=end))
            .values("sdg_id").annotate(n=Count("activity_id", distinct=True)).order_by("sdg_id"))
    return {row["sdg_id"]: row["n"] for row in rows}


def _events(f: Figures) -> None:
    events = _optional("techbridge.events.figures")
    if events is None:
        f.sources_missing.append("events")
        return
    f.meetings_requested = events.meetings_requested(start=f.start, end=f.end)
    f.meetings_accepted = events.meetings_accepted(start=f.start, end=f.end)
    f.meetings_held = events.meetings_held(start=f.start, end=f.end)
    f.meeting_outcomes = events.outcomes(start=f.start, end=f.end)


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    from django.utils import timezone

    zone = timezone.get_default_timezone()
    return (timezone.make_aware(dt.datetime.combine(start, dt.time.min), zone),
            timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min), zone))


def _exchange(f: Figures) -> None:
    """Profiles published in the period by kind and country (whatever their status is today)."""
    low, high = _day_bounds(f.start, f.end)
    rows = (Profile.objects.filter(published_at__gte=low, published_at__lt=high).order_by()
            .values("kind", "country_id").annotate(n=Count("id")))
    by_kind: dict[str, int] = {}
    by_country: dict[str, int] = {}
    for row in rows:
        by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + row["n"]
        by_country[row["country_id"]] = by_country.get(row["country_id"], 0) + row["n"]
    f.offers_published = by_kind.get(Kind.OFFER, 0)
    f.requests_published = by_kind.get(Kind.REQUEST, 0)
    f.equipment_requests_published = by_kind.get(Kind.EQUIPMENT, 0)
    f.profiles_by_country = dict(sorted(by_country.items(), key=lambda item: (-item[1], item[0])))


def _matching(f: Figures) -> None:
    """Expressions of interest sent in the period, once the matching app has them."""
    try:
        model = apps.get_model("matching", "ExpressionOfInterest")
    except LookupError:
        f.sources_missing.append("matching")
        return
    names = {field.name for field in model._meta.get_fields()}
    stamp = "created_at" if "created_at" in names else ("sent_at" if "sent_at" in names else None)
    if stamp is None:
        f.sources_missing.append("matching")
        return
    low, high = _day_bounds(f.start, f.end)
    f.expressions_of_interest = model.objects.filter(**{f"{stamp}__gte": low, f"{stamp}__lt": high}).count()


def _periodical(f: Figures) -> None:
    periodical = _optional("techbridge.periodical.figures")
    if periodical is None or not hasattr(periodical, "periodical_figures"):
        f.sources_missing.append("periodical")
        return
    data = periodical.periodical_figures(start=f.start, end=f.end)
    f.periodical_issues = data.get("issues", 0)
    f.issue_list = list(data.get("issue_list", []))
    f.articles = data.get("articles", 0)
    f.authors = data.get("authors", 0)
    f.author_countries = list(data.get("author_countries", []))
    f.featured_offers = data.get("featured_offers", 0)
    f.featured_requests = data.get("featured_requests", 0)
    f.subscribers = data.get("subscribers", 0)
    f.page_views = data.get("page_views", 0)
    f.readership_by_country = {row["country"] or "": row["views"] for row in data.get("readership_by_country", [])}


def _funding(f: Figures) -> None:
    """Pledged, received and in-kind totals and per member State, from `techbridge.funding.figures`."""
    funding = _optional("techbridge.funding.figures")
    compute = getattr(funding, "contribution_figures", None) if funding is not None else None
    if compute is None:
        f.sources_missing.append("funding")
        return
    data = compute(start=f.start, end=f.end)
    f.pledges_usd = _money(data.get("pledged"))
    f.received_usd = _money(data.get("received"))
    f.in_kind_usd = _money(data.get("in_kind"))
    kinds = ("pledge", "cash_received", "in_kind")
    f.contributions_by_member = {
        row["iso2"]: {kind: _money(row.get(kind)) for kind in kinds if row.get(kind)}
        for row in data.get("by_member", [])
    }


def trends(*, first_year: int, last_year: int) -> list[dict[str, int]]:
    """Activities, participants, countries reached and profiles published per year (the dashboards' trends).

    A few queries per year through the programme app's own functions, not a full `compute_figures` per year.
    """
    rows = []
    for year in range(first_year, last_year + 1):
        start, end = period_for_year(year=year)
        low, high = _day_bounds(start, end)
        hosts = programme.host_countries(start=start, end=end)
        reached = set(hosts) | set(programme.participant_countries(start=start, end=end))
        rows.append({
            "year": year,
            "activities": programme.activities_in(start=start, end=end).count(),
            "participants": programme.participant_total(start=start, end=end),
            "countries": len(reached),
            "profiles_published": Profile.objects.filter(published_at__gte=low, published_at__lt=high).count(),
        })
    return rows
