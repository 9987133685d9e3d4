"""Schemathesis against the live WSGI app's `/api/v1/openapi.json`, every check, as each role.

`FUZZ_EXAMPLES` (default 100) sets the examples per operation of the fuzzing phase; the coverage and
examples phases run in addition. A 5xx or a schema violation is a bug to fix, never to baseline.
"""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from werkzeug.test import Client

from techbridge.core.permissions import actor_for
from techbridge.core.security.openapi import complete_schema
from techbridge.core.services import create_api_token
from tests import factories

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
APP = get_wsgi_application()


def _load_schema() -> dict:
    """The schema as served, completed by `complete_schema` (idempotent: a no-op once the API applies it)."""
    response = Client(APP).get("/api/v1/openapi.json", headers={"Host": "localhost"})
    assert response.status_code == 200, response.status_code
    return complete_schema(json.loads(response.get_data()))


CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "seed": 20261125,
        "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
        "generation": {"max-examples": FUZZ_EXAMPLES, "database": "none"},
        "checks": {
            "enabled": True,
            # 422 is how services refuse well-formed input that breaks a business rule (unknown country,
            # a transition not allowed from this state): the schema cannot express those rules.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]},
        },
    }
)
schema = schemathesis.openapi.from_dict(_load_schema(), config=CONFIG)
schema.app = APP
#: The world fixture is created once per operation and shared by that operation's examples on purpose.
SHARED_WORLD = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


@pytest.fixture
def world(db):
    """Objects the generated ids can reach, in several states and two organisations.

    Like Django's test client, requests keep the test's database connection open (the WSGI handler would
    close it after every request and lose the test transaction).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield _make_world()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _make_world() -> dict:
    org_a = factories.OrganisationFactory(country_id="BT")
    member = factories.MemberFactory(organisation=org_a)
    factories.PublishedProfileFactory(organisation=org_a)
    factories.ProfileFactory(organisation=org_a)
    factories.PublishedProfileFactory(organisation=factories.OrganisationFactory(country_id="IN"))
    focal = factories.FocalPointFactory(country_id="BT")
    staff = factories.UserFactory(is_staff=True)
    return {"member": member, "focal": focal, "staff": staff}


def _headers(world, role: str) -> dict:
    if role == "anonymous":
        return {}
    if f"{role}_token" not in world:
        _token, raw = create_api_token(actor=actor_for(world[role]), name="fuzz")
        world[f"{role}_token"] = raw
    return {"Authorization": f"Bearer {world[f'{role}_token']}"}


def _run(case, world, role):
    case.call_and_validate(headers=_headers(world, role))


@schema.parametrize()
@SHARED_WORLD
def test_api_fuzz_anonymous(case, world):
    _run(case, world, "anonymous")


@schema.parametrize()
@SHARED_WORLD
def test_api_fuzz_member(case, world):
    _run(case, world, "member")


@schema.parametrize()
@SHARED_WORLD
def test_api_fuzz_focal_point(case, world):
    _run(case, world, "focal")


@schema.parametrize()
@SHARED_WORLD
def test_api_fuzz_staff(case, world):
    _run(case, world, "staff")
