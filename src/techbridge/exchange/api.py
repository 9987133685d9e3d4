"""Profiles in the JSON API: list with facets, detail, create, update, workflow transitions, open data."""

import json
from datetime import date, datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Reply

from techbridge.core.api_auth import api_actor
from techbridge.core.permissions import ANONYMOUS
from techbridge.core.security.pagination import PageNumberPagination
from techbridge.exchange import presenters, services
from techbridge.exchange.models import Kind, Profile, Status
from techbridge.exchange.permissions import private_profile_ids, visible_profiles
from techbridge.exchange.search import ProfileFilters, search_profiles

router = Router(tags=["profiles"])


class AttachmentOut(Schema):
    name: str
    content_type: str
    size: int
    private: bool


class ProfileOut(Schema):
    id: int
    reference: str
    kind: str
    status: str
    title: str
    summary: str
    description: str
    advantages: str
    technical_spec: str
    stage: str
    trl: int | None
    ipr_status: str
    ipr_notes: str
    keywords: list[str]
    sectors: list[str]
    sdgs: list[int]
    partnership_types: list[str]
    country: str
    target_countries: list[str]
    organisation_type: str
    organisation_size: str
    item: str
    specification: str
    capacity: str
    quantity: int | None
    budget_min_usd: float | None
    budget_max_usd: float | None
    needed_by: date | None
    hs_code: str
    published_at: datetime | None
    expires_at: datetime | None
    attachments: list[AttachmentOut]
    organisation_name: str | None
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None


class ProfileFields(Schema):
    title: str | None = Field(None, max_length=256)
    summary: str | None = Field(None, max_length=500)
    description: str | None = Field(None, max_length=4000)
    advantages: str | None = Field(None, max_length=4000)
    technical_spec: str | None = Field(None, max_length=4000)
    stage: str | None = Field(None, max_length=40)
    trl: int | None = Field(None, ge=1, le=9)
    ipr_status: str | None = Field(None, max_length=40)
    ipr_notes: str | None = Field(None, max_length=1000)
    keywords: str | None = Field(None, max_length=500)
    country: str | None = Field(None, max_length=80)
    sectors: list[str] | None = Field(None, max_length=30)
    sdgs: list[int] | None = Field(None, max_length=17)
    partnership_types: list[str] | None = Field(None, max_length=10)
    target_countries: list[str] | None = Field(None, max_length=80)
    contact_name: str | None = Field(None, max_length=200)
    contact_email: str | None = Field(None, max_length=254)
    contact_phone: str | None = Field(None, max_length=40)
    item: str | None = Field(None, max_length=200)
    specification: str | None = Field(None, max_length=2000)
    capacity: str | None = Field(None, max_length=200)
    quantity: int | None = Field(None, ge=0, le=10_000_000)
    budget_min_usd: float | None = Field(None, ge=0, le=1e12)
    budget_max_usd: float | None = Field(None, ge=0, le=1e12)
    needed_by: date | None = None
    hs_code: str | None = Field(None, max_length=12)


class ProfileCreate(ProfileFields):
    kind: Kind
    organisation_id: int = Field(..., ge=1, le=2**62)
    title: str = Field(..., min_length=1, max_length=256)
    summary: str = Field(..., min_length=1, max_length=500)


class TransitionIn(Schema):
    reason: str = Field("", max_length=2000)


class ProfileQuery(Schema):
    q: str = Field("", max_length=200)
    kind: Kind | None = None
    country: str = Field("", max_length=2)
    sector: str = Field("", max_length=2)
    sdg: int | None = Field(None, ge=1, le=17)
    stage: str = Field("", max_length=40)
    partnership_type: str = Field("", max_length=60)
    status: Status | None = None
    mine: bool = False


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


def _profiles_for(request, query: ProfileQuery):
    actor = api_actor(request)
    filters = ProfileFilters.from_query(
        {
            k: ("" if v is None else str(v.value if hasattr(v, "value") else v))
            for k, v in query.dict().items()
        }
    )
    filters.mine = query.mine
    qs, _ranked = search_profiles(actor, filters)
    return actor, qs


