"""The issue's story in a real Chromium: two participants register, one requests a meeting, the other accepts,
the organiser schedules, both agendas show the same slot and table, and the .ics file parses."""

import re

import pytest
from icalendar import Calendar

from techbridge.events.models import Meeting
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r".*/me/.*"))


def _register(page, event, *, ptype, needs):
    page.goto(f"/events/{event.pk}/")
    page.click("#register")
    page.select_option("select[name=participation_type]", str(ptype.pk))
    page.fill("textarea[name=needs]", needs)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(re.compile(rf".*/events/{event.pk}/$"))
    assert page.inner_text("#registration-status") == "Pending"


def _agenda_row(page, event):
    page.goto(f"/events/{event.pk}/agenda/")
    row = page.locator("#agenda tbody tr[data-meeting]")
    assert row.count() == 1
    return row.get_attribute("data-meeting"), row.locator(".slot-time").inner_text(), \
        row.locator(".table-no").inner_text()


def test_register_request_accept_schedule_and_matching_agendas(page, new_page, live_server):
    staff = factories.UserFactory(is_staff=True, email="organiser@techbridge.test")
    org_a = factories.OrganisationFactory(name="Druk Agro Mills", country_id="BT")
    org_b = factories.OrganisationFactory(name="Pune Machine Works", country_id="IN")
    member_a = factories.MemberFactory(organisation=org_a, email="karma@druk.test")
    member_b = factories.MemberFactory(organisation=org_b, email="priya@pune.test")
    event = factories.event_with_slots(tables=4)
    event.organisers.add(staff)
    seeker = factories.ParticipationTypeFactory(event=event, name="Technology seeker")

    # 1. Both participants register (each in their own browser session).
    _sign_in(page, member_a.email)
    _register(page, event, ptype=seeker, needs="Rice milling machines")
    page_b = new_page()
    _sign_in(page_b, member_b.email)
    _register(page_b, event, ptype=seeker, needs="Partners for rice mills in Bhutan")

    # 2. The organiser approves both registrations.
    organiser = new_page()
    _sign_in(organiser, staff.email)
    organiser.goto(f"/events/{event.pk}/registrations/")
    for _ in range(2):
        organiser.locator("button.approve").first.click()
        organiser.wait_for_load_state()
    assert organiser.locator("button.approve").count() == 0

    # 3. A finds B in the marketplace and requests a meeting.
    page.goto(f"/events/{event.pk}/participants/")
    page.click("article.participant:has-text('Pune Machine Works') h3 a")
    page.fill("textarea[name=message]", "We would like to license your rice mill.")
    page.click("#send-request")
    page.wait_for_url(re.compile(rf".*/events/{event.pk}/requests/$"))
    assert page.locator("#outgoing .request-status").inner_text() == "Requested"

    # 4. B accepts.
    page_b.goto(f"/events/{event.pk}/requests/")
    page_b.click("#incoming button.accept")
    page_b.wait_for_load_state()
    assert page_b.locator("#incoming .request-status").inner_text() == "Accepted"

    # 5. The organiser schedules everything; the job page reports it done, the report shows it.
    organiser.goto(f"/events/{event.pk}/schedule/")
    organiser.click("#schedule-all")
    organiser.wait_for_url(re.compile(r".*/jobs/.*"))
    organiser.wait_for_selector("#job-progress[data-state=done]")
    organiser.goto(f"/events/{event.pk}/schedule/")
    assert organiser.inner_text("#report-scheduled").startswith("1 / 1")
    assert organiser.inner_text("#report-ratio") == "100.0 %"

    # 6. Both agendas show the same meeting, slot and table.
    row_a, row_b = _agenda_row(page, event), _agenda_row(page_b, event)
    assert row_a == row_b
    meeting = Meeting.objects.select_related("slot").get()
    assert row_a[0] == str(meeting.pk) and row_a[2] == str(meeting.table)

    # 7. The .ics file downloads with the session cookie and parses to the same meeting.
    response = page.request.get(f"{live_server.url}/events/{event.pk}/agenda.ics")
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    items = list(Calendar.from_ical(response.body()).walk("VEVENT"))
    assert len(items) == 1 and items[0].decoded("dtstart") == meeting.slot.starts_at
    assert f"Table {meeting.table}" in str(items[0]["location"])
    assert page.js_errors == []
