"""The JSON API at /api/v1/ (django-ninja); its OpenAPI 3 schema is at /api/v1/openapi.json."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from techbridge.core.api_auth import API_AUTH, api_actor
from techbridge.core.security.openapi import complete_schema
from techbridge.core.security.ratelimit import ApiThrottle


class TechBridgeAPI(NinjaAPI):
    """Serves a schema that also documents the answers every operation can give (401/403/404/422/429)."""

    def get_openapi_schema(self, *args, **kwargs):
        return complete_schema(super().get_openapi_schema(*args, **kwargs))


api = TechBridgeAPI(
    title="TechBridge API",
    version="1",
    description="Technology exchange, matchmaking, events, capacity building, periodical and reports.",
    auth=API_AUTH,
    throttle=[ApiThrottle()],
    urls_namespace="api",
)


def _field_errors(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    errors = _field_errors(exc)
    first = next(iter(errors.items()))
    return api.create_response(
        request, {"detail": f"{first[0]}: {first[1][0]}", "errors": errors}, status=422
    )


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc):
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(part) for part in item.get("loc", []) if part not in ("body", "payload", "query", "path")]
        errors.setdefault(".".join(loc) or "__all__", []).append(item.get("msg", "invalid"))
    first = next(iter(errors.items()), ("__all__", ["invalid input"]))
    return api.create_response(
        request, {"detail": f"{first[0]}: {first[1][0]}", "errors": errors}, status=422
    )


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    if not api_actor(request).is_authenticated:
        return api.create_response(request, {"detail": "Authentication required."}, status=401)
    return api.create_response(request, {"detail": str(exc) or "Forbidden."}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(request, {"detail": "Authentication required."}, status=401)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _register() -> None:
    from techbridge.core.api import router as core_router
    from techbridge.events.api import router as events_router
    from techbridge.exchange.api import router as exchange_router
    from techbridge.funding.api import router as funding_router
    from techbridge.matching.api import router as matching_router
    from techbridge.periodical.api import router as periodical_router
    from techbridge.programme.api import router as programme_router
    from techbridge.reports.api import router as reports_router

    api.add_router("/", core_router)
    api.add_router("/profiles", exchange_router)
    api.add_router("/matching", matching_router)
    api.add_router("/events", events_router)
    api.add_router("/programme", programme_router)
    api.add_router("/periodical", periodical_router)
    api.add_router("/contributions", funding_router)
    api.add_router("/reports", reports_router)


_register()
