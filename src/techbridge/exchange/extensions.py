"""Extension points of the profile page: other apps add tabs (e.g. "Matches") and panels (e.g. "Similar").

Registered in the other app's AppConfig.ready(), so the exchange app never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from techbridge.core.permissions import Actor


@dataclass(frozen=True)
class ProfileTab:
    key: str
    label: str
    url_name: str
    visible: Callable[[Actor, object], bool]


@dataclass(frozen=True)
class ProfilePanel:
    key: str
    template: str
    context: Callable[[Actor, object], dict | None]


_TABS: dict[str, ProfileTab] = {}
_PANELS: dict[str, ProfilePanel] = {}


def register_tab(*, key: str, label, url_name: str, visible: Callable[[Actor, object], bool]) -> None:
    _TABS[key] = ProfileTab(key=key, label=label, url_name=url_name, visible=visible)


def register_panel(*, key: str, template: str, context: Callable[[Actor, object], dict | None]) -> None:
    _PANELS[key] = ProfilePanel(key=key, template=template, context=context)


def tabs_for(actor: Actor, profile) -> list[dict]:
    return [
        {"key": tab.key, "label": tab.label, "url": reverse(tab.url_name, args=[profile.pk])}
        for tab in _TABS.values()
        if tab.visible(actor, profile)
    ]


def panels_for(actor: Actor, profile) -> list[dict]:
    result = []
    for panel in _PANELS.values():
        context = panel.context(actor, profile)
        if context is not None:
            result.append({"template": panel.template, "context": context})
    return result


# --- search ranking and private access ------------------------------------------------------------------------

#: fn(actor, query_text, queryset) -> list of profile ids in rank order, or None to keep the default order.
_SEARCH_RANKERS: list[Callable] = []
#: fn(actor, profile) -> bool: grants sight of contact details (e.g. an accepted expression of interest).
_PRIVATE_ACCESS: list[Callable] = []
#: The same question for a page of profiles at once: fn -> many(actor, profile_ids) -> set of ids granted.
_PRIVATE_ACCESS_MANY: dict[Callable, Callable] = {}


def register_search_ranker(fn: Callable) -> None:
    if fn not in _SEARCH_RANKERS:
        _SEARCH_RANKERS.append(fn)


def register_private_access(fn: Callable, *, many: Callable | None = None) -> None:
    """`fn(actor, profile)`; `many(actor, profile_ids) -> set[int]` answers for a whole list in a few queries."""
    if fn not in _PRIVATE_ACCESS:
        _PRIVATE_ACCESS.append(fn)
    if many is not None:
        _PRIVATE_ACCESS_MANY[fn] = many


def rank_search(actor: Actor, query: str, queryset) -> list[int] | None:
    """Ranked ids from the first ranker that answers (the matching app's semantic search), else None."""
    for ranker in _SEARCH_RANKERS:
        ranked = ranker(actor, query, queryset)
        if ranked is not None:
            return ranked
    return None


def has_private_access(actor: Actor, profile) -> bool:
    return any(fn(actor, profile) for fn in _PRIVATE_ACCESS)


def private_access_ids(actor: Actor, profiles: list) -> set[int]:
    """Ids among `profiles` some hook grants private access to (lists: not one query per profile and hook)."""
    granted: set[int] = set()
    for fn in _PRIVATE_ACCESS:
        rest = [p for p in profiles if p.pk not in granted]
        if not rest:
            break
        many = _PRIVATE_ACCESS_MANY.get(fn)
        if many is not None:
            granted |= set(many(actor, [p.pk for p in rest]))
        else:
            granted |= {p.pk for p in rest if fn(actor, p)}
    return granted
