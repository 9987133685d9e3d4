"""Callbacks the matching app registers with the exchange, the events marketplace and Django's signals.

Kept apart from `apps.py` so the AppConfig only wires things, and each callback says in one place what it
promises to the app that calls it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from techbridge.core.permissions import Actor

INDEX_SETTINGS = {"TECHBRIDGE_INDEX_DIR", "TECHBRIDGE_SEMANTIC", "TECHBRIDGE_ENCODER_VARIANT"}


def on_profile_changed(sender, *, profile_id: int, status: str = "", **kwargs) -> None:
    """A profile was saved or changed state (after commit): re-index it in the background."""
    from django.conf import settings

    from techbridge.matching.tasks import index_profiles_task

    if getattr(settings, "TECHBRIDGE_DEFER_INDEXING", False):  # bulk loads rebuild the index once at the end
        return

    index_profiles_task(profile_ids=[profile_id])


def on_profiles_bulk_changed(sender, *, profile_ids: list[int], **kwargs) -> None:
    """A bulk import published many profiles: index them in chunks so one task never runs for hours."""
    from django.conf import settings

    from techbridge.matching.tasks import index_profiles_task

    if getattr(settings, "TECHBRIDGE_DEFER_INDEXING", False):
        return

    ids = list(profile_ids)
    for start in range(0, len(ids), 1000):
        index_profiles_task(profile_ids=ids[start:start + 1000])


def on_setting_changed(*, setting: str, **kwargs) -> None:
    """A new index directory or semantic switch (tests, reconfiguration) means a new in-memory index."""
    if setting in INDEX_SETTINGS:
        from techbridge.matching.services.index import PROCESS_INDEX

        PROCESS_INDEX.reset()


def matches_tab_visible(actor: Actor, profile) -> bool:
    from techbridge.matching.services.matches import can_see_matches

    return can_see_matches(actor, profile)


def similar_panel(actor: Actor, profile) -> dict | None:
    """"Similar profiles" on a published profile's page; nothing on drafts or when none is found."""
    from techbridge.matching.services import index, matches

    if profile.status != "published":
        return None
    similar = matches.similar_profiles(actor=actor, profile=profile, k=5)
    if not similar:
        return None
    on, _reason = index.semantic_status()
    return {"matches": similar, "semantic": on}


def interest_panel(actor: Actor, profile) -> dict | None:
    """The "Express interest" box for signed-in visitors from other organisations (or their sent EoI)."""
    from techbridge.exchange.permissions import is_owner
    from techbridge.matching.models import ExpressionOfInterest

    if profile.status != "published" or is_owner(actor, profile):
        return None
    if not actor.is_authenticated:
        return {"profile": profile, "anonymous": True}
    sent = ExpressionOfInterest.objects.filter(profile=profile, sender_id=actor.user_id).first()
    return {"profile": profile, "sent": sent, "label": _("Express interest")}


def search_ranker(actor: Actor, query: str, queryset):
    from techbridge.matching.services.matches import search_ranker as rank

    return rank(actor, query, queryset)


def private_access(actor: Actor, profile) -> bool:
    from techbridge.matching.permissions import accepted_counterpart

    return accepted_counterpart(actor, profile)


def private_access_many(actor: Actor, profile_ids: list[int]) -> set[int]:
    from techbridge.matching.permissions import accepted_counterpart_ids

    return accepted_counterpart_ids(actor, profile_ids)


def events_ranker(*, registration, candidates):
    from techbridge.matching.services.matches import events_ranker as rank

    return rank(registration=registration, candidates=candidates)
