"""Shared fixtures: users in every role, organisations, and a client signed in as each."""

from __future__ import annotations

import os

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _media_and_mail(settings, tmp_path):
    from django.core.cache import cache

    cache.clear()  # rate-limit counters must not leak from one test into the next
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


CHROMIUM = os.environ.get("TECHBRIDGE_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def _browser():
    """One headless Debian Chromium for the session, driven by Playwright (no browser download)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(_browser, live_server):
    """A fresh browser context (own cookies) per test; `page.base_url` is the live server."""
    context = _browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors
    yield pg
    context.close()


@pytest.fixture
def new_page(_browser, live_server):
    """Factory for extra independent browser sessions (e.g. a second user) in one test."""
    contexts = []

    def make():
        context = _browser.new_context(base_url=live_server.url)
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
