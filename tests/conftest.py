"""Shared fixtures: users in every role, organisations, and a client signed in as each."""

from __future__ import annotations

import os

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _media_and_mail(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TECHBRIDGE_INDEX_DIR = tmp_path / "index"


@pytest.fixture
def staff(db):
    return factories.UserFactory(is_staff=True, email="staff@techbridge.test")


@pytest.fixture
def org_a(db):
    return factories.OrganisationFactory(name="Druk Agro Mills", country_id="BT")


@pytest.fixture
def org_b(db):
    return factories.OrganisationFactory(name="Pune Machine Works", country_id="IN")


@pytest.fixture
def member_a(org_a):
    return factories.MemberFactory(organisation=org_a, email="member-a@techbridge.test")


@pytest.fixture
def member_b(org_b):
    return factories.MemberFactory(organisation=org_b, email="member-b@techbridge.test")


@pytest.fixture
def focal_bt(db):
    return factories.FocalPointFactory(country_id="BT", email="focal-bt@techbridge.test")


@pytest.fixture
def focal_in(db):
    return factories.FocalPointFactory(country_id="IN", email="focal-in@techbridge.test")


@pytest.fixture
def client_for(client):
    """`client_for(user)` returns a test client signed in as that user (None: anonymous)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


def pytest_collection_modifyitems(config, items):
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
