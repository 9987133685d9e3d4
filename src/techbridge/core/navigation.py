"""The main menu: each app registers its entries in its AppConfig.ready(), with who may see them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

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
        try:
            result.append({"label": item.label, "url": reverse(item.url_name)})
        except NoReverseMatch:
            continue
    return result
