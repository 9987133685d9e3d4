"""Reading the index: complementary matches, similar profiles, free-text search and event recommendations.

Every function first brings this process's index up to date (one query on the change log), then asks the
engine, and drops anything that is not published and valid at this moment — the engine's structured callback
is where expiry, the caller's own organisation and the complementary sides are enforced, before scores are
normalised, so an ineligible profile can neither appear nor distort the others' scores.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core.permissions import Actor, require
from techbridge.exchange import permissions as exchange_perms
from techbridge.exchange import presenters
from techbridge.exchange.models import Kind, Profile, Status
from techbridge.exchange.search import IdIn
from techbridge.matching.engine import Match, structured_fit
from techbridge.matching.engine.structure import COMPLEMENT
from techbridge.matching.services import index as idx

MAX_K = 100
#: Results of the exchange's search box (five pages of twenty).
SEARCH_K = 100
#: Search-box rankings kept per process (see `_ranked_ids`): {(text, builds, changes): (monotonic time, ids)}.
RANK_CACHE_SIZE = 256
RANK_CACHE_SECONDS = 60
_RANKED: OrderedDict[tuple, tuple[float, list[int]]] = OrderedDict()
_RANKED_LOCK = threading.Lock()


@dataclass
class ProfileMatch:
    """A match as pages, the API and alerts show it: the profile plus the engine's evidence."""

    profile: Profile
    score: float
    explanation: list[str]
    matched_terms: list[str]
    components: dict[str, float]

    @property
    def percent(self) -> int:
        return round(100 * self.score)


def can_see_matches(actor: Actor, profile: Profile) -> bool:
    """The Matches tab: the profile's owners and staff (it shows who else is in the market with them)."""
    return actor.is_staff or exchange_perms.is_owner(actor, profile)


def _eligibility(*, query_fields: dict, exclude_org: int | None, complement: bool, allowed: set[str] | None):
    now = timezone.now()
    index = idx.PROCESS_INDEX
    wanted = COMPLEMENT.get(query_fields.get("kind") or "", set())
    # Similar profiles share the kind, so the complement rule of structured_fit must not apply to them.
    query = query_fields if complement else {k: v for k, v in query_fields.items() if k != "kind"}

    def check(doc_id: str, fields: dict):
        meta = index.meta.get(doc_id)
        if meta is None or (meta.expires_at and meta.expires_at <= now):
            return None
        if allowed is not None and doc_id not in allowed:
            return None
        if exclude_org is not None and meta.organisation_id == exclude_org:
            return None
        if complement and wanted and fields.get("kind") not in wanted:
            return None
        if not complement and fields.get("kind") != query_fields.get("kind"):
            return None
        return structured_fit(query=query, candidate=fields)

    return check


def _materialise(matches: list[Match], *, limit: int) -> list[ProfileMatch]:
    """Fetch the matched profiles in one query, keeping only those still published and valid now."""
    ids = [int(m.doc_id) for m in matches]
    found = {p.pk: p for p in presenters.for_cards(Profile.objects.filter(pk__in=ids, status=Status.PUBLISHED))}
    out = []
    for m in matches:
        profile = found.get(int(m.doc_id))
        if profile is None or not idx.is_matchable(profile):
            continue
        out.append(ProfileMatch(profile=profile, score=round(m.score, 4), explanation=m.explanation,
                                matched_terms=m.matched_terms, components=m.components))
        if len(out) >= limit:
            break
    return out


def rank_for_profile(*, profile: Profile, k: int, complement: bool = True,
                     allowed: set[str] | None = None) -> list[Match]:
    """Engine matches for a profile (no permission check: callers check; the benchmark calls this)."""
    side = idx.complement_side(profile.kind) if complement else idx.side_of(profile.kind)
    engine = idx.PROCESS_INDEX.engine(side)  # brought up to date with the change log first
    doc_id = str(profile.pk)
    own_side = idx.PROCESS_INDEX.engines[idx.side_of(profile.kind)]
    # An indexed profile's fields are in memory as the index has them; reading them saves the relations' queries
    # (a third of a "similar profiles" request). Drafts and other unindexed profiles are read from the database.
    query_fields = own_side.fields.get(doc_id) or idx.profile_fields(profile=profile)
    own = own_side.vectors.passages.get(doc_id)
    vector = own if own is not None else idx.query_vectors(profile=profile)
    check = _eligibility(query_fields=query_fields, exclude_org=profile.organisation_id, complement=complement,
                         allowed=allowed)
    with idx.PROCESS_INDEX.lock:
        return engine.search(query_fields=query_fields, query_vector=vector, k=k, exclude={doc_id},
                             structured=check)


