"""Browsing and searching profiles with facets; the same filters serve the web pages, the API and exports."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import BooleanField, Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from techbridge.core.models import Sector
from techbridge.core.permissions import Actor
from techbridge.exchange import fulltext
from techbridge.exchange.models import Profile, Status
from techbridge.exchange.permissions import visible_profiles

FACETS = ("kind", "country", "sector", "sdg", "stage", "partnership_type")
#: Result sets this large get their facet counts cached (see `facet_counts`).
FACET_CACHE_FROM = 2000
FACET_CACHE_SECONDS = 120
#: Small result sets (a search's hits) are cached under their size and latest change (a profile that joins,
#: leaves or is edited makes a new key, so counts stay exact); the time limit bounds what an edit that does
#: not touch `updated_at` (the admin) could leave behind.
SMALL_FACET_CACHE_SECONDS = 60


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
    """Profiles the actor may see, narrowed by the filters. Public listings show published profiles only.

    Relations are filtered with `EXISTS` subqueries, so no join multiplies rows and no `DISTINCT` is needed:
    a `DISTINCT` over 100,000 rows has to deduplicate every row before the first page can be cut.
    """
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
        qs = qs.filter(Exists(Profile.sectors.through.objects.filter(
            Q(sector_id=filters.sector) | Q(sector__section_id=filters.sector), profile_id=OuterRef("pk"))))
    if filters.sdg:
        qs = qs.filter(Exists(Profile.sdgs.through.objects.filter(profile_id=OuterRef("pk"), sdg_id=filters.sdg)))
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.partnership_type:
        qs = qs.filter(Exists(Profile.partnership_types.through.objects.filter(
            profile_id=OuterRef("pk"), partnershiptype_id=filters.partnership_type)))
    if filters.organisation:
        qs = qs.filter(organisation_id=filters.organisation)
    if filters.q:
        qs = fulltext.filter_text(qs, filters.q)
    return qs


def facet_counts(qs: QuerySet) -> dict[str, list[tuple[str, str, int]]]:
    """Counts per facet value over the current result set, for the sidebar (value, label, count).

    Four grouped counts over the whole result set: on the unfiltered listing of 100,000 profiles they cost more
    than the rest of the page, and even a search's hundred hits cost about as much as the rest of its page
    (~20 ms of queries). Counts are therefore cached, keyed by the result set's SQL: large result sets (at least
    FACET_CACHE_FROM rows) for FACET_CACHE_SECONDS — a sidebar a minute or two behind is acceptable there — and
    small ones also under their row count and latest `updated_at`, so that a change to the set makes a new key.
    """
    ids = qs.values("pk").order_by()
    # One query tells a small set from a large one and, for a small one, when any of its rows last changed.
    stamp = Profile.objects.filter(pk__in=ids[:FACET_CACHE_FROM]).aggregate(rows=Count("pk"), changed=Max("updated_at"))
    small = stamp["rows"] < FACET_CACHE_FROM
    sql, params = ids.query.sql_with_params()
    version = (stamp["rows"], stamp["changed"]) if small else None
    key = "techbridge:facets:" + hashlib.sha256(repr((sql, params, get_language(), version)).encode()).hexdigest()
    counts = cache.get(key)
    if counts is None:
        counts = _facet_counts(ids)
        cache.set(key, counts, SMALL_FACET_CACHE_SECONDS if small else FACET_CACHE_SECONDS)
    return counts


def _facet_counts(ids: QuerySet) -> dict[str, list[tuple[str, str, int]]]:
    base = Profile.objects.filter(pk__in=ids)
    result: dict[str, list[tuple[str, str, int]]] = {}
    kinds = dict(Profile._meta.get_field("kind").choices)
    stages = dict(Profile._meta.get_field("stage").choices)
    # Kind, country and stage are columns of the profile: one grouped query gives all three.
    by_kind: dict[str, int] = {}
    by_country: dict[tuple[str, str], int] = {}
    by_stage: dict[str, int] = {}
    for row in base.values("kind", "country_id", "country__name", "stage").annotate(n=Count("pk")).order_by():
        by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + row["n"]
        country = (row["country_id"], row["country__name"])
        by_country[country] = by_country.get(country, 0) + row["n"]
        if row["stage"]:
            by_stage[row["stage"]] = by_stage.get(row["stage"], 0) + row["n"]
    result["kind"] = [(kind, str(kinds.get(kind, kind)), n)
                      for kind, n in sorted(by_kind.items(), key=lambda kv: -kv[1])]
    result["country"] = [(iso2, name, n)
                         for (iso2, name), n in sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0][1]))[:30]]
    sections = cache.get("techbridge:facets:sections")
    if sections is None:  # reference data: the ISIC sections change with a reference sync, not per request
        sections = dict(Sector.objects.filter(section__isnull=True).values_list("code", "title"))
        cache.set("techbridge:facets:sections", sections, 600)
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
    result["stage"] = [(stage, str(stages.get(stage, stage)), n)
                       for stage, n in sorted(by_stage.items(), key=lambda kv: -kv[1])]
    result["partnership_type"] = [
        (row["partnership_types__code"], row["partnership_types__label"], row["n"])
        for row in base.filter(partnership_types__isnull=False)
        .values("partnership_types__code", "partnership_types__label")
        .annotate(n=Count("pk"))
        .order_by("-n")
    ]
    return result


def id_in_sql(column: str, ids: list[int], *, vendor: str) -> tuple[str, list]:
    """`column IN (ids)` as SQL and parameters: one array parameter on PostgreSQL (`= ANY`), placeholders elsewhere."""
    if vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", [list(ids)]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


class _OverIds(fulltext.OnPrimaryKey):
    """An expression of the row's primary key and a ranker's list of ids: one array parameter on PostgreSQL
    (`_array`), placeholders elsewhere (`_placeholders`); `_empty` when the list is."""

    output_class = IntegerField
    _empty = "0"

    def __init__(self, ids: list[int]):
        super().__init__(output_field=self.output_class())
        self.ids = [int(pk) for pk in ids]

    def as_sql(self, compiler, connection):
        pk_sql, params = compiler.compile(self.pk)
        if not self.ids:
            return self._empty, []
        if connection.vendor == "postgresql":
            return self._array(pk_sql, [*params])
        return self._placeholders(pk_sql, [*params])


class ListPosition(_OverIds):
    """The row's position in a list of primary keys (`array_position`, or `CASE id WHEN %s THEN 0 … ELSE n END`):
    the ranker's order.

    One expression with parameters rather than a `When()` object per id, which Django builds, copies and
    compiles again for the count, the page and the facets of every ranked search.
    """

    def _array(self, pk_sql, params):
        return f"COALESCE(array_position(%s::bigint[], {pk_sql}::bigint), {len(self.ids) + 1})", [self.ids, *params]

    def _placeholders(self, pk_sql, params):
        for position, pk in enumerate(self.ids):
            params += [pk, position]
        return f"CASE {pk_sql} {' '.join(['WHEN %s THEN %s'] * len(self.ids))} ELSE {len(self.ids)} END", params


class IdIn(_OverIds):
    """`id IN (…)` for a ranker's list of ids, as `id = ANY(%s)` with one array parameter on PostgreSQL.

    A search's hundred ids as a hundred placeholders made psycopg re-parse each long statement (it caches only
    short ones, ~0.3 ms a query) and Django prepare every id, in each of a ranked page's five queries.
    Filter with `qs.filter(IdIn(ids))`.
    """

    conditional = True
    output_class = BooleanField
    _empty = "1 = 0"

    def _array(self, pk_sql, params):
        sql, ids = id_in_sql(pk_sql, self.ids, vendor="postgresql")
        return sql, [*params, *ids]

    def _placeholders(self, pk_sql, params):
        sql, ids = id_in_sql(pk_sql, self.ids, vendor="other")
        return sql, [*params, *ids]


def search_profiles(actor: Actor, filters: ProfileFilters, *, public_only: bool = False) -> tuple[QuerySet, bool]:
    """Filtered profiles in display order; free text is ranked by the matching engine when one is registered.

    Returns (queryset, ranked). With a ranker, the text need not share a keyword with the profiles it finds;
    without one, every word must appear (plain keyword search).
    """
    from dataclasses import replace

    from techbridge.exchange.extensions import rank_search

    if filters.q:
        base = filter_profiles(actor, replace(filters, q=""), public_only=public_only)
        ranked_ids = rank_search(actor, filters.q, base)
        if ranked_ids is not None:
            return base.filter(IdIn(ranked_ids)).alias(_rank=ListPosition(ranked_ids)).order_by("_rank"), True
    qs = filter_profiles(actor, filters, public_only=public_only)
    return qs.order_by("-published_at", "-id"), False
