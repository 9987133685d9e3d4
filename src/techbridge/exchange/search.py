"""Browsing and searching profiles with facets; the same filters serve the web pages, the API and exports."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from techbridge.core.models import Sector
from techbridge.core.permissions import Actor
from techbridge.exchange.models import Profile, Status
from techbridge.exchange.permissions import visible_profiles

FACETS = ("kind", "country", "sector", "sdg", "stage", "partnership_type")


@dataclass
class ProfileFilters:
    q: str = ""
    kind: str = ""
    country: str = ""
    sector: str = ""
    sdg: int | None = None
    stage: str = ""
    partnership_type: str = ""
    status: str = ""
    organisation: int | None = None
    mine: bool = False
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_query(cls, data) -> ProfileFilters:
        """Build filters from a QueryDict/dict, ignoring malformed numbers instead of failing."""

        def _int(name):
            value = (data.get(name) or "").strip() if hasattr(data, "get") else ""
            return int(value) if value.isdigit() else None

        return cls(
            q=(data.get("q") or "").strip()[:200],
            kind=(data.get("kind") or "").strip(),
            country=(data.get("country") or "").strip().upper()[:2],
            sector=(data.get("sector") or "").strip()[:2],
            sdg=_int("sdg"),
            stage=(data.get("stage") or "").strip(),
            partnership_type=(data.get("partnership_type") or "").strip(),
            status=(data.get("status") or "").strip(),
            organisation=_int("organisation"),
            mine=(data.get("mine") or "") in {"1", "true", "on"},
        )


def base_queryset(actor: Actor) -> QuerySet:
    return visible_profiles(actor).select_related("organisation", "country")


def filter_profiles(actor: Actor, filters: ProfileFilters, *, public_only: bool = False) -> QuerySet:
    """Profiles the actor may see, narrowed by the filters. Public listings show published profiles only."""
    qs = base_queryset(actor)
    if public_only or not filters.status:
        if filters.mine and actor.organisation_ids:
            qs = qs.filter(organisation_id__in=actor.organisation_ids)
        elif not filters.mine:
            qs = qs.filter(status=Status.PUBLISHED)
    if filters.status and not public_only:
        qs = qs.filter(status=filters.status)
        if filters.mine:
            qs = qs.filter(organisation_id__in=actor.organisation_ids)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.country:
        qs = qs.filter(country_id=filters.country)
    if filters.sector:
        qs = qs.filter(Q(sectors__code=filters.sector) | Q(sectors__section_id=filters.sector))
    if filters.sdg:
        qs = qs.filter(sdgs__number=filters.sdg)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.partnership_type:
        qs = qs.filter(partnership_types__code=filters.partnership_type)
    if filters.organisation:
        qs = qs.filter(organisation_id=filters.organisation)
    if filters.q:
        for word in filters.q.split()[:8]:
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(keywords__icontains=word)
                | Q(description__icontains=word)
                | Q(reference__iexact=word)
                | Q(item__icontains=word)
            )
    return qs.distinct()


def facet_counts(qs: QuerySet) -> dict[str, list[tuple[str, str, int]]]:
    """Counts per facet value over the current result set, for the sidebar (value, label, count)."""
    ids = qs.values("pk")
    base = Profile.objects.filter(pk__in=ids)
    result: dict[str, list[tuple[str, str, int]]] = {}
    kinds = dict(Profile._meta.get_field("kind").choices)
    result["kind"] = [
        (row["kind"], str(kinds.get(row["kind"], row["kind"])), row["n"])
        for row in base.values("kind").annotate(n=Count("pk")).order_by("-n")
    ]
    result["country"] = [
        (row["country_id"], row["country__name"], row["n"])
        for row in base.values("country_id", "country__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "country__name")[:30]
    ]
    sections = dict(Sector.objects.filter(section__isnull=True).values_list("code", "title"))
    result["sector"] = [
        (row["section"], sections.get(row["section"], row["section"]), row["n"])
        for row in base.filter(sectors__isnull=False)
        .annotate(section=Coalesce("sectors__section_id", "sectors__code"))
        .values("section")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n")[:21]
    ]
    result["sdg"] = [
        (str(row["sdgs__number"]), f"SDG {row['sdgs__number']}", row["n"])
        for row in base.filter(sdgs__isnull=False)
        .values("sdgs__number")
        .annotate(n=Count("pk"))
        .order_by("sdgs__number")
    ]
    stages = dict(Profile._meta.get_field("stage").choices)
    result["stage"] = [
        (row["stage"], str(stages.get(row["stage"], row["stage"])), row["n"])
        for row in base.exclude(stage="").values("stage").annotate(n=Count("pk")).order_by("-n")
    ]
    result["partnership_type"] = [
        (row["partnership_types__code"], row["partnership_types__label"], row["n"])
        for row in base.filter(partnership_types__isnull=False)
        .values("partnership_types__code", "partnership_types__label")
        .annotate(n=Count("pk"))
        .order_by("-n")
    ]
    return result


def search_profiles(actor: Actor, filters: ProfileFilters, *, public_only: bool = False) -> tuple[QuerySet, bool]:
    """Filtered profiles in display order; free text is ranked by the matching engine when one is registered.

    Returns (queryset, ranked). With a ranker, the text need not share a keyword with the profiles it finds;
    without one, every word must appear (plain keyword search).
    """
    from dataclasses import replace

    from django.db.models import Case, IntegerField, Value, When

    from techbridge.exchange.extensions import rank_search

    if filters.q:
        base = filter_profiles(actor, replace(filters, q=""), public_only=public_only)
        ranked_ids = rank_search(actor, filters.q, base)
        if ranked_ids is not None:
            order = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ranked_ids)],
                         output_field=IntegerField())
            return base.filter(pk__in=ranked_ids).annotate(_rank=order).order_by("_rank"), True
    qs = filter_profiles(actor, filters, public_only=public_only)
    return qs.order_by("-published_at", "-id"), False
