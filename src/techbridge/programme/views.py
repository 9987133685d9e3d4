"""Public pages of the programme: activity list and calendar, activity page, partner directory, export."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from techbridge.core.countries import country_name
from techbridge.core.models import Country
from techbridge.core.web import paginate, request_actor
from techbridge.programme import exports, figures
from techbridge.programme import permissions as perms
from techbridge.programme.filters import ActivityFilters
from techbridge.programme.models import ActivityType, CentreRole, InstitutionType, ProgrammeArea


def _filter_context(filters: ActivityFilters, actor) -> dict:
    years = perms.visible_activities(actor).dates("start_date", "year", order="DESC")
    used = perms.visible_activities(actor).exclude(country=None).values_list("country_id", flat=True).distinct()
    return {
        "filters": filters,
        "years": [d.year for d in years],
        "types": ActivityType.choices,
        "areas": ProgrammeArea.choices,
        "roles": CentreRole.choices,
        "countries": Country.objects.filter(pk__in=used).order_by("name"),
        "querystring": filters.querystring(),
    }


def activity_list(request):
    actor = request_actor(request)
    filters = ActivityFilters.from_query(request.GET)
    queryset = filters.apply(perms.visible_activities(actor)).select_related("country")
    page = paginate(request, queryset.order_by("-start_date", "code"))
    return render(request, "programme/activity_list.html", {
        "page": page, "can_manage": perms.can_manage(actor), **_filter_context(filters, actor)})


def _month(request, filters: ActivityFilters, actor) -> tuple[int, int]:
    year_text, month_text = request.GET.get("y", ""), request.GET.get("m", "")
    if year_text.isdigit() and month_text.isdigit() and 1970 <= int(year_text) <= 2100 \
            and 1 <= int(month_text) <= 12:
        return int(year_text), int(month_text)
    if filters.year:
        first = filters.apply(perms.visible_activities(actor)).order_by("start_date").first()
        return (filters.year, first.start_date.month) if first else (filters.year, 1)
    today = dt.date.today()
    return today.year, today.month


def activity_calendar(request):
    """A month grid; filters as on the list, `y`/`m` choose the month (default: the filtered year's first)."""
    actor = request_actor(request)
    filters = ActivityFilters.from_query(request.GET)
    year, month = _month(request, filters, actor)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    activities = list(filters.apply(perms.visible_activities(actor))
                      .filter(start_date__lte=last, end_date__gte=first).select_related("country")
                      .order_by("start_date", "code"))
    grid = [[{"date": day, "in_month": day.month == month,
              "activities": [a for a in activities if a.start_date <= day <= a.end_date]} for day in week]
            for week in weeks]
    previous = dt.date(year, month, 1) - dt.timedelta(days=1)
    following = dt.date(year, month, 28) + dt.timedelta(days=7)
    base = filters.querystring()
    return render(request, "programme/activity_calendar.html", {
        "grid": grid, "month": dt.date(year, month, 1),
        "weekdays": [calendar.day_abbr[(i) % 7] for i in range(7)],
        "previous_qs": f"{base}&y={previous.year}&m={previous.month}".lstrip("&"),
        "next_qs": f"{base}&y={following.year}&m={following.month}".lstrip("&"),
        "month_activities": [a for a in activities if a.start_date.month == month or a.end_date.month == month],
        **_filter_context(filters, actor),
    })


def activity_detail(request, pk: int):
    actor = request_actor(request)
    queryset = perms.visible_activities(actor).select_related("country").prefetch_related(
        "partners__country", "participant_countries", "sdgs")
    activity = get_object_or_404(queryset, pk=pk)
    experts = figures.experts_of_activity(activity=activity)
    counted = activity.participants.filter(role__in=figures.COUNTED_ROLES)
    individual = counted.count()
    people = perms.can_see_people(actor)
    return render(request, "programme/activity_detail.html", {
        "activity": activity,
        "individual_count": individual,
        "reach": individual if individual else activity.participants_count,
        "record_countries": (sorted({country_name(c) for c in counted.values_list("country_id", flat=True)})
                             if individual else []),
        "experts": experts if people else [],
        "expert_countries": sorted({country_name(e.country_id) for e in experts if e.country_id}),
        "can_see_people": people,
        "can_manage": perms.can_manage(actor),
    })


def institution_list(request):
    actor = request_actor(request)
    queryset = perms.visible_institutions(actor).select_related("country").annotate(
        activity_count=Count("activities", distinct=True))
    q = request.GET.get("q", "").strip()[:100]
    country = request.GET.get("country", "").strip().upper()[:2]
    kind = request.GET.get("type", "")
    if q:
        queryset = queryset.filter(Q(name__icontains=q))
    if country:
        queryset = queryset.filter(country_id=country)
    if kind in InstitutionType.values:
        queryset = queryset.filter(type=kind)
    used = perms.visible_institutions(actor).exclude(country=None).values_list("country_id", flat=True)
    return render(request, "programme/institution_list.html", {
        "page": paginate(request, queryset.order_by("name")), "q": q, "country": country, "type": kind,
        "types": InstitutionType.choices, "countries": Country.objects.filter(pk__in=used).order_by("name")})


def institution_detail(request, pk: int):
    actor = request_actor(request)
    institution = get_object_or_404(perms.visible_institutions(actor).select_related("country"), pk=pk)
    activities = perms.visible_activities(actor).filter(partners=institution).select_related("country")
    return render(request, "programme/institution_detail.html", {
        "institution": institution,
        "page": paginate(request, activities.order_by("-start_date", "code"))})


def activity_export(request, fmt: str):
    """The filtered activity list as CSV or XLSX, in the import's columns (so it can be edited and re-imported)."""
    if fmt not in exports.CONTENT_TYPES:
        raise Http404
    actor = request_actor(request)
    filters = ActivityFilters.from_query(request.GET)
    queryset = filters.apply(perms.visible_activities(actor)).order_by("start_date", "code")
    return exports.spreadsheet_response(rows=exports.activity_rows(queryset), columns=exports.ACTIVITY_EXPORT,
                                        fmt=fmt, name="activities")
