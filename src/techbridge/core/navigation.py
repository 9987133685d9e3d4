"""The main menu: each app registers its entries in its AppConfig.ready(), with who may see them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from techbridge.core.permissions import Actor


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable[[Actor], bool]
    order: int


_ITEMS: list[NavItem] = []


def register(*, label, url_name: str, visible: Callable[[Actor], bool] = lambda actor: True, order: int = 50):
    if any(item.url_name == url_name for item in _ITEMS):
        return
    _ITEMS.append(NavItem(label=label, url_name=url_name, visible=visible, order=order))


def items_for(actor: Actor) -> list[dict]:
    result = []
    for item in sorted(_ITEMS, key=lambda i: i.order):
        if not item.visible(actor):
            continue
        url = _url(item.url_name, get_script_prefix(), get_urlconf())
        if url is not None:
            result.append({"label": item.label, "url": url})
    return result


@lru_cache(maxsize=256)
def _url(url_name: str, script_prefix: str, urlconf) -> str | None:
    """The menu runs on every page: reverse each entry once per URL configuration, not once per request."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None
