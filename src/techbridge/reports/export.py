"""Build the annual report in one format: json, html, docx or pdf — the one entry point of the command and the web.

Why one function: the command line, the background job of the web and the benchmark must produce the same
files. HTML and PDF share one template (the PDF is WeasyPrint's rendering of its print variant, with fonts
from the system and images as data: URIs, and a URL fetcher that refuses the network; `reports.pdf` renders
it in parts in parallel).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from techbridge.core.jobs import Progress, no_progress
from techbridge.reports import pdf, prose
from techbridge.reports.charts import CHARTS, REPORT_CHARTS, ChartData, render_chart
from techbridge.reports.content import CENTRE_NAME, ReportContent, build_content
from techbridge.reports.figures import compute_figures, period_for_year
from techbridge.reports.pdf import PART_BREAK

FORMATS = ("json", "html", "docx", "pdf")
CONTENT_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class BuiltReport:
    year: int
    fmt: str
    data: bytes

    @property
    def file_name(self) -> str:
        return f"annual-report-{self.year}.{self.fmt}"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.fmt]


def report_json(*, year: int) -> dict:
    """The figures of the year as the JSON object `techbridge report annual --format json` prints."""
    start, end = period_for_year(year=year)
    data = compute_figures(start=start, end=end).to_json()
    data["year"] = year
    return data


def _charts(content: ReportContent) -> list[tuple[str, bytes]]:
    data = ChartData(figures=content.figures)
    return [(str(CHARTS[name].title), render_chart(name=name, data=data, fmt="png", dpi=120))
            for name in REPORT_CHARTS]


def _period(content: ReportContent) -> str:
    return prose.date_range(content.figures.start, content.figures.end)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _render(*, content: ReportContent, images: list[dict], for_print: bool) -> str:
    return render_to_string("reports/annual_report.html", {
        "content": content, "charts": images, "centre_name": CENTRE_NAME,
        "period_start": prose.day_month_year(content.figures.start),
        "period_end": prose.day_month_year(content.figures.end),
        "for_print": for_print, "part_break": PART_BREAK,
    })


def render_html(*, content: ReportContent, charts: list[tuple[str, bytes]]) -> str:
    """The standalone HTML document (styles inline, charts as data: URIs)."""
    images = [{"title": title, "src": _data_uri(png)} for title, png in charts]
    return _render(content=content, images=images, for_print=False)


def render_pdf(*, content: ReportContent) -> bytes:
    """The PDF: the same template for print, cut into parts that render in parallel (`reports.pdf`).

    The parts without charts start first; the charts are drawn meanwhile and put into the first part.
    """
    pending = [{"title": str(CHARTS[name].title), "src": f"pdf-chart-{n}"} for n, name in enumerate(REPORT_CHARTS)]
    html = _render(content=content, images=pending, for_print=True)

    def with_charts(first_part: str) -> str:
        for n, (_title, png) in enumerate(_charts(content)):
            placeholder = f'src="pdf-chart-{n}"'
            if placeholder not in first_part:
                raise ValueError("the charts must be in the first part of the print HTML")
            first_part = first_part.replace(placeholder, f'src="{_data_uri(png)}"')
        return first_part

    return pdf.render_pdf(html=html, title=content.title, late=with_charts)


def build_report(*, year: int, fmt: str, progress: Progress | None = None) -> BuiltReport:
    """The annual report of `year` as bytes in `fmt`; `progress` sees content, charts and layout steps."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    progress = progress or no_progress
    if fmt == "json":
        text = json.dumps(report_json(year=year), indent=2, ensure_ascii=False, sort_keys=True)
        progress(1, 1, _("done"))
        return BuiltReport(year=year, fmt=fmt, data=(text + "\n").encode("utf-8"))
    total = 7
    content = build_content(year=year, progress=lambda done, _total, message="": progress(done, total, message))
    if fmt == "pdf":
        progress(4, total, _("laying out the %(fmt)s document") % {"fmt": fmt.upper()})
        data = render_pdf(content=content)
        progress(total, total, _("done"))
        return BuiltReport(year=year, fmt=fmt, data=data)
    progress(4, total, _("drawing charts"))
    charts = _charts(content)
    progress(5, total, _("laying out the %(fmt)s document") % {"fmt": fmt.upper()})
    if fmt == "docx":
        from techbridge.reports.docx_writer import render_docx

        data = render_docx(content=content, charts=charts, period=_period(content))
    else:
        data = render_html(content=content, charts=charts).encode("utf-8")
    progress(total, total, _("done"))
    return BuiltReport(year=year, fmt=fmt, data=data)
