"""Security headers every response carries (a strict Content-Security-Policy and friends), and the answer when
the database is briefly unavailable."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """Add CSP, Permissions-Policy and cross-origin headers; no inline script or style is ever allowed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/v1/docs"):
            # The interactive API docs page is the one place that needs its bundled script's inline bootstrap.
            response.headers.setdefault(
                "Content-Security-Policy",
                CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
            )
        else:
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


#: Seconds a client is asked to wait when the database is briefly unavailable.
RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    """A view that finds the database gone (restarting, failing over, out of connections) answers 503 with
    `Retry-After`, not 500: the request did nothing wrong and may simply be sent again. The answer renders no
    template and reads nothing (the database is what is missing): JSON for the API, plain text for pages.
    The failed request's transaction was rolled back, so retrying it cannot double a write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        # Logged with its traceback: on SQLite a missing table is an OperationalError too, and must not hide.
        logger.error("database unavailable for %s %s", request.method, request.path, exc_info=exception)
        message = _("The database is unavailable for a moment. Please try again in a few seconds.")
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
