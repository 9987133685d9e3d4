"""Thin views: the public impact page, the staff dashboard, chart pictures and CSVs, builds and narrative edits.

Charts are pictures drawn on the server (no JavaScript) and cached by the hash of their rows, so a chart is
redrawn only when its numbers change; every chart also has a table view and a CSV download.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from techbridge.core.tabular.export import write_csv
from techbridge.core.web import apply_service_errors, paginate, request_actor
from techbridge.programme.models import Activity
from techbridge.reports import permissions as perms
from techbridge.reports import services
from techbridge.reports.charts import CHARTS, ChartData, chart_rows, render_chart
from techbridge.reports.content import build_content, name_of
from techbridge.reports.figures import compute_figures, trends
from techbridge.reports.forms import BuildReportForm, NarrativeForm, PeriodForm

TREND_YEARS = 5
CHART_CACHE_SECONDS = 3600
PICTURE_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
#: Charts shown on both dashboards, in this order; "countries-reached" is a table only.
DASHBOARD_CHARTS = ("participants-by-country", "activities-by-area", "activities-by-type", "sdgs", "trends")


def _default_year() -> int:
    """The year of the latest activity that has started, else the current year."""
    today = timezone.localdate()
    latest = Activity.objects.filter(start_date__lte=today).order_by("-start_date").values_list(
        "start_date", flat=True).first()
    return latest.year if latest else today.year


def _period_form(request) -> PeriodForm:
    """Always bound: no parameters at all means the default year."""
    return PeriodForm(request.GET, default_year=_default_year())


def _chart_data(*, name: str, start: dt.date, end: dt.date, figures=None) -> ChartData:
    if name == "trends":
        first = max(end.year - TREND_YEARS + 1, 1970)
        return ChartData(figures=figures, trends=trends(first_year=first, last_year=end.year))
    return ChartData(figures=figures or compute_figures(start=start, end=end))


def _dashboard_context(*, request, form: PeriodForm) -> dict:
    start, end = form.period()
    figures = compute_figures(start=start, end=end)
    query = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    charts = []
    for name in DASHBOARD_CHARTS:
        spec = CHARTS[name]
        data = _chart_data(name=name, start=start, end=end, figures=figures)
        charts.append({"name": name, "title": spec.title, "columns": spec.columns,
                       "rows": [[row.get(key, "") for key, _label in spec.columns] for row in chart_rows(
                           name=name, data=data)],
                       "src": f"{reverse('reports:chart', args=[name, 'png'])}?{query}",
                       "csv": f"{reverse('reports:chart_csv', args=[name])}?{query}"})
    reached = CHARTS["countries-reached"]
    return {
        "form": form, "figures": figures, "start": start, "end": end, "charts": charts, "query": query,
        "countries": {"columns": reached.columns,
                      "rows": [[row.get(key, "") for key, _label in reached.columns]
                               for row in chart_rows(name="countries-reached", data=ChartData(figures=figures))],
                      "csv": f"{reverse('reports:chart_csv', args=['countries-reached'])}?{query}"},
        "host_names": [name_of(code) for code in figures.host_countries],
    }


@require_GET
def impact(request):
    """The public impact page: figures of a chosen period, charts with tables, countries reached, trends."""
    form = _period_form(request)
    if not form.is_valid():
        return render(request, "reports/impact.html", {"form": form}, status=422)
    return render(request, "reports/impact.html", _dashboard_context(request=request, form=form))


@login_required
@require_GET
def dashboard(request):
    """The staff dashboard: the impact page's figures plus breakdowns, contributions and report building."""
    actor = request_actor(request)
    if not perms.can_see_staff_dashboard(actor):
        raise PermissionDenied(_("Only centre staff may see this dashboard."))
    form = _period_form(request)
    if not form.is_valid():
        return render(request, "reports/dashboard.html", {"form": form}, status=422)
    context = _dashboard_context(request=request, form=form)
    year = form.period()[0].year
    context["build_form"] = BuildReportForm(initial={"year": year, "fmt": "docx"})
    context["year"] = year
    return render(request, "reports/dashboard.html", context)


def _chart_period(request) -> tuple[dt.date, dt.date]:
    form = PeriodForm(request.GET, default_year=_default_year())
    if not form.is_valid():
        raise Http404("bad period")
    return form.period()


@require_GET
def chart(request, name: str, fmt: str):
    """A chart as PNG or SVG, cached by the hash of its rows (so it is redrawn only when its numbers change)."""
    if name not in CHARTS or fmt not in PICTURE_TYPES:
        raise Http404
    start, end = _chart_period(request)
    data = _chart_data(name=name, start=start, end=end)
    rows = chart_rows(name=name, data=data)
    digest = hashlib.sha256(json.dumps([name, fmt, rows], sort_keys=True, default=str).encode()).hexdigest()
    etag = f'"{digest[:32]}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        key = f"reports:chart:{digest}"
        picture = cache.get(key)
        if picture is None:
            picture = render_chart(name=name, data=data, fmt=fmt)
            cache.set(key, picture, CHART_CACHE_SECONDS)
        response = HttpResponse(picture, content_type=PICTURE_TYPES[fmt])
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def chart_csv(request, name: str):
    """The rows behind a chart as CSV (formula-escaped by techbridge.core.tabular.export)."""
    if name not in CHARTS:
        raise Http404
    start, end = _chart_period(request)
    spec = CHARTS[name]
    rows = chart_rows(name=name, data=_chart_data(name=name, start=start, end=end))
    body = write_csv(rows=rows, columns=[(key, str(label)) for key, label in spec.columns])
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{start.isoformat()}-{end.isoformat()}.csv"'
    return response


@login_required
@require_POST
def build(request):
    """Start a report build in the background and show the job page (which offers the file when done)."""
    actor = request_actor(request)
    form = BuildReportForm(request.POST)
    if form.is_valid():
        try:
            job = services.start_report_build(actor=actor, year=form.cleaned_data["year"],
                                              fmt=form.cleaned_data["fmt"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("core:job", job.pk)
    if not perms.can_build_report(actor):
        raise PermissionDenied
    return render(request, "reports/build.html", {"build_form": form}, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def narrative(request, year: int):
    """Every paragraph of `year`'s report, generated or edited, each with its own edit form."""
    actor = request_actor(request)
    if not perms.can_edit_narrative(actor):
        raise PermissionDenied(_("Only centre staff may edit the report."))
    if not 1970 <= year <= 2100:
        raise Http404
    failed: NarrativeForm | None = None
    if request.method == "POST":
        form = NarrativeForm(request.POST)
        if form.is_valid():
            try:
                services.save_narrative(actor=actor, year=year, key=form.cleaned_data["key"],
                                        text=form.cleaned_data["text"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect(f"{request.get_full_path()}#p-{form.cleaned_data['key']}")
        failed = form
    content = build_content(year=year)
    items = []
    for paragraph in content.paragraphs():
        if failed is not None and failed.data.get("key") == paragraph.key:
            form = failed
        else:
            form = NarrativeForm(initial={"key": paragraph.key, "text": paragraph.text})
        items.append({"paragraph": paragraph, "form": form})
    page = paginate(request, items)
    return render(request, "reports/narrative.html", {"year": year, "page": page, "content": content},
                  status=422 if failed is not None else 200)
