"""Expressions of interest in a real Chromium: contacts appear for both sides only after acceptance."""

import re

import pytest
from django.core.cache import cache

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r".*/me/.*"))


def test_interest_sent_then_accepted_reveals_contacts_to_both_sides(page, new_page, org_a, org_b):
    cache.clear()
    owner = factories.MemberFactory(organisation=org_a, email="owner@druk-agro.bt", full_name="Karma Owner")
    sender = factories.MemberFactory(organisation=org_b, email="buyer@pune.in", full_name="Priya Buyer")
    offer = factories.offer(organisation=org_a, title="Compact paddy dehusker", contact_email="sales@druk-agro.bt")

    _sign_in(page, sender.email)
    page.goto(f"/exchange/{offer.pk}/")
    assert "sales@druk-agro.bt" not in page.content()
    page.click("#express-interest")
    page.fill("textarea[name=offer_or_seek]", "We seek a dehusker for 2 t of paddy a day.")
    page.fill("textarea[name=why_this]", "Your capacity fits our mill.")
    page.fill("textarea[name=next_step]", "A video call next week.")
    page.fill("textarea[name=message]", "Hello from Pune.")
    page.click("#interest-form button")
    page.wait_for_url(re.compile(r".*/matching/interests/\d+/$"))
    assert page.inner_text("#eoi-status") == "Waiting for an answer"
    assert page.locator("#profile-hidden").is_visible()
    eoi_url = page.url

    owner_page = new_page()
    _sign_in(owner_page, owner.email)
    owner_page.goto(eoi_url)
    assert "Your capacity fits our mill." in owner_page.content()
    assert owner_page.locator("#sender-hidden").is_visible() and "buyer@pune.in" not in owner_page.content()
    owner_page.click("#accept")
    owner_page.wait_for_load_state()
    assert owner_page.inner_text("#eoi-status") == "Accepted"
    assert "buyer@pune.in" in owner_page.inner_text("#sender-contact")

    page.reload()
    assert "sales@druk-agro.bt" in page.inner_text("#profile-contact")
    page.goto(f"/exchange/{offer.pk}/")
    assert "sales@druk-agro.bt" in page.inner_text("#contact")
    assert page.js_errors == [] and owner_page is not None
