"""Browser: staff upload a sheet with an error, see it in the preview, fix it, import, and see the activity."""

import pytest

from tests import factories
from tests.programme.sheets import GOOD_ROWS, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_web_import_upload_preview_fix_import_and_see_activity(page, tmp_path):
    factories.UserFactory(email="officer@techbridge.test", is_staff=True)
    row = list(GOOD_ROWS[1])
    row[3] = "18/06/2019"
    bad = write_csv(tmp_path / "activities.csv", [row])
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "officer@techbridge.test")
    page.fill("input[name=password]", "correct-horse-battery")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)

    page.goto("/programme/import/")
    page.select_option("select[name=kind]", "activities")
    page.set_input_files("input[name=file]", str(bad))
    page.click("text=Check the file")
    summary = page.locator("#preview-summary")
    assert "1 problem(s) found" in summary.inner_text()
    problem = page.locator("#problems tbody tr").first.inner_text()
    assert "2" in problem and "start_date" in problem and "18/06/2019" in problem
    assert page.locator("#run-import").count() == 0

    fixed = write_csv(tmp_path / "activities-fixed.csv", [GOOD_ROWS[1]])
    page.click("text=Upload a corrected file")
    page.select_option("select[name=kind]", "activities")
    page.set_input_files("input[name=file]", str(fixed))
    page.click("text=Check the file")
    assert "1 would be created" in page.locator("#preview-summary").inner_text()
    page.click("#run-import")
    page.wait_for_selector("#job-progress[data-state=done]")
    page.click("text=Continue")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == GOOD_ROWS[1][1]
    assert "Bangkok" in page.locator("main").inner_text()
    assert page.js_errors == []
