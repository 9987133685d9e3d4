"""The programme in the JSON API: activities, partner institutions, figures, participants (staff), imports (staff)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from techbridge.core.api_auth import api_actor
from techbridge.core.permissions import require_staff
from techbridge.core.security.pagination import PageNumberPagination
from techbridge.programme import figures, services
from techbridge.programme import permissions as perms
from techbridge.programme.filters import ActivityFilters
from techbridge.programme.models import ActivityType, CentreRole, ImportKind, ProgrammeArea

router = Router(tags=["programme"])


class InstitutionOut(Schema):
    id: int
    name: str
    country: str | None
    type: str


class ActivityOut(Schema):
    id: int
    code: str
    title: str
    type: str
    start_date: dt.date
    end_date: dt.date
    city: str
    country: str | None
    online: bool
    centre_role: str
    programme_area: str
    sdgs: list[int]
    partners: list[InstitutionOut]
    participants: int | None
    participants_source: str
    participant_countries: list[str]
    narrative: str
    pre_survey_score: float | None
    post_survey_score: float | None
    evaluation_summary: str


class ParticipantOut(Schema):
    id: int
    name: str
    organisation: str
    country: str
    stakeholder_type: str
    gender: str
    role: str


class ActivityQuery(Schema):
    year: int | None = Field(None, ge=1970, le=2100)
    type: ActivityType | None = None
    area: ProgrammeArea | None = None
    country: str = Field("", max_length=6)
    role: CentreRole | None = None
    q: str = Field("", max_length=100)


class InstitutionQuery(Schema):
    q: str = Field("", max_length=100)


class FiguresQuery(Schema):
    start: dt.date = Field(..., ge=dt.date(1970, 1, 1), le=dt.date(2100, 12, 31))
    end: dt.date = Field(..., ge=dt.date(1970, 1, 1), le=dt.date(2100, 12, 31))


class ImportIssueOut(Schema):
    row: int | None
    column: str | None
    message: str


class ImportOut(Schema):
    ok: bool
    dry_run: bool
    summary: str
    rows: int
    created: int
    updated: int
    unchanged: int
    deleted: int
    issues: list[ImportIssueOut]
    detail: str | None = None


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


def _institution(institution) -> dict:
    return {"id": institution.pk, "name": institution.name, "country": institution.country_id,
            "type": institution.type}


def _activity(activity) -> dict:
    counted = activity.participants.filter(role__in=figures.COUNTED_ROLES).count()
    return {
        "id": activity.pk, "code": activity.code, "title": activity.title, "type": activity.type,
        "start_date": activity.start_date, "end_date": activity.end_date, "city": activity.city,
        "country": activity.country_id, "online": activity.online, "centre_role": activity.centre_role,
        "programme_area": activity.programme_area, "sdgs": [s.pk for s in activity.sdgs.all()],
        "partners": [_institution(p) for p in activity.partners.all()],
        "participants": counted if counted else activity.participants_count,
        "participants_source": "records" if counted else ("head_count" if activity.participants_count is not None
                                                           else "none"),
        "participant_countries": [c.pk for c in activity.participant_countries.all()],
        "narrative": activity.narrative,
        "pre_survey_score": activity.pre_survey_score, "post_survey_score": activity.post_survey_score,
        "evaluation_summary": activity.evaluation_summary,
    }


def _with_relations(queryset):
    return queryset.prefetch_related("sdgs", "partners", "participant_countries")


@router.get("/activities", response=list[ActivityOut], summary="Activities, filtered like the web list")
@paginate(PageNumberPagination, page_size=20)
def list_activities(request, query: Query[ActivityQuery]):
    actor = api_actor(request)
    params = {key: (getattr(value, "value", value) if value is not None else "")
              for key, value in query.dict().items()}
    filters = ActivityFilters.from_query(params)
    queryset = filters.apply(_with_relations(perms.visible_activities(actor))).order_by("-start_date", "code")
    return [_activity(a) for a in queryset]


@router.get("/activities/{int:activity_id}", response={200: ActivityOut, 404: ErrorOut})
def get_activity(request, activity_id: int):
    actor = api_actor(request)
    return _activity(get_object_or_404(_with_relations(perms.visible_activities(actor)), pk=activity_id))


@router.get("/activities/{int:activity_id}/participants", response={200: list[ParticipantOut], 401: ErrorOut,
                                                                   403: ErrorOut, 404: ErrorOut})
@paginate(PageNumberPagination, page_size=100)
def list_participants(request, activity_id: int):
    actor = api_actor(request)
    require_staff(actor)
    activity = get_object_or_404(perms.visible_activities(actor), pk=activity_id)
    people = perms.visible_participants(actor).filter(activity=activity).order_by("name", "id")
    return [{"id": p.pk, "name": p.name, "organisation": p.organisation, "country": p.country_id,
             "stakeholder_type": p.stakeholder_type, "gender": p.gender, "role": p.role} for p in people]


@router.get("/institutions", response=list[InstitutionOut], summary="Partner institutions")
@paginate(PageNumberPagination, page_size=50)
def list_institutions(request, query: Query[InstitutionQuery]):
    actor = api_actor(request)
    queryset = perms.visible_institutions(actor).order_by("name")
    if query.q:
        queryset = queryset.filter(name__icontains=query.q)
    return [_institution(i) for i in queryset]


@router.get("/figures", response={200: dict, 422: ErrorOut},
            summary="Programme figures for a date range (activities by start date, both ends inclusive)")
def get_figures(request, query: Query[FiguresQuery]):
    if query.end < query.start:
        raise ValidationError({"end": ["The end is before the start."]})
    return figures.summary(start=query.start, end=query.end)


@router.post("/imports/{kind}", response={200: ImportOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                          422: ImportOut | ErrorOut},
             summary="Import activities or participants from a .csv/.xlsx file (all or nothing)")
def run_import(request, kind: ImportKind, file: File[UploadedFile], dry_run: bool = False):
    actor = api_actor(request)
    require_staff(actor)
    importer = services.IMPORTERS[getattr(kind, "value", kind)]
    result = importer(actor=actor, source=file, filename=file.name or "upload", dry_run=dry_run)
    data = result.as_dict()
    if not result.ok:
        issues = data.get("issues") or []
        data["detail"] = f"{len(issues)} problem(s) found; nothing was imported"
    return Status(200 if result.ok else 422, data)
