"""Reference data and the caller's own account in the JSON API."""

from ninja import Router, Schema
from ninja.responses import Status as Reply

from techbridge.core.api_auth import api_actor
from techbridge.core.models import SDG, Country, Organisation, PartnershipType, Sector
from techbridge.core.permissions import require_signed_in
from techbridge.core.reference import vocabularies

router = Router(tags=["reference"])


class CountryOut(Schema):
    iso2: str
    iso3: str
    name: str
    escap_status: str
    subregion: str


class CodeLabel(Schema):
    code: str
    label: str


class OrganisationOut(Schema):
    id: int
    name: str
    type: str
    size: str
    country: str


class MeOut(Schema):
    email: str
    is_staff: bool
    focal_countries: list[str]
    organisations: list[OrganisationOut]


@router.get("/countries", response=list[CountryOut], auth=None)
def countries(request, escap_only: bool = False):
    qs = Country.objects.all()
    if escap_only:
        qs = qs.exclude(escap_status="")
    return list(qs)


@router.get("/sdgs", response=list[CodeLabel], auth=None)
def sdgs(request):
    return [{"code": str(s.number), "label": s.title} for s in SDG.objects.all()]


@router.get("/sectors", response=list[CodeLabel], auth=None)
def sectors(request):
    return [{"code": s.code, "label": s.title} for s in Sector.objects.all()]


@router.get("/vocabularies/{name}", response={200: list[CodeLabel], 404: dict}, auth=None)
def vocabulary(request, name: str):
    table = {
        "stages": vocabularies.STAGES,
        "ipr-statuses": vocabularies.IPR_STATUSES,
        "organisation-types": vocabularies.ORGANISATION_TYPES,
        "organisation-sizes": vocabularies.ORGANISATION_SIZES,
        "partnership-types": [(p.code, p.label) for p in PartnershipType.objects.all()],
    }.get(name)
    if table is None:
        return Reply(404, {"detail": "Unknown vocabulary."})
    return [{"code": code, "label": str(label)} for code, label in table]


@router.get("/me", response={200: MeOut, 401: dict})
def me(request):
    actor = api_actor(request)
    require_signed_in(actor)
    orgs = Organisation.objects.filter(pk__in=actor.organisation_ids)
    return {
        "email": actor.user.email,
        "is_staff": actor.is_staff,
        "focal_countries": sorted(actor.focal_countries),
        "organisations": [
            {"id": o.pk, "name": o.name, "type": o.type, "size": o.size, "country": o.country_id}
            for o in orgs
        ],
    }
