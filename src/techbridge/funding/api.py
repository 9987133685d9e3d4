"""Member-State contributions in the JSON API (staff only): entries and period figures."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from techbridge.core.api_auth import api_actor
from techbridge.core.security.pagination import PageNumberPagination
from techbridge.funding import figures
from techbridge.funding import permissions as perms
from techbridge.funding.models import Kind

router = Router(tags=["funding"])


class ContributionOut(Schema):
    id: int
    member_state: str = Field(..., alias="member_state_id")
    year: int
    kind: str
    amount_usd: Decimal
    date: date | None
    reference: str
    note: str


class ContributionQuery(Schema):
    year: int | None = Field(None, ge=1900, le=2200)
    kind: str | None = Field(None, max_length=20)
    member_state: str | None = Field(None, min_length=2, max_length=2)


class MemberFigures(Schema):
    iso2: str
    name: str
    pledge: Decimal
    cash_received: Decimal
    in_kind: Decimal
    received_share: int | None


class FiguresOut(Schema):
    pledged: Decimal
    received: Decimal
    in_kind: Decimal
    by_member: list[MemberFigures]


def _staff(request):
    actor = api_actor(request)
    if not perms.can_view(actor):
        raise PermissionDenied("Only the centre's staff see contributions.")
    return actor


@router.get("", response=list[ContributionOut], summary="Contributions (staff)")
@paginate(PageNumberPagination, page_size=20)
def list_contributions(request, query: Query[ContributionQuery]):
    qs = perms.visible_contributions(_staff(request))
    if query.year:
        qs = qs.filter(year=query.year)
    if query.kind:
        if query.kind not in Kind.values:
            raise ValidationError({"kind": [f"one of {', '.join(Kind.values)}"]})
        qs = qs.filter(kind=query.kind)
    if query.member_state:
        qs = qs.filter(member_state_id=query.member_state.upper())
    return qs.order_by("-year", "member_state_id", "kind", "id")


@router.get("/figures", response=FiguresOut, summary="Pledged, received and in kind for a period (staff)")
def contribution_figures(request, start: date, end: date):
    _staff(request)
    if end < start:
        raise ValidationError({"end": ["must not be before start"]})
    return figures.contribution_figures(start=start, end=end)
