"""A small cache-based rate limiter shared by services (EoIs, meeting requests, subscriptions) and the API.

Fixed windows in the default cache: one counter per (key, window), created with `add` and bumped with `incr`,
both atomic in Redis and in the local-memory cache. Cheap enough to call on every write.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from ninja.throttling import BaseThrottle


class RateLimited(ValidationError):  # noqa: N818 - the name reads as the condition callers catch
    """Too many attempts; `retry_after` says in how many seconds the window reopens.

    A ValidationError, so forms show it and the API answers 422 without any extra handling in views.
    """

    def __init__(self, *, key: str, retry_after: float):
        self.key = key
        self.retry_after = max(1, int(retry_after + 0.999))
        super().__init__(
            _("Too many requests. Try again in %(s)s seconds.") % {"s": self.retry_after}, code="rate_limited"
        )


def check_rate(*, key: str, limit: int, period: int) -> None:
    """Count one attempt for `key`; raise RateLimited once more than `limit` fall in the current `period` seconds.

    Services call it before writing, with a key naming the action and the actor (e.g. `eoi:user:42`),
    so one noisy account cannot flood other people's inboxes.
    """
    if limit <= 0 or period <= 0:
        raise ValueError("limit and period must be positive")
    now = time.time()
    window = int(now // period)
    cache_key = f"techbridge:rate:{key}:{period}:{window}"
    if cache.add(cache_key, 1, timeout=period + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=period + 1)
            count = 1
    if count > limit:
        raise RateLimited(key=key, retry_after=(window + 1) * period - now)


def reset_rate(*, key: str, period: int) -> None:
    """Forget the current window of `key` (used after a successful sign-in and in tests)."""
    window = int(time.time() // period)
    cache.delete(f"techbridge:rate:{key}:{period}:{window}")


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


class ApiThrottle(BaseThrottle):
    """django-ninja throttle for the whole API: generous per-token/user and per-address limits per minute.

    Limits come from settings `TECHBRIDGE_API_RATE_USER` and `TECHBRIDGE_API_RATE_ANON` (requests per minute).
    """

    period = 60

    def __init__(self) -> None:
        self._retry_after: float | None = None

    def allow_request(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            key = f"api:user:{user.pk}"
            limit = int(getattr(settings, "TECHBRIDGE_API_RATE_USER", 1200))
        else:
            key = f"api:ip:{_client_ip(request)}"
            limit = int(getattr(settings, "TECHBRIDGE_API_RATE_ANON", 300))
        try:
            check_rate(key=key, limit=limit, period=self.period)
        except RateLimited as exc:
            self._retry_after = exc.retry_after
            return False
        self._retry_after = None
        return True

    def wait(self) -> float | None:
        return self._retry_after
