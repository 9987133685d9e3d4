"""The report's and the dashboards' charts: one registry of chart specs, each with its table and its picture.

Why a registry: every chart must also be readable as a table and downloadable as CSV (accessibility, and
policy makers who want the numbers). A spec turns figures into rows once; the picture, the HTML table and the
CSV are all drawn from those rows, so they cannot disagree. Pictures are drawn with matplotlib's object API
(no pyplot global state, so web threads may draw at the same time) on the Agg backend.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from techbridge.programme.models import ActivityType, CentreRole, ProgrammeArea
from techbridge.reports.figures import Figures

TOP_COUNTRIES = 15
ACCENT = "#0b5ea8"
ACCENT_2 = "#e07b00"


@dataclass(frozen=True)
class ChartData:
    """What a chart needs besides its spec: the period's figures and, for trends, the yearly rows."""

    figures: Figures | None = None  # None only for the trends chart, which needs the yearly rows alone
    trends: list[dict] | None = None


@dataclass(frozen=True)
class ChartSpec:
    name: str
    title: object
    columns: tuple[tuple[str, object], ...]  # (key, header label)
    rows: Callable[[ChartData], list[dict]]
    kind: str = "barh"  # barh | bar | trend


def _country_label(code: str) -> str:
    from techbridge.reports.content import name_of

    return name_of(code)


def _choice(choices, code) -> str:
    from techbridge.reports.content import label

    return label(choices, code)


def _participants_by_country(data: ChartData) -> list[dict]:
    f = data.figures
    rows = [{"key": code, "label": _country_label(code), "value": n} for code, n in f.participants_by_country.items()]
    if f.participants_unattributed:
        rows.append({"key": "", "label": str(_("Country not recorded (head counts)")),
                     "value": f.participants_unattributed})
    return rows


def _counts(choices, attribute: str) -> Callable[[ChartData], list[dict]]:
    def rows(data: ChartData) -> list[dict]:
        counts = getattr(data.figures, attribute)
        return [{"key": code, "label": _choice(choices, code), "value": n} for code, n in counts.items()]

    return rows


def _sdgs(data: ChartData) -> list[dict]:
    return [{"key": str(number), "label": f"SDG {number}", "value": n} for number, n in data.figures.sdgs.items()]


def _countries_reached(data: ChartData) -> list[dict]:
    f = data.figures
    rows = []
    for code in f.countries_reached:
        rows.append({"key": code, "label": _country_label(code),
                     "value": f.participants_by_country.get(code, 0),
                     "hosted": f.activities_by_host_country.get(code, 0),
                     "participant_country": str(_("yes")) if code in f.participant_countries else ""})
    return sorted(rows, key=lambda row: (-row["value"], -row["hosted"], row["label"]))


def _trends(data: ChartData) -> list[dict]:
    return [{"key": str(row["year"]), "label": str(row["year"]), "value": row["activities"],
             "participants": row["participants"], "countries": row["countries"],
             "profiles_published": row["profiles_published"]} for row in data.trends or []]


CHARTS: dict[str, ChartSpec] = {spec.name: spec for spec in [
    ChartSpec("participants-by-country", _("Participants by country"),
              (("key", _("ISO code")), ("label", _("Country")), ("value", _("Participants"))),
              _participants_by_country),
    ChartSpec("activities-by-area", _("Activities by programme area"),
              (("key", _("Code")), ("label", _("Programme area")), ("value", _("Activities"))),
              _counts(ProgrammeArea, "activities_by_area")),
    ChartSpec("activities-by-type", _("Activities by type"),
              (("key", _("Code")), ("label", _("Type")), ("value", _("Activities"))),
              _counts(ActivityType, "activities_by_type")),
    ChartSpec("activities-by-role", _("Activities by the Centre's role"),
              (("key", _("Code")), ("label", _("Role")), ("value", _("Activities"))),
              _counts(CentreRole, "activities_by_role"), kind="bar"),
    ChartSpec("sdgs", _("Sustainable Development Goals touched"),
              (("key", _("SDG")), ("label", _("Goal")), ("value", _("Activities"))), _sdgs, kind="bar"),
    ChartSpec("countries-reached", _("Countries reached"),
              (("key", _("ISO code")), ("label", _("Country")), ("value", _("Participants (individual records)")),
               ("hosted", _("Activities hosted")), ("participant_country", _("Participants came from there"))),
              _countries_reached),
    ChartSpec("trends", _("Trends across years"),
              (("key", _("Year")), ("value", _("Activities")), ("participants", _("Participants")),
               ("countries", _("Countries reached")), ("profiles_published", _("Profiles published"))),
              _trends, kind="trend"),
]}

#: The two charts the annual report embeds.
REPORT_CHARTS = ("participants-by-country", "activities-by-area")


def chart_rows(*, name: str, data: ChartData) -> list[dict]:
    return CHARTS[name].rows(data)


def _shorten(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def render_chart(*, name: str, data: ChartData, fmt: str = "png", dpi: int = 110) -> bytes:
    """The chart as PNG or SVG bytes. Long country lists keep the top 15 and sum the rest as "Other"."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    spec = CHARTS[name]
    rows = chart_rows(name=name, data=data)
    figure = Figure(figsize=(7.2, 4.2), layout="constrained")
    axes = figure.subplots()
    axes.set_title(str(spec.title), fontsize=11, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    if not rows:
        axes.set_axis_off()
        axes.text(0.5, 0.5, str(_("No data for this period")), ha="center", va="center", fontsize=12,
                  color="#5b6675", transform=axes.transAxes)
    elif spec.kind == "trend":
        years = [row["label"] for row in rows]
        axes.bar(years, [row["value"] for row in rows], color=ACCENT, label=str(_("Activities")))
        axes.set_ylabel(str(_("Activities")))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        other = axes.twinx()
        other.plot(years, [row["participants"] for row in rows], color=ACCENT_2, marker="o",
                   label=str(_("Participants")))
        other.set_ylabel(str(_("Participants")))
        other.spines[["top"]].set_visible(False)
        figure.legend(loc="outside lower center", ncols=2, frameon=False, fontsize=9)
    elif spec.kind == "bar":
        axes.bar([_shorten(row["label"], 14) for row in rows], [row["value"] for row in rows], color=ACCENT,
                 width=0.6 if len(rows) > 3 else 0.4)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.tick_params(axis="x", labelsize=8, labelrotation=45 if len(rows) > 6 else 0)
    else:
        shown = rows[:TOP_COUNTRIES]
        rest = sum(row["value"] for row in rows[TOP_COUNTRIES:])
        labels = [_shorten(row["label"]) for row in shown] + ([str(_("Other"))] if rest else [])
        values = [row["value"] for row in shown] + ([rest] if rest else [])
        positions = list(range(len(values)))
        axes.barh(positions, values, color=ACCENT, height=0.6 if len(values) > 3 else 0.4)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_yticks(positions, labels, fontsize=8)
        axes.invert_yaxis()
        for position, value in zip(positions, values, strict=True):
            axes.annotate(f"{value:,}", (value, position), xytext=(3, 0), textcoords="offset points",
                          va="center", fontsize=7)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=dpi, metadata={"Software": None} if fmt == "png" else {"Date": None})
    return buffer.getvalue()
