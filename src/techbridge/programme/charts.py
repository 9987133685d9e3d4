"""The staff dashboard's charts: figures for one year as labelled rows, drawn server-side by matplotlib.

Why server-side PNG/SVG: the strict CSP forbids inline scripts, and a chart that is a plain image (with the
same numbers as an HTML table next to it) works without JavaScript, for screen readers and in print.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from techbridge.core.countries import country_name
from techbridge.programme import figures
from techbridge.programme.models import ActivityType, Gender, ProgrammeArea, StakeholderType

MAX_BARS = 15
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    rows: list[tuple[str, int]]
    note: str = ""

    @property
    def total(self) -> int:
        return sum(value for _label, value in self.rows)


def _country(code: str) -> str:
    try:
        return country_name(code)
    except KeyError:
        return code


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _rows(counts: dict[str, int], label) -> list[tuple[str, int]]:
    return [(label(code), value) for code, value in counts.items()]


def _unattributed(breakdown: figures.Breakdown) -> str:
    if not breakdown.unattributed:
        return ""
    return _("Plus %(n)d participants known only as head counts, which cannot be split.") % {
        "n": breakdown.unattributed}


def dashboard_charts(*, year: int) -> list[Chart]:
    """Every chart of the dashboard for ``year``, in display order."""
    start, end = figures.year_range(year=year)
    by_country = figures.participants_by_country(start=start, end=end)
    by_stakeholder = figures.participants_by_stakeholder(start=start, end=end)
    by_gender = figures.participants_by_gender(start=start, end=end)
    online = figures.online_activities(start=start, end=end)
    return [
        Chart("activities-type", _("Activities by type"),
              _rows(figures.activities_by_type(start=start, end=end), lambda c: _label(ActivityType, c))),
        Chart("activities-area", _("Activities by programme area"),
              _rows(figures.activities_by_area(start=start, end=end), lambda c: _label(ProgrammeArea, c))),
        Chart("activities-country", _("Activities by host country"),
              _rows(figures.host_countries(start=start, end=end), _country),
              _("Plus %(n)d online.") % {"n": online} if online else ""),
        Chart("participants-country", _("Participants by country"), _rows(by_country.counts, _country),
              _unattributed(by_country)),
        Chart("participants-stakeholder", _("Participants by stakeholder type"),
              _rows(by_stakeholder.counts, lambda c: _label(StakeholderType, c)), _unattributed(by_stakeholder)),
        Chart("participants-gender", _("Participants by gender"),
              _rows(by_gender.counts, lambda c: _label(Gender, c)), _unattributed(by_gender)),
    ]


def chart_named(*, name: str, year: int) -> Chart | None:
    return next((chart for chart in dashboard_charts(year=year) if chart.name == name), None)


def render_chart(*, chart: Chart, fmt: str) -> bytes:
    """A horizontal bar chart as PNG or SVG bytes (largest bar on top; the rest folded into "Other")."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    rows = list(chart.rows)
    if len(rows) > MAX_BARS:
        rows = rows[: MAX_BARS - 1] + [(_("Other"), sum(value for _label, value in rows[MAX_BARS - 1:]))]
    height = 1.2 + 0.38 * max(len(rows), 1)
    figure = Figure(figsize=(7.5, height), dpi=100)
    axes = figure.add_subplot()
    if rows:
        labels = [label if len(label) <= 40 else label[:39] + "…" for label, _value in rows][::-1]
        values = [value for _label, value in rows][::-1]
        bars = axes.barh(labels, values, color="#0b5ea8")
        axes.bar_label(bars, padding=3, fontsize=9)
        axes.set_xlim(0, max(values) * 1.15 or 1)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        axes.text(0.5, 0.5, _("No data for this year"), ha="center", va="center", transform=axes.transAxes)
        axes.set_yticks([])
    axes.set_title(chart.title, fontsize=11, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=9)
    figure.tight_layout()
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else None
    figure.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()