class _ProfilePages:
    """The listing as the paginator sees it: counted in the database and turned into dicts one page at a time
    (converting the whole list first cost seconds once it held 100,000 profiles)."""

    def __init__(self, queryset, actor):
        self.queryset, self.actor = queryset, actor

    def all(self):  # the paginator counts with `.all().count()`
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[dict]:
        profiles = presenters.load(self.queryset[page])
        private = private_profile_ids(self.actor, profiles)  # not two queries per profile
        return [presenters.profile_data(p, self.actor, private=p.pk in private) for p in profiles]


@router.get("", response=list[ProfileOut], summary="List profiles (published, or your own with mine=true)")
@paginate(PageNumberPagination, page_size=20)
def list_profiles(request, query: Query[ProfileQuery]):
    actor, qs = _profiles_for(request, query)
    return _ProfilePages(qs, actor)


@router.get("/export.{fmt}", auth=None, summary="Open data: every published profile as CSV, XLSX or JSON")
def export_profiles(request, fmt: str):
    from techbridge.core.tabular.export import write_csv, write_xlsx

    qs = presenters.with_relations(Profile.objects.filter(status=Status.PUBLISHED)).order_by("reference")
    rows = [presenters.open_data_row(p) for p in qs.iterator(chunk_size=500)]
    if fmt == "json":
        body = json.dumps(rows, ensure_ascii=False, default=str).encode()
        response = HttpResponse(body, content_type="application/json")
    elif fmt == "csv":
        response = HttpResponse(
            write_csv(rows=rows, columns=presenters.OPEN_DATA_COLUMNS), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            write_xlsx(rows=rows, columns=presenters.OPEN_DATA_COLUMNS, sheet_title="Profiles"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        return HttpResponse(
            json.dumps({"detail": "format must be csv, xlsx or json"}),
            status=404,
            content_type="application/json",
        )
    response["Content-Disposition"] = f'attachment; filename="techbridge-profiles.{fmt}"'
    return response


@router.get("/{int:profile_id}", response={200: ProfileOut, 404: ErrorOut})
def get_profile(request, profile_id: int):
    actor = api_actor(request)
    return presenters.profile_data(presenters.load_one(visible_profiles(actor), pk=profile_id), actor)


@router.post("", response={201: ProfileOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def create_profile(request, payload: ProfileCreate):
    actor = api_actor(request)
    values = payload.dict(exclude_unset=True)
    kind = values.pop("kind")
    organisation_id = values.pop("organisation_id")
    profile = services.create_profile(
        actor=actor,
        kind=str(kind.value if hasattr(kind, "value") else kind),
        organisation_id=organisation_id,
        values=values,
    )
    return Reply(201, presenters.profile_data(_reload(profile.pk), actor))


@router.patch(
    "/{int:profile_id}",
    response={200: ProfileOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def update_profile(request, profile_id: int, payload: ProfileFields):
    actor = api_actor(request)
    profile = get_object_or_404(visible_profiles(actor), pk=profile_id)
    services.update_profile(actor=actor, profile=profile, values=payload.dict(exclude_unset=True))
    return presenters.profile_data(_reload(profile.pk), actor)


@router.post(
    "/{int:profile_id}/transitions/{name}",
    response={200: ProfileOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def transition_profile(request, profile_id: int, name: str, payload: TransitionIn):
    actor = api_actor(request)
    profile = get_object_or_404(visible_profiles(actor), pk=profile_id)
    if name == "reject":
        services.reject_profile(actor=actor, profile=profile, reason=payload.reason)
    elif name == "validate":
        services.validate_profile(actor=actor, profile=profile)
    else:
        services.run_transition(actor=actor, profile=profile, name=name, reason=payload.reason)
    return presenters.profile_data(_reload(profile.pk), actor)


def _reload(pk: int) -> Profile:
    return presenters.load_one(Profile.objects.all(), pk=pk)


__all__ = ["router", "ANONYMOUS"]
