"""What of a profile a given actor may see, as one dict used by the API, exports and open data.

The public never gets contact details, the organisation's name or private attachments; the owner and staff do.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from techbridge.core.permissions import Actor
from techbridge.core.sanitize import plain_text
from techbridge.exchange import relations
from techbridge.exchange.models import Attachment, Profile
from techbridge.exchange.permissions import can_see_private

PRIVATE_FIELDS = ("organisation_name", "contact_name", "contact_email", "contact_phone")


#: What a profile card or a match shows, and what deciding that a match is still valid reads. Lists and match
#: panels load only these: the long texts (description, advantages, specification…) are most of a row's bytes,
#: and a search page or a similar-profiles panel fetched them for twenty profiles to show none of them.
CARD_FIELDS = ("id", "kind", "reference", "status", "title", "summary", "country__iso2", "country__name",
               "organisation_id", "expires_at", "published_at")


def for_cards(qs: QuerySet) -> QuerySet:
    """`qs` loading only CARD_FIELDS (any other field still loads on access, one query per profile)."""
    return qs.select_related(None).select_related("country").only(*CARD_FIELDS)


def _with_attachments(qs: QuerySet) -> QuerySet:
    return qs.select_related("organisation", "country").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")))


def with_relations(qs: QuerySet) -> QuerySet:
    """Prefetch everything `profile_data` touches, so lists run a fixed number of queries (for long lists read in
    chunks, such as exports; a page or one profile is cheaper with `load`)."""
    return _with_attachments(qs).prefetch_related(*relations.RELATIONS)


def load(qs: QuerySet) -> list[Profile]:
    """The profiles of `qs` (a page or one profile) with everything `profile_data` and the profile page touch:
    3 queries (profiles, attachments, the four reference relations together) instead of 6."""
    return relations.attach(list(_with_attachments(qs)))


def load_one(qs: QuerySet, *, pk: int) -> Profile:
    """`load` for one profile of `qs`; Http404 when `qs` does not hold it (not visible to the caller)."""
    found = load(qs.filter(pk=pk))
    if not found:
        raise Http404
    return found[0]


def profile_data(profile: Profile, actor: Actor, *, private: bool | None = None) -> dict:
    show_private = can_see_private(actor, profile) if private is None else private
    data = {
        "id": profile.pk,
        "reference": profile.reference,
        "kind": profile.kind,
        "status": profile.status,
        "title": profile.title,
        "summary": profile.summary,
        "description": profile.description,
        "advantages": profile.advantages,
        "technical_spec": profile.technical_spec,
        "stage": profile.stage,
        "trl": profile.trl,
        "ipr_status": profile.ipr_status,
        "ipr_notes": profile.ipr_notes,
        "keywords": profile.keyword_list,
        "sectors": [s.code for s in profile.sectors.all()],
        "sdgs": [s.number for s in profile.sdgs.all()],
        "partnership_types": [p.code for p in profile.partnership_types.all()],
        "country": profile.country_id,
        "target_countries": sorted(c.iso2 for c in profile.target_countries.all()),
        "organisation_type": profile.organisation.type,
        "organisation_size": profile.organisation.size,
        "item": profile.item,
        "specification": profile.specification,
        "capacity": profile.capacity,
        "quantity": profile.quantity,
        "budget_min_usd": float(profile.budget_min_usd) if profile.budget_min_usd is not None else None,
        "budget_max_usd": float(profile.budget_max_usd) if profile.budget_max_usd is not None else None,
        "needed_by": profile.needed_by,
        "hs_code": profile.hs_code,
        "published_at": profile.published_at,
        "expires_at": profile.expires_at,
        "attachments": [
            {"name": a.name, "content_type": a.content_type, "size": a.size, "private": a.private}
            for a in profile.attachments.all()
            if show_private or not a.private
        ],
        "organisation_name": profile.organisation.name if show_private else None,
        "contact_name": profile.contact_name if show_private else None,
        "contact_email": profile.contact_email if show_private else None,
        "contact_phone": profile.contact_phone if show_private else None,
    }
    return data


OPEN_DATA_COLUMNS = [
    "reference",
    "kind",
    "title",
    "summary",
    "description",
    "stage",
    "trl",
    "ipr_status",
    "keywords",
    "sectors",
    "sdgs",
    "partnership_types",
    "country",
    "target_countries",
    "organisation_type",
    "organisation_size",
    "item",
    "quantity",
    "needed_by",
    "hs_code",
    "published_at",
    "expires_at",
]


def open_data_row(profile: Profile) -> dict:
    """One published profile as a flat open-data row (public fields only, plain text)."""
    from techbridge.core.permissions import ANONYMOUS

    data = profile_data(profile, ANONYMOUS, private=False)
    row = {name: data[name] for name in OPEN_DATA_COLUMNS}
    row["description"] = plain_text(row["description"])
    for name in ("keywords", "sectors", "sdgs", "partnership_types", "target_countries"):
        row[name] = "; ".join(str(v) for v in row[name])
    for name in ("needed_by", "published_at", "expires_at"):
        row[name] = row[name].isoformat() if row[name] else ""
    return {k: ("" if v is None else v) for k, v in row.items()}