def matches_for(*, actor: Actor, profile: Profile, k: int = 20) -> list[ProfileMatch]:
    """Complementary profiles for the Matches tab: requests -> offers, equipment -> offers, offers -> needs.

    Owners and staff only. Works for drafts too (an owner sees whom their request would reach); the matches
    themselves are always published and valid.
    """
    require(can_see_matches(actor, profile), _("Only the profile's owners and staff see its matches."))
    k = max(1, min(int(k), MAX_K))
    return _materialise(rank_for_profile(profile=profile, k=k + 5), limit=k)


def similar_profiles(*, actor: Actor, profile: Profile, k: int = 5) -> list[ProfileMatch]:
    """Profiles of the same kind as a published one, for its public page (published profiles only)."""
    if profile.status != Status.PUBLISHED or not exchange_perms.can_view(actor, profile):
        return []
    k = max(1, min(int(k), 20))
    return _materialise(rank_for_profile(profile=profile, k=k + 5, complement=False), limit=k)


def rank_text(*, text: str, allowed: set[str] | None = None, kinds: set[str] | None = None,
              k: int = 50, explain: bool = True) -> list[Match]:
    """Published profiles ranked against a free-text description (both sides unless `kinds` narrows them);
    `explain=False` when only the order is used (the search box): same ranking, without the explanations."""
    kinds = kinds or set(Kind.values)
    sides = {idx.side_of(kind) for kind in kinds}
    vector = idx.text_vectors(text=text)
    query_fields = {"title": text, "kind": None}
    engine_kinds = {idx.ENGINE_KIND[kind] for kind in kinds}
    results: list[Match] = []
    now = timezone.now()
    for side in sorted(sides):
        engine = idx.PROCESS_INDEX.engine(side)
        meta = idx.PROCESS_INDEX.meta

        def check(doc_id, fields, meta=meta):
            m = meta.get(doc_id)
            if m is None or (m.expires_at and m.expires_at <= now) or fields.get("kind") not in engine_kinds:
                return None
            if allowed is not None and doc_id not in allowed:
                return None
            return 0.5, []

        with idx.PROCESS_INDEX.lock:
            results.extend(engine.search(query_fields=query_fields, query_vector=vector, k=k, structured=check,
                                         explain=explain))
    # Keep only results with real evidence: a shared term, or a semantic similarity worth showing.
    results = [m for m in results if m.components.get("lexical_raw", 0) > 0 or m.components.get("cosine", 0) >= 0.3]
    results.sort(key=lambda m: -m.score)
    return results[:k]


def search_ranker(actor: Actor, query: str, queryset) -> list[int] | None:
    """The exchange search box: rank the filtered, visible profiles by meaning, not only shared words.

    Returns None (plain keyword search) when the listing includes unpublished profiles (an owner's own
    drafts are not in the index) or when neither words nor meaning found anything.

    The engine ranks its whole index first and one query then keeps the hits the listing may show, so the
    listing's ids are never all fetched (100,000 of them for the public list). Only when the listing's filters
    (kind, country, sector…) drop some of a full top SEARCH_K does it rank again within the listing's ids.
    """
    if not query.strip() or (not exchange_perms.sees_only_published(actor) and _lists_unpublished(queryset)):
        return None
    ranked = _ranked_ids(text=query.strip())
    if not ranked:
        return None
    shown = set(queryset.filter(IdIn(ranked)).values_list("pk", flat=True))
    if len(shown) < len(ranked) == SEARCH_K:
        allowed = {str(pk) for pk in queryset.values_list("pk", flat=True)}
        ranked = [int(m.doc_id) for m in rank_text(text=query, allowed=allowed, k=SEARCH_K, explain=False)] \
            if allowed else []
        shown = set(ranked)
    return [pk for pk in ranked if pk in shown] or None


