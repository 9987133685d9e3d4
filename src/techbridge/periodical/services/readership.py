"""Counting readers without tracking them: one counter per page, month and country.

Why this shape: the annual report needs "visitors per country" and nothing more. The reader's address is only
looked up in a local GeoIP database (if `settings.GEOIP_PATH` is set and `geoip2` is installed) during the request
and then forgotten; no address, cookie, user agent or visitor id is stored, so there is nothing personal to leak,
export or erase. Without a GeoIP database every view counts as country "unknown".
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from techbridge.periodical.models import PageView

_BOTS = re.compile(r"bot|crawl|spider|slurp|preview|monitor|curl|wget|python-requests|headless", re.IGNORECASE)


@lru_cache(maxsize=4)
def _reader(path: str):
    try:
        import geoip2.database
    except ImportError:
        return None
    try:
        return geoip2.database.Reader(path)
    except (OSError, ValueError):
        return None


def country_for(*, ip: str) -> str:
    """ISO code of an address's country from the configured GeoIP database, or "" (unknown)."""
    path = getattr(settings, "GEOIP_PATH", "")
    if not path or not ip:
        return ""
    reader = _reader(str(path))
    if reader is None:
        return ""
    try:
        code = reader.country(ip).country.iso_code
    except Exception:  # noqa: BLE001 - unknown or private addresses, corrupt entries: count as unknown
        return ""
    return (code or "").upper()[:2]


def is_bot(*, user_agent: str) -> bool:
    return bool(_BOTS.search(user_agent or ""))


def record_view(*, target: str, object_id: int, ip: str, user_agent: str, today: date | None = None) -> bool:
    """Add one view to its (page, month, country) counter; crawlers are not counted. Returns whether it counted."""
    if is_bot(user_agent=user_agent):
        return False
    month = (today or timezone.localdate()).replace(day=1)
    country = country_for(ip=ip)
    key = {"target": target, "object_id": object_id, "month": month, "country": country}
    if PageView.objects.filter(**key).update(count=F("count") + 1):
        return True
    try:
        with transaction.atomic():
            PageView.objects.create(**key, count=1)
    except IntegrityError:  # another request created the bucket meanwhile
        PageView.objects.filter(**key).update(count=F("count") + 1)
    return True


def view_from_request(*, request, target: str, object_id: int) -> bool:
    """Count a page view from a request: only the address's country survives the call."""
    return record_view(target=target, object_id=object_id, ip=request.META.get("REMOTE_ADDR", ""),
                       user_agent=request.META.get("HTTP_USER_AGENT", ""))
