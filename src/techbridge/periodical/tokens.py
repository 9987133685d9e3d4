"""Signed links for subscribers: confirm (expiring), manage/export/delete, one-click unsubscribe, open tracking.

Why signed links rather than accounts: readers of the periodical have no TechBridge account. A link signed with the
site's SECRET_KEY proves the reader received mail at that address. Each purpose has its own salt, so an unsubscribe
link cannot be replayed as a delete link. The address is part of the signed value, so a link stops working when
the subscriber is deleted or the address changes.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM_SALT = "techbridge.periodical.confirm"
MANAGE_SALT = "techbridge.periodical.manage"
UNSUBSCRIBE_SALT = "techbridge.periodical.unsubscribe"
OPEN_SALT = "techbridge.periodical.open"

#: How long a confirmation link stays valid (seconds); settings.TECHBRIDGE_SUBSCRIBE_CONFIRM_SECONDS overrides.
DEFAULT_CONFIRM_MAX_AGE = 3 * 24 * 3600


class InvalidToken(Exception):
    """The link is damaged, was made for another purpose, or its subscriber no longer exists."""


class ExpiredToken(InvalidToken):
    """The link was genuine but is too old."""


def confirm_max_age() -> int:
    return int(getattr(settings, "TECHBRIDGE_SUBSCRIBE_CONFIRM_SECONDS", DEFAULT_CONFIRM_MAX_AGE))


def _email_tag(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def make(*, subscriber, salt: str) -> str:
    """A URL-safe token naming the subscriber and (by hash) the address it was issued for."""
    return signing.dumps([subscriber.pk, _email_tag(subscriber.email)], salt=salt, compress=False)


def read(*, token: str, salt: str, max_age: int | None = None):
    """Return the Subscriber a token names, or raise InvalidToken / ExpiredToken."""
    from techbridge.periodical.models import Subscriber

    try:
        pk, tag = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ExpiredToken(str(exc)) from None
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise InvalidToken(str(exc)) from None
    subscriber = Subscriber.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if subscriber is None or _email_tag(subscriber.email) != tag:
        raise InvalidToken("unknown subscriber")
    return subscriber


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def confirm_url(subscriber) -> str:
    return absolute(reverse("periodical:confirm", args=[make(subscriber=subscriber, salt=CONFIRM_SALT)]))


def manage_url(subscriber) -> str:
    return absolute(reverse("periodical:manage", args=[make(subscriber=subscriber, salt=MANAGE_SALT)]))


def unsubscribe_url(subscriber) -> str:
    return absolute(reverse("periodical:unsubscribe", args=[make(subscriber=subscriber, salt=UNSUBSCRIBE_SALT)]))


def open_pixel_url(outbox_id: int) -> str:
    token = signing.dumps(outbox_id, salt=OPEN_SALT)
    return absolute(reverse("periodical:opened", args=[token]))


def read_open_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=OPEN_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