def _ranked_ids(*, text: str) -> list[int]:
    """The whole index ranked for a search-box text, kept per process while the index does not change.

    Every page of a ranked search (and the same text from the API list) re-ranks the same text; ranking costs
    ~10 ms at 100,000 profiles (without explanations, which the search box never shows: ~43 ms with them),
    fetching a cached list nothing. Entries are keyed by the index's build and change counters, so a profile published
    or withdrawn in any process (the change log) makes them obsolete, and live RANK_CACHE_SECONDS at most.
    """
    index = idx.PROCESS_INDEX
    index.ensure_current(at_most_every=idx.SYNC_INTERVAL)
    key = (text, index.stats["builds"], index.stats["applied"])
    now = time.monotonic()
    with _RANKED_LOCK:
        hit = _RANKED.get(key)
        if hit is not None and now - hit[0] < RANK_CACHE_SECONDS:
            _RANKED.move_to_end(key)
            return hit[1]
    ids = [int(m.doc_id) for m in rank_text(text=text, k=SEARCH_K, explain=False)]
    with _RANKED_LOCK:
        _RANKED[key] = (now, ids)
        while len(_RANKED) > RANK_CACHE_SIZE:
            _RANKED.popitem(last=False)
    return ids


def _lists_unpublished(queryset) -> bool:
    """Whether a listing includes profiles that are not published (so not in the index).

    Asked as `status IN (the other states)`, not `NOT status = 'published'`: on a listing already limited to
    published profiles the latter makes PostgreSQL walk all of them, the former finds nothing in the index.
    """
    return queryset.filter(status__in=[s for s in Status.values if s != Status.PUBLISHED]).exists()


def events_ranker(*, registration, candidates) -> list[tuple[object, float]]:
    """Event marketplace "recommended for you": what one participant offers against what another needs.

    Each registration becomes two texts (offers; needs); a candidate scores by how well their offers answer
    my needs and my offers answer theirs, using the same engine over a tiny ad-hoc index.
    """
    from techbridge.matching.engine import MatchingEngine

    candidates = [c for c in candidates if c.pk != registration.pk]
    if not candidates:
        return []

    def sides(reg) -> tuple[str, str]:
        offers, needs = [reg.headline, reg.offers], [reg.needs]
        for profile in reg.profiles.all():
            (offers if profile.kind == Kind.OFFER else needs).append(f"{profile.title}. {profile.summary}")
        return " ".join(t for t in offers if t), " ".join(t for t in needs if t)

    mine = sides(registration)
    theirs = {str(c.pk): sides(c) for c in candidates}
    scores: dict[str, float] = {}
    for my_text, their_index in ((mine[1], 0), (mine[0], 1)):  # my needs vs their offers, my offers vs needs
        if not my_text.strip():
            continue
        engine = MatchingEngine()
        for doc_id, texts in theirs.items():
            if texts[their_index].strip():
                engine.add_or_update(doc_id=doc_id, fields={"description": texts[their_index]}, vector=None)
        for m in engine.search(query_fields={"description": my_text}, k=len(candidates)):
            raw = m.components.get("lexical_raw", 0.0)
            if raw > 0:  # BM25 squashed to [0, 1): pool-normalised scores are meaningless for tiny pools
                scores[m.doc_id] = scores.get(m.doc_id, 0.0) + raw / (raw + 5.0)
    by_id = {str(c.pk): c for c in candidates}
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], int(kv[0])))
    return [(by_id[doc_id], round(score / 2, 4)) for doc_id, score in ranked]


def match_data(match: ProfileMatch) -> dict:
    """One match for the API (public fields of the matched profile only)."""
    p = match.profile
    return {"id": p.pk, "reference": p.reference, "kind": p.kind, "title": p.title, "summary": p.summary,
            "country": p.country_id, "score": match.score, "explanation": match.explanation,
            "matched_terms": match.matched_terms,
            "components": {k: round(v, 4) for k, v in match.components.items()}}
