"""Figures of any period in the JSON API: `GET /api/v1/reports/figures?start=YYYY-MM-DD&end=YYYY-MM-DD`.

Public: the figures are aggregates the Centre publishes anyway (the impact page shows the same numbers).
"""

from datetime import date

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema

from techbridge.reports.figures import FIRST_YEAR, LAST_YEAR, compute_figures
from techbridge.reports.forms import MAX_SPAN_DAYS

router = Router(tags=["reports"])


class PeriodIn(Schema):
    start: date
    end: date


@router.get("/figures", summary="Every figure of a reporting period (both dates inclusive)")
def figures(request, period: Query[PeriodIn]) -> dict:
    start, end = period.start, period.end
    errors: dict[str, list[str]] = {}
    for name, value in (("start", start), ("end", end)):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            errors[name] = [f"choose a date between {FIRST_YEAR} and {LAST_YEAR}"]
    if not errors and end < start:
        errors["end"] = ["the end date is before the start date"]
    if not errors and (end - start).days > MAX_SPAN_DAYS:
        errors["end"] = ["a period may cover at most 30 years"]
    if errors:
        raise ValidationError(errors)
    return compute_figures(start=start, end=end).to_json()
