"""Spreadsheet exports of activities (public) and participants (staff), through the formula-safe writers."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from techbridge.core.tabular import write_csv, write_xlsx

ACTIVITY_EXPORT = [
    ("code", _("Code")), ("title", _("Title")), ("type", _("Type")), ("start_date", _("Start date")),
    ("end_date", _("End date")), ("city", _("City")), ("country", _("Country")), ("centre_role", _("Centre role")),
    ("programme_area", _("Programme area")), ("partners", _("Partners")), ("participants", _("Participants")),
    ("participant_countries", _("Participant countries")), ("sdgs", _("SDGs")),
]
PARTICIPANT_EXPORT = [
    ("activity_code", _("Activity code")), ("name", _("Name")), ("organisation", _("Organisation")),
    ("country", _("Country")), ("stakeholder_type", _("Stakeholder type")), ("gender", _("Gender")),
    ("role", _("Role")),
]
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def activity_rows(queryset: QuerySet):
    """One dict per activity, in the import's column order, so an export can be edited and re-imported."""
    queryset = queryset.select_related("country").prefetch_related("partners", "participant_countries", "sdgs")
    for activity in queryset.iterator(chunk_size=500):
        yield {
            "code": activity.code, "title": activity.title, "type": activity.type,
            "start_date": activity.start_date, "end_date": activity.end_date, "city": activity.city,
            "country": "online" if activity.online else (activity.country.name if activity.country_id else ""),
            "centre_role": activity.centre_role, "programme_area": activity.programme_area,
            "partners": "; ".join(p.name for p in activity.partners.all()),
            "participants": activity.participants_count,
            "participant_countries": "; ".join(c.name for c in activity.participant_countries.all()),
            "sdgs": "; ".join(str(s.pk) for s in activity.sdgs.all()),
        }


def participant_rows(queryset: QuerySet):
    """One dict per participant, in the import's column order."""
    rows = queryset.select_related("activity", "country").order_by("activity__code", "name", "id")
    for person in rows.iterator(chunk_size=2000):
        yield {"activity_code": person.activity.code, "name": person.name, "organisation": person.organisation,
               "country": person.country.name, "stakeholder_type": person.stakeholder_type,
               "gender": person.gender, "role": person.role}


def spreadsheet_response(*, rows, columns, fmt: str, name: str) -> HttpResponse:
    """A CSV or XLSX download; both writers escape cells that start with = + - @."""
    if fmt == "xlsx":
        body = write_xlsx(rows=rows, columns=columns, sheet_title=name)
    else:
        body = write_csv(rows=rows, columns=columns)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="techbridge-{name}.{fmt}"'
    return response
