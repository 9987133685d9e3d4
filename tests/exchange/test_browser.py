"""The issue's end-to-end story in a real Chromium: sign-up to public search, with validation by country."""

import re

import pytest
from django.core import mail

from techbridge.exchange.models import Profile, Status
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r".*/me/.*"))


def test_equipment_request_from_sign_up_to_public_search(page, new_page, live_server):
    focal_bt = factories.FocalPointFactory(country_id="BT", email="focal-bt@techbridge.test")
    focal_in = factories.FocalPointFactory(country_id="IN", email="focal-in@techbridge.test")
    assert focal_bt.pk and focal_in.pk

    # 1. A member signs up and confirms the address from the mail.
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "tashi@paro-agro.bt")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    confirm = [m for m in mail.outbox if "tashi@paro-agro.bt" in m.to][-1]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", confirm.body).group(0)
    page.goto("/accounts/" + link.split("/accounts/", 1)[1])
    page.click("form button[type=submit]")
    page.wait_for_load_state()

    # 2. Registers an organisation in Bhutan and drafts an equipment request.
    page.goto("/me/organisations/new/")
    page.fill("input[name=name]", "Paro Agro Processing")
    page.select_option("select[name=type]", "sme")
    page.select_option("select[name=country]", "BT")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(re.compile(r".*/me/$"))
    page.goto("/exchange/new/?kind=equipment")
    page.fill("input[name=title]", "Small-scale rice milling machine")
    page.fill("textarea[name=summary]", "Our cooperative needs a husker and polisher for red rice.")
    page.fill("input[name=item]", "Rice mill")
    page.fill("input[name=capacity]", "500 kg per hour")
    page.fill("input[name=contact_email]", "tashi@paro-agro.bt")
    page.fill("input[name=contact_phone]", "+975 17 123 456")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(re.compile(r".*/exchange/\d+/$"))
    assert page.inner_text("#status") == "Draft"
    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert page.inner_text("#status") == "Submitted for validation"
    profile = Profile.objects.get(title="Small-scale rice milling machine")
    assert profile.country_id == "BT" and profile.kind == "equipment"

    # 3. India's focal point neither sees it in the queue nor may validate it.
    india = new_page()
    _sign_in(india, "focal-in@techbridge.test")
    india.goto("/exchange/queue/")
    assert "Small-scale rice milling machine" not in india.content()
    response = india.goto(f"/exchange/{profile.pk}/")
    assert response.status == 404

    # 4. Bhutan's focal point validates it from the queue.
    bhutan = new_page()
    _sign_in(bhutan, "focal-bt@techbridge.test")
    bhutan.goto("/exchange/queue/")
    card = bhutan.locator("article.card", has_text="Small-scale rice milling machine")
    card.locator("button", has_text="Validate").click()
    bhutan.wait_for_load_state()
    profile.refresh_from_db()
    assert profile.status == Status.PUBLISHED

    # 5. An anonymous visitor finds it and sees no contact details.
    visitor = new_page()
    visitor.goto("/exchange/?q=rice+mill")
    visitor.click("text=Small-scale rice milling machine")
    visitor.wait_for_url(re.compile(r".*/exchange/\d+/$"))
    html = visitor.content()
    assert "Rice mill" in html and "500 kg per hour" in html
    assert "tashi@paro-agro.bt" not in html and "+975 17 123 456" not in html
    assert "Paro Agro Processing" not in html
    assert not page.js_errors
