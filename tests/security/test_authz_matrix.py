"""Authorisation matrix: every URL pattern × six roles × read/write, against the table in `authz_table`.

An unexpected allow fails (the point), and so does an unexpected refusal (the table must stay true), a 5xx,
or a URL pattern the table does not declare. Each write runs in a savepoint that is rolled back, so one
role's allowed POST cannot change what the next role sees.
"""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.authz_table import API, EXCLUDED_NAMESPACES, READ, WEB
from tests.security.world import ROLES, World

LOGIN_PREFIXES = ("/accounts/login/", "/admin/login/")


def walk_patterns(resolver=None, namespace: str | None = None):
    """Every URL pattern as `namespace:name` (unnamed ones as their route)."""
    for name, _pattern in walk_patterns_with_objects(resolver, namespace):
        yield name


def walk_patterns_with_objects(resolver=None, namespace: str | None = None):
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            inner = item.namespace
            yield from walk_patterns_with_objects(
                item, f"{namespace}:{inner}" if namespace and inner else inner or namespace
            )
        elif isinstance(item, URLPattern):
            name = item.name or f"<unnamed {item.pattern}>"
            yield (f"{namespace}:{name}" if namespace else name), item


def outcome(response) -> str:
    """'allow', 'deny' or 'error' for one response."""
    code = response.status_code
    if code >= 500:
        return "error"
    if code in (401, 403, 404, 405):
        return "deny"
    if code in (301, 302, 303) and response["Location"].startswith(LOGIN_PREFIXES):
        return "deny"
    return "allow"


def header_problems(response, where: str) -> list[str]:
    """Every answer carries the strict CSP and the other security headers (no inline script, no framing)."""
    csp = response.get("Content-Security-Policy", "")
    problems = []
    if "script-src 'self'" not in csp or "'unsafe-inline'" in csp or "'unsafe-eval'" in csp:
        problems.append(f"{where}: weak or missing CSP {csp!r}")
    if "frame-ancestors 'none'" not in csp or response.get("X-Frame-Options") != "DENY":
        problems.append(f"{where}: framing not refused")
    if response.get("X-Content-Type-Options") != "nosniff" or not response.get("Referrer-Policy"):
        problems.append(f"{where}: nosniff/referrer policy missing")
    return problems


def clients(world: World) -> dict[str, Client]:
    result = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if world.users[role] is not None:
            client.force_login(world.users[role])
        result[role] = client
    return result


def check_rule(world: World, name: str, rule, role_clients) -> list[str]:
    kwargs = {k: v for k, v in rule.kwargs(world).items() if not k.startswith("_")}
    url = reverse(name, kwargs=kwargs)
    problems = []
    post_allowed = rule.get if rule.post == READ else rule.post
    data = rule.data(world)  # built before the savepoints, so lazily created objects survive the rollbacks
    for method, allowed in (("GET", rule.get), ("POST", post_allowed)):
        for role in ROLES:
            with transaction.atomic():
                client = role_clients[role]
                response = client.get(url) if method == "GET" else client.post(url, data=data)
                transaction.set_rollback(True)
            if response.streaming:  # drain file responses so their files are closed (no ResourceWarning)
                b"".join(response.streaming_content)
            problems += header_problems(response, f"{method} {url} as {role}")
            got = "deny" if response.status_code in rule.deny_statuses else outcome(response)
            expected = "allow" if role in allowed else "deny"
            if got != expected:
                where = response.get("Location", "")
                problems.append(f"{method} {url} as {role}: expected {expected}, got {response.status_code} {where}")
    return problems


@pytest.mark.django_db
def test_authz_table_declares_every_url_pattern():
    names = {n for n in walk_patterns() if n.split(":")[0] not in EXCLUDED_NAMESPACES}
    undeclared = sorted(names - set(WEB))
    stale = sorted(set(WEB) - names)
    assert not undeclared, f"declare these URL patterns in tests/security/authz_table.py: {undeclared}"
    assert not stale, f"these table entries name no URL pattern any more: {stale}"


def _declared():
    names = {n for n in walk_patterns()}
    return sorted(n for n in WEB if n in names)


@pytest.mark.django_db
@pytest.mark.parametrize("name", _declared())
def test_authz_matrix_url(name):
    world = World()
    role_clients = clients(world)
    problems = []
    for rule in WEB[name]:
        problems += check_rule(world, name, rule, role_clients)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_admin_every_pattern_refuses_non_staff():
    """Every admin URL sends anonymous users, members and focal points to the admin sign-in."""
    world = World()
    role_clients = clients(world)
    fillers = {"object_id": "1", "app_label": "core", "content_type_id": "1", "id": "1"}
    problems = []
    for name, pattern in walk_patterns_with_objects():
        if not name.startswith("admin:") or name in ("admin:login", "admin:logout"):
            continue
        kwargs = {key: fillers.get(key, "1") for key in pattern.pattern.regex.groupindex}
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:  # noqa: BLE001 - a converter refusing our filler: try the bare name
            continue
        for role in ("anonymous", "member_a", "focal_bt"):
            response = role_clients[role].get(url)
            if outcome(response) != "deny":
                problems.append(f"GET {url} as {role}: {response.status_code}")
    assert not problems, "\n".join(problems)


# --- the JSON API --------------------------------------------------------------------------------------------

def api_operations() -> list[str]:
    from techbridge.api import api

    schema = api.get_openapi_schema()
    return sorted(f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops)


def test_authz_api_table_declares_every_operation():
    operations = set(api_operations())
    undeclared = sorted(operations - set(API))
    stale = sorted(set(API) - operations)
    assert not undeclared, f"declare these API operations in tests/security/authz_table.py: {undeclared}"
    assert not stale, f"these API table entries name no operation any more: {stale}"


def _api_call(world, role, method, url, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client(raise_request_exception=False)
    headers = {"Authorization": f"Bearer {world.token(role)}"} if role != "anonymous" else {}
    if method == "GET":
        return client.get(url, headers=headers)
    if data == "multipart":
        upload = SimpleUploadedFile("a.csv", b"code,title\n", content_type="text/csv")
        return client.post(url, {"file": upload}, headers=headers)
    return client.generic(method, url, data=json.dumps(data), content_type="application/json", headers=headers)


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(set(API) & set(api_operations())))
def test_authz_matrix_api(operation):
    world = World()
    method, path = operation.split(" ", 1)
    problems = []
    for rule in API[operation]:
        kwargs = rule.kwargs(world)
        url = path
        for key, value in kwargs.items():
            url = url.replace("{" + key + "}", str(value))
        if "?" in kwargs:
            url += "?" + kwargs["?"]
        data = rule.data(world)
        allowed = rule.get if method == "GET" else rule.post
        for role in ROLES:
            world.token(role)
            with transaction.atomic():
                response = _api_call(world, role, method, url, data)
                transaction.set_rollback(True)
            got = "deny" if response.status_code in rule.deny_statuses else outcome(response)
            expected = "allow" if role in allowed else "deny"
            if got != expected:
                problems.append(f"{method} {url} as {role}: expected {expected}, got {response.status_code} "
                                f"{response.content[:200]!r}")
    assert not problems, "\n".join(problems)
