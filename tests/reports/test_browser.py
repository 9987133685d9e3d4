"""The dashboards in a real Chromium: every chart picture loads (naturalWidth > 0), with a screenshot."""

import datetime as dt

import pytest

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _year_of_data():
    workshop = factories.ActivityFactory(start_date=dt.date(2019, 6, 18), programme_area="technology_transfer",
                                         participants_count=40)
    factories.ActivityFactory(start_date=dt.date(2018, 3, 1), programme_area="emerging_technologies",
                              participants_count=25)
    for country in ("BT", "IN", "NP"):
        factories.ParticipantFactory(activity=factories.ActivityFactory(start_date=dt.date(2019, 9, 1)),
                                     country_id=country)
    return workshop


def _charts_loaded(page) -> list[int]:
    # Charts are drawn on first request; on a busy machine that can take a while, so wait for them explicitly.
    page.wait_for_function("() => [...document.querySelectorAll('section.chart img')].every(img => img.complete)",
                           timeout=90_000)
    return page.eval_on_selector_all(
        "section.chart img", "imgs => imgs.map(img => img.complete ? img.naturalWidth : 0)")


def test_impact_page_renders_its_charts(page, tmp_path):
    _year_of_data()
    page.goto("/reports/impact/?year=2019", wait_until="domcontentloaded", timeout=60_000)
    widths = _charts_loaded(page)
    assert len(widths) == 5 and all(width > 0 for width in widths), widths
    assert page.inner_text("[data-figure=activities]") == "4"
    page.click("#chart-participants-by-country summary")
    assert page.is_visible("#chart-participants-by-country table.data")
    page.screenshot(path=str(tmp_path / "impact.png"), full_page=True)
    assert (tmp_path / "impact.png").stat().st_size > 10_000
    assert page.js_errors == []


def test_staff_dashboard_renders_its_charts(page, tmp_path):
    _year_of_data()
    factories.UserFactory(is_staff=True, email="staff@techbridge.test")
    page.goto("/accounts/login/?next=/reports/%3Fyear%3D2019")
    page.fill("input[name=login]", "staff@techbridge.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/reports/?year=2019", wait_until="domcontentloaded", timeout=60_000)
    widths = _charts_loaded(page)
    assert len(widths) == 5 and all(width > 0 for width in widths), widths
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000
