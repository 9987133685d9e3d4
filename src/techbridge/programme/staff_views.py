"""Staff pages of the programme: participant lists and exports, the dashboard and its charts, the web import."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from techbridge.core.jobs import start_job
from techbridge.core.models import Country
from techbridge.core.permissions import require
from techbridge.core.tabular import write_csv
from techbridge.core.web import paginate, request_actor
from techbridge.programme import charts, exports, figures, services, tasks
from techbridge.programme import permissions as perms
from techbridge.programme.forms import ImportForm
from techbridge.programme.models import Gender, ImportUpload, ParticipantRole, StakeholderType

#: One example row per import, shown on the import page and put in the downloadable templates.
EXAMPLES = {
    "activities": ["WS-2025-01", "Regional workshop on technology transfer", "workshop", "2025-03-18",
                   "2025-03-20", "Bangkok", "Thailand", "co_organised", "technology_transfer",
                   "Thailand Institute of Scientific and Technological Research", "45", "Bhutan; Viet Nam; Nepal",
                   "9; 17"],
    "participants": ["WS-2025-01", "Karma Dorji", "Ministry of Economic Affairs", "Bhutan", "policy_maker",
                     "male", "participant"],
}


def _staff(request):
    actor = request_actor(request)
    require(perms.can_manage(actor), _("Only the centre's staff may see this page."))
    return actor


def _participant_filters(request) -> dict:
    keep = {}
    for key, allowed in (("stakeholder_type", StakeholderType.values), ("gender", Gender.values),
                         ("role", ParticipantRole.values)):
        if request.GET.get(key) in allowed:
            keep[key] = request.GET[key]
    country = request.GET.get("country", "").strip().upper()
    if len(country) == 2:
        keep["country_id"] = country
    activity = request.GET.get("activity", "")
    if activity.isdigit():
        keep["activity_id"] = int(activity)
    return keep


@login_required
def participant_list(request):
    actor = _staff(request)
    chosen = _participant_filters(request)
    queryset = perms.visible_participants(actor).filter(**chosen).select_related("activity", "country")
    activity = None
    if "activity_id" in chosen:
        activity = get_object_or_404(perms.visible_activities(actor), pk=chosen["activity_id"])
    return render(request, "programme/participant_list.html", {
        "page": paginate(request, queryset.order_by("activity__code", "name", "id"), per_page=50),
        "activity": activity, "chosen": chosen, "querystring": request.GET.urlencode(),
        "stakeholder_types": StakeholderType.choices, "genders": Gender.choices, "roles": ParticipantRole.choices,
        "countries": Country.objects.filter(
            pk__in=perms.visible_participants(actor).values("country_id")).order_by("name"),
    })


@login_required
def participant_export(request, fmt: str):
    actor = _staff(request)
    if fmt not in exports.CONTENT_TYPES:
        raise Http404
    queryset = perms.visible_participants(actor).filter(**_participant_filters(request))
    return exports.spreadsheet_response(rows=exports.participant_rows(queryset),
                                        columns=exports.PARTICIPANT_EXPORT, fmt=fmt, name="participants")


def _year(request) -> int:
    text = request.GET.get("year", "")
    if text.isdigit() and 1970 <= int(text) <= 2100:
        return int(text)
    return dt.date.today().year


@login_required
def dashboard(request):
    actor = _staff(request)
    year = _year(request)
    start, end = figures.year_range(year=year)
    years = perms.visible_activities(actor).dates("start_date", "year", order="DESC")
    return render(request, "programme/dashboard.html", {
        "year": year, "years": sorted({d.year for d in years} | {year}, reverse=True),
        "charts": charts.dashboard_charts(year=year),
        "activities": figures.activities_in(start=start, end=end).count(),
        "participants": figures.participant_total(start=start, end=end),
        "countries": len(figures.participant_countries(start=start, end=end)),
        "partners": figures.partner_institutions(start=start, end=end).count(),
        "experts": len(figures.experts(start=start, end=end)),
    })


@login_required
def chart_image(request, name: str, fmt: str):
    _staff(request)
    if fmt not in charts.FORMATS:
        raise Http404
    chart = charts.chart_named(name=name, year=_year(request))
    if chart is None:
        raise Http404
    response = HttpResponse(charts.render_chart(chart=chart, fmt=fmt), content_type=charts.FORMATS[fmt])
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    actor = _staff(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind, upload_file = form.cleaned_data["kind"], form.cleaned_data["file"]
        upload = ImportUpload(kind=kind, filename=upload_file.name[:200], created_by=actor.user)
        upload.file.save(f"{kind}-{dt.datetime.now():%Y%m%d%H%M%S}.bin", upload_file, save=False)
        result = services.IMPORTERS[kind](actor=actor, source=upload_file, filename=upload_file.name,
                                          dry_run=True)
        upload.preview = result.as_dict()
        upload.save()
        return redirect("programme:import_preview", pk=upload.pk)
    return render(request, "programme/import_start.html", {
        "form": form, "columns": services.COLUMNS, "examples": EXAMPLES,
        "recent": perms.visible_uploads(actor).select_related("created_by")[:10],
    }, status=422 if form.errors else 200)


@login_required
def import_preview(request, pk: int):
    actor = _staff(request)
    upload = get_object_or_404(perms.visible_uploads(actor), pk=pk)
    return render(request, "programme/import_preview.html", {"upload": upload, "preview": upload.preview})


@login_required
def import_errors(request, pk: int):
    """Every problem of the upload as a CSV (row, column, message), recomputed from the stored file."""
    actor = _staff(request)
    upload = get_object_or_404(perms.visible_uploads(actor), pk=pk)
    with upload.file.open("rb") as handle:
        result = services.IMPORTERS[upload.kind](actor=actor, source=handle, filename=upload.filename,
                                                 dry_run=True)
    response = HttpResponse(result.report.to_csv_bytes(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-problems-{upload.pk}.csv"'
    return response


@login_required
@require_POST
def import_run(request, pk: int):
    actor = _staff(request)
    upload = get_object_or_404(perms.visible_uploads(actor), pk=pk)
    if not upload.preview.get("ok"):
        messages.error(request, _("Fix the problems and upload the file again; nothing was imported."))
        return redirect("programme:import_preview", pk=upload.pk)
    job = start_job(actor=actor, kind=_("Import of %(kind)s") % {"kind": upload.get_kind_display().lower()},
                    task=tasks.run_import, params={"upload_id": upload.pk})
    return redirect(reverse("core:job", args=[job.pk]))


@login_required
def import_template(request, kind: str):
    """A CSV with the header and one example row, to start a sheet from."""
    _staff(request)
    if kind not in services.COLUMNS:
        raise Http404
    body = write_csv(rows=[EXAMPLES[kind]], columns=services.COLUMNS[kind])
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="techbridge-{kind}-template.csv"'
    return response

