"""Authentication for the JSON API: personal tokens (Bearer), the browser session, or anonymous."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from techbridge.core.models import ApiToken
from techbridge.core.permissions import ANONYMOUS, Actor, actor_for

#: `last_used_at` is a "when was this token last seen" hint on the account page, not an access log (the audit log
#: is that): writing it on every call made every API read a write transaction. It moves at most this often.
TOKEN_TOUCH_EVERY = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer tb_…` — a token created on the account page or with `techbridge token`."""

    def authenticate(self, request, token):
        found = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(token)).first()
        if found is None or not found.user.is_active:
            # A wrong or revoked token is refused (401), never silently served as the anonymous public.
            raise AuthenticationError()
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= TOKEN_TOUCH_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session (CSRF-checked for unsafe methods)."""

    param_name = "sessionid"

    def _get_key(self, request):
        return None

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            from django.middleware.csrf import CsrfViewMiddleware

            reason = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if reason is not None:
                return None
        return user


class Anonymous:
    """Lets unauthenticated callers through; services then apply the public role."""

    openapi_type = None

    def __call__(self, request):
        return "anonymous"


def api_actor(request) -> Actor:
    auth = getattr(request, "auth", None)
    if auth is None or auth == "anonymous":
        return ANONYMOUS
    return actor_for(auth)


API_AUTH = [TokenAuth(), SessionAuth(), Anonymous()]
