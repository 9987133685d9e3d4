import io
from datetime import date

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from techbridge.core.permissions import actor_for
from techbridge.events import agenda, figures, stats
from techbridge.events.models import Meeting
from techbridge.events.services import booking, day, requests
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(staff, org_a, org_b):
    event = factories.event_with_slots(tables=4)
    a = factories.approved_participant(event=event, organisation=org_a)
    b = factories.approved_participant(event=event, organisation=org_b)
    req = requests.send_request(actor=actor_for(a.user), event=event, recipient=b, message="Rice mills")
    requests.accept_request(actor=actor_for(b.user), request=req)
    slot = event.slots.order_by("starts_at")[2]  # 01:40 UTC = 09:40 in Kunming
    booking.book_meeting(actor=actor_for(staff), meeting=req.meeting, slot=slot, table=3)
    return event, a, b, Meeting.objects.get(request=req)


def test_agenda_rows_show_local_time_table_and_counterpart(booked):
    event, a, b, meeting = booked
    rows = agenda.agenda_rows(registration=a)
    assert [(r.starts_at.strftime("%H:%M"), r.table, r.counterpart.pk) for r in rows] == [("09:40", 3, b.pk)]
    assert agenda.agenda_rows(registration=b)[0].counterpart.pk == a.pk


def test_agenda_ics_parses_with_utc_times_and_stable_uid(booked):
    event, a, b, meeting = booked
    cal = Calendar.from_ical(agenda.agenda_ics(registration=a))
    items = list(cal.walk("VEVENT"))
    assert len(items) == 1
    item = items[0]
    assert item.decoded("dtstart") == meeting.slot.starts_at
    assert item.decoded("dtend") == meeting.slot.ends_at
    assert str(item["uid"]).startswith(f"event{event.pk}-meeting{meeting.pk}@")
    assert "Table 3" in str(item["location"]) and b.organisation.name in str(item["summary"])


def test_agenda_pdf_is_a_pdf_naming_the_counterpart(booked):
    event, a, b, meeting = booked
    pdf = agenda.agenda_pdf(registration=a)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert pdf.startswith(b"%PDF") and b.organisation.name in text and "09:40" in text


def test_table_plan_places_meeting_at_its_table(booked):
    event, a, b, meeting = booked
    plan = agenda.table_plan(event=event)
    assert len(plan) == 6 and all(len(row["cells"]) == 4 for row in plan)
    assert plan[2]["cells"][2] == meeting and plan[2]["used"] == 1 and plan[0]["used"] == 0


def test_statistics_count_each_side_by_country_and_total_once(booked, staff):
    event, a, b, meeting = booked
    day.check_in(actor=actor_for(staff), meeting=meeting, attendance="held")
    day.record_outcome(actor=actor_for(a.user), meeting=meeting, outcome="further_talks", notes="Pilot in Paro")
    factories.approved_participant(event=event, organisation=a.organisation, status="pending")
    data = stats.event_statistics(event=event)
    assert data["total"] == {"registrations": 3, "approved": 2, "requests": 1, "accepted": 1, "scheduled": 1,
                             "held": 1, "no_interest": 0, "further_talks": 1, "agreement_signed": 0}
    by_country = dict(data["by_country"])
    assert by_country["Bhutan"]["registrations"] == 2 and by_country["Bhutan"]["requests"] == 1
    assert by_country["India"]["requests"] == 0 and by_country["India"]["held"] == 1
    assert dict(data["by_type"])["(none)"]["accepted"] == 2


def test_outcome_refused_after_no_show_and_implies_held(booked, staff):
    from django.core.exceptions import PermissionDenied, ValidationError

    event, a, b, meeting = booked
    day.record_outcome(actor=actor_for(b.user), meeting=meeting, outcome="agreement_signed")
    meeting.refresh_from_db()
    assert meeting.attendance == "held"
    day.check_in(actor=actor_for(staff), meeting=meeting, attendance="no_show")
    with pytest.raises(ValidationError):
        day.record_outcome(actor=actor_for(a.user), meeting=meeting, outcome="no_interest")
    with pytest.raises(PermissionDenied):
        day.record_outcome(actor=actor_for(factories.MemberFactory()), meeting=meeting, outcome="no_interest")


def test_figures_count_requests_and_held_meetings_in_period(booked, staff):
    event, a, b, meeting = booked
    day.record_outcome(actor=actor_for(a.user), meeting=meeting, outcome="agreement_signed")
    today = meeting.request.created_at.date()
    assert figures.meetings_requested(start=today, end=today) == 1
    assert figures.meetings_requested(start=date(2001, 1, 1), end=date(2001, 12, 31)) == 0
    assert figures.meetings_held(start=date(2030, 1, 1), end=date(2030, 12, 31)) == 1
    assert figures.meetings_held(start=date(2031, 1, 1), end=date(2031, 12, 31)) == 0
    assert figures.outcomes(start=date(2030, 6, 13), end=date(2030, 6, 13)) == {
        "no_interest": 0, "further_talks": 0, "agreement_signed": 1}
    rows = figures.events_in_period(start=date(2030, 6, 1), end=date(2030, 6, 30))
    assert rows == [{"event": event.name, "starts_on": event.starts_on, "ends_on": event.ends_on,
                     "city": "Kunming", "participants": 2, "requested": 1, "scheduled": 1, "held": 1}]
