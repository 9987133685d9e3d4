"""Make the served OpenAPI schema say what the API really answers, so clients and fuzzers can trust it.

django-ninja documents only the responses each operation declares. Every operation can also answer:
422 (input that fails schema validation), 400 (a body that is not JSON), 404 (an id that matches nothing),
401 (a wrong token), 403 (a service's permission check), 429 (the API throttle); and operations with the
Anonymous fallback accept callers without credentials, which OpenAPI writes as an empty security requirement `{}`.
"""

from __future__ import annotations

import copy

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["detail"],
}
_DESCRIPTIONS = {
    "400": "Malformed request body",
    "401": "Missing or wrong credentials",
    "403": "Not allowed for this caller",
    "404": "Not found",
    "422": "Invalid input",
    "429": "Too many requests",
}


def _error_response(code: str) -> dict:
    return {"description": _DESCRIPTIONS[code], "content": {"application/json": {"schema": ERROR_SCHEMA}}}


def complete_schema(schema: dict, *, anonymous_allowed: bool = True) -> dict:
    """Return a copy of `schema` with the implicit responses and the optional-auth requirement added.

    Idempotent: responses an operation already documents are left as they are.
    """
    result = copy.deepcopy(schema)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            codes = ["422", "429"]
            if method in {"post", "put", "patch"} and "requestBody" in operation:
                codes.append("400")
            if "{" in path:
                codes.append("404")
            security = operation.get("security")
            if security:
                # Services raise PermissionDenied anywhere; the API maps it to 401 (anonymous) or 403.
                codes.extend(["401", "403"])
                if anonymous_allowed and {} not in security:
                    security.append({})
            for code in codes:
                responses.setdefault(code, _error_response(code))
    return result
