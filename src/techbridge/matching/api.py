"""Matchmaking in the JSON API: matches, similar profiles, free-text search, expressions of interest."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Reply

from techbridge.core.api_auth import api_actor
from techbridge.core.security.pagination import PageNumberPagination
from techbridge.exchange.models import Kind, Profile, Status
from techbridge.exchange.permissions import visible_profiles
from techbridge.matching import permissions as perms
from techbridge.matching.services import index, interests, matches

router = Router(tags=["matching"])


class MatchOut(Schema):
    id: int
    reference: str
    kind: str
    title: str
    summary: str
    country: str
    score: float
    explanation: list[str]
    matched_terms: list[str]
    components: dict[str, float]


class MatchesOut(Schema):
    profile_id: int
    semantic: bool
    semantic_reason: str
    matches: list[MatchOut]


class StatusOut(Schema):
    semantic: bool
    reason: str
    model_key: str


class ContactOut(Schema):
    name: str
    email: str
    phone: str
    organisation: str


class InterestIn(Schema):
    message: str = Field(..., min_length=1, max_length=2000)
    offer_or_seek: str = Field(..., min_length=1, max_length=1000)
    why_this: str = Field(..., min_length=1, max_length=1000)
    next_step: str = Field(..., min_length=1, max_length=1000)
    sender_profile: int | None = Field(None, ge=1, le=2**62)


class DecisionIn(Schema):
    note: str = Field("", max_length=500)


class InterestOut(Schema):
    id: int
    profile_id: int
    profile_reference: str
    status: str
    message: str
    offer_or_seek: str
    why_this: str
    next_step: str
    decision_note: str
    created_at: datetime
    decided_at: datetime | None
    sender_contact: ContactOut | None
    profile_contact: ContactOut | None


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=500)
    kind: Kind | None = None
    k: int = Field(20, ge=1, le=100)


def _interest_data(eoi, actor) -> dict:
    return {"id": eoi.pk, "profile_id": eoi.profile_id, "profile_reference": eoi.profile.reference,
            "status": eoi.status, "message": eoi.message, "offer_or_seek": eoi.offer_or_seek,
            "why_this": eoi.why_this, "next_step": eoi.next_step, "decision_note": eoi.decision_note,
            "created_at": eoi.created_at, "decided_at": eoi.decided_at,
            "sender_contact": interests.contact_of_sender(actor=actor, eoi=eoi),
            "profile_contact": interests.contact_of_profile(actor=actor, eoi=eoi)}


@router.get("/status", response=StatusOut, auth=None, summary="Is semantic matching available here?")
def status(request):
    on, reason = index.semantic_status()
    return {"semantic": on, "reason": reason, "model_key": index.model_key()}


@router.get("/profiles/{int:profile_id}/matches", response={200: MatchesOut, 401: ErrorOut, 403: ErrorOut,
                                                             404: ErrorOut},
            summary="Complementary profiles with scores and explanations (owners and staff)")
def profile_matches(request, profile_id: int, k: int = Query(20, ge=1, le=100)):
    actor = api_actor(request)
    profile = get_object_or_404(visible_profiles(actor), pk=profile_id)
    found = matches.matches_for(actor=actor, profile=profile, k=k)
    on, reason = index.semantic_status()
    return {"profile_id": profile.pk, "semantic": on, "semantic_reason": reason,
            "matches": [matches.match_data(m) for m in found]}


@router.get("/profiles/{int:profile_id}/similar", response={200: list[MatchOut], 404: ErrorOut},
            summary="Published profiles similar to a published one")
def similar(request, profile_id: int, k: int = Query(5, ge=1, le=20)):
    actor = api_actor(request)
    profile = get_object_or_404(Profile.objects.filter(status=Status.PUBLISHED), pk=profile_id)
    return [matches.match_data(m) for m in matches.similar_profiles(actor=actor, profile=profile, k=k)]


@router.get("/search", response=list[MatchOut], summary="Published profiles ranked against a free-text need")
def search(request, query: Query[SearchQuery]):
    kinds = {query.kind.value} if query.kind else None
    ranked = matches.rank_text(text=query.q, kinds=kinds, k=query.k)
    return [matches.match_data(m) for m in matches._materialise(ranked, limit=query.k)]


@router.post("/profiles/{int:profile_id}/interests", response={201: InterestOut, 401: ErrorOut, 403: ErrorOut,
                                                                404: ErrorOut, 422: ErrorOut},
             summary="Express interest in a published profile")
def send_interest(request, profile_id: int, payload: InterestIn):
    actor = api_actor(request)
    profile = get_object_or_404(Profile.objects.filter(status=Status.PUBLISHED), pk=profile_id)
    eoi = interests.send_interest(actor=actor, profile=profile, values=payload.dict())
    return Reply(201, _interest_data(eoi, actor))


@router.get("/interests", response=list[InterestOut], summary="Expressions of interest you sent or received")
@paginate(PageNumberPagination, page_size=20)
def list_interests(request, box: str = Query("received", pattern="^(received|sent|all)$")):
    actor = api_actor(request)
    qs = perms.visible_interests(actor)
    if box == "sent":
        qs = qs.filter(sender_id=actor.user_id)
    elif not (box == "all" and actor.is_staff):
        qs = qs.filter(profile__organisation_id__in=actor.organisation_ids)
    return [_interest_data(eoi, actor) for eoi in qs]


@router.get("/interests/{int:interest_id}", response={200: InterestOut, 404: ErrorOut})
def get_interest(request, interest_id: int):
    actor = api_actor(request)
    return _interest_data(get_object_or_404(perms.visible_interests(actor), pk=interest_id), actor)


@router.post("/interests/{int:interest_id}/{decision}", response={200: InterestOut, 401: ErrorOut, 403: ErrorOut,
                                                                   404: ErrorOut, 422: ErrorOut},
             summary="Accept or decline (decision: accept | decline)")
def decide(request, interest_id: int, decision: str, payload: DecisionIn):
    actor = api_actor(request)
    eoi = get_object_or_404(perms.visible_interests(actor), pk=interest_id)
    if decision not in {"accept", "decline"}:
        from django.http import Http404

        raise Http404
    eoi = interests.decide_interest(actor=actor, eoi=eoi, accept=decision == "accept", note=payload.note)
    return _interest_data(eoi, actor)
