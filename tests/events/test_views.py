import pytest
from django.urls import reverse

from techbridge.core.permissions import actor_for
from techbridge.events.models import MeetingRequest, Registration
from techbridge.events.services import booking, requests
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(staff, member_a, member_b, org_a, org_b):
    event = factories.event_with_slots(tables=3)
    event.organisers.add(staff)
    a = factories.approved_participant(event=event, user=member_a, offers="Solar dryers for spices",
                                       needs="Rice milling machines")
    b = factories.approved_participant(event=event, user=member_b, offers="Rice milling machines and husk gasifiers",
                                       needs="Partners in Bhutan")
    factories.approved_participant(event=event, offers="Bamboo furniture", needs="Export markets")
    req = requests.send_request(actor=actor_for(a.user), event=event, recipient=b, message="Rice mill licence")
    requests.accept_request(actor=actor_for(b.user), request=req)
    booking.book_meeting(actor=actor_for(staff), meeting=req.meeting, slot=event.slots.first(), table=2)
    return event, a, b, req.meeting


def test_every_organiser_page_renders(setup, staff, client_for):
    event, a, b, meeting = setup
    client = client_for(staff)
    for name, args in [("list", []), ("detail", [event.pk]), ("edit", [event.pk]), ("setup", [event.pk]),
                       ("registrations", [event.pk]), ("marketplace", [event.pk]), ("requests", [event.pk]),
                       ("schedule", [event.pk]), ("plan", [event.pk]), ("lists", [event.pk]),
                       ("statistics", [event.pk]), ("meeting", [event.pk, meeting.pk]), ("create", [])]:
        response = client.get(reverse(f"events:{name}", args=args))
        assert response.status_code == 200, name
    assert client.get(reverse("events:plan", args=[event.pk]) + "?format=pdf").content.startswith(b"%PDF")
    assert client.get(reverse("events:lists", args=[event.pk]) + "?format=pdf").content.startswith(b"%PDF")
    csv = client.get(reverse("events:statistics", args=[event.pk]) + "?format=csv").content.decode("utf-8-sig")
    assert csv.splitlines()[1].startswith("total,,3,3,1,1,1,0")


def test_participant_pages_and_organiser_pages_forbidden(setup, client_for):
    event, a, b, meeting = setup
    client = client_for(a.user)
    for name, args in [("detail", [event.pk]), ("marketplace", [event.pk]), ("participant", [event.pk, b.pk]),
                       ("requests", [event.pk]), ("agenda", [event.pk]), ("availability", [event.pk]),
                       ("registration_edit", [event.pk]), ("meeting", [event.pk, meeting.pk])]:
        assert client.get(reverse(f"events:{name}", args=args)).status_code == 200, name
    for name in ["schedule", "plan", "registrations", "statistics", "setup"]:
        assert client.get(reverse(f"events:{name}", args=[event.pk])).status_code == 404, name
    ics = client.get(reverse("events:agenda_ics", args=[event.pk]))
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content
    assert client.get(reverse("events:agenda_pdf", args=[event.pk])).content.startswith(b"%PDF")


def test_agenda_page_shows_local_time_and_table(setup, client_for):
    event, a, b, meeting = setup
    html = client_for(b.user).get(reverse("events:agenda", args=[event.pk])).content.decode()
    assert "09:00" in html and '<td class="table-no">2</td>' in html and a.organisation.name in html


def test_outsider_cannot_see_marketplace_or_someone_elses_meeting(setup, client_for):
    event, a, b, meeting = setup
    outsider = factories.MemberFactory()
    client = client_for(outsider)
    assert client.get(reverse("events:marketplace", args=[event.pk])).status_code == 403
    assert client.get(reverse("events:meeting", args=[event.pk, meeting.pk])).status_code == 404
    assert client.get(reverse("events:agenda", args=[event.pk])).status_code == 404
    assert client_for(None).get(reverse("events:detail", args=[event.pk])).status_code == 200
    assert client_for(None).get(reverse("events:marketplace", args=[event.pk])).status_code == 302


def test_draft_event_hidden_from_public(client_for):
    event = factories.event_with_slots(published=False)
    assert client_for(None).get(reverse("events:detail", args=[event.pk])).status_code == 404


def test_marketplace_recommends_by_keyword_overlap_and_filters(setup, client_for):
    event, a, b, meeting = setup
    response = client_for(a.user).get(reverse("events:marketplace", args=[event.pk]))
    recommended = response.context["recommended"]
    assert [r.pk for r, _score in recommended][0] == b.pk
    filtered = client_for(a.user).get(reverse("events:marketplace", args=[event.pk]), {"q": "bamboo"})
    assert [r.offers for r in filtered.context["page"]] == ["Bamboo furniture"]
    by_country = client_for(a.user).get(reverse("events:marketplace", args=[event.pk]), {"country": "IN"})
    assert [r.pk for r in by_country.context["page"]] == [b.pk]


def test_register_form_creates_pending_registration_and_422_on_bad_input(client_for, member_a, org_a):
    event = factories.event_with_slots()
    ptype = factories.ParticipationTypeFactory(event=event, name="Technology seeker")
    client = client_for(member_a)
    url = reverse("events:register", args=[event.pk])
    bad = client.post(url, {"organisation": org_a.pk, "participation_type": "", "max_meetings": "0"})
    assert bad.status_code == 422 and 'data-field="participation_type"' in bad.content.decode()
    ok = client.post(url, {"organisation": org_a.pk, "participation_type": ptype.pk, "needs": "Rice mills"})
    assert ok.status_code == 302
    reg = Registration.objects.get(event=event, user=member_a)
    assert reg.status == "pending" and reg.participation_type == ptype


def test_request_accept_flow_through_views(client_for):
    event = factories.event_with_slots()
    a, b = factories.approved_participant(event=event), factories.approved_participant(event=event)
    response = client_for(a.user).post(reverse("events:send_request", args=[event.pk, b.pk]), {"message": "Hi"})
    assert response.status_code == 302
    req = MeetingRequest.objects.get()
    client_for(b.user).post(reverse("events:respond", args=[event.pk, req.pk, "accept"]))
    req.refresh_from_db()
    assert req.status == "accepted"
    slot = event.slots.order_by("starts_at")[3]
    client_for(a.user).post(reverse("events:book", args=[event.pk, req.meeting.pk]), {"slot": slot.pk})
    req.meeting.refresh_from_db()
    assert req.meeting.slot_id == slot.pk and req.meeting.table == 1


def test_setup_page_adds_session_in_event_time_zone(client_for, staff):
    event = factories.EventFactory()
    response = client_for(staff).post(reverse("events:setup", args=[event.pk]), {
        "action": "session", "name": "Afternoon", "starts_at": "2030-06-13T14:00", "ends_at": "2030-06-13T15:00",
        "tables": "8"})
    assert response.status_code == 302
    session = event.sessions.get()
    assert session.starts_at.hour == 6 and session.slots.count() == 3  # 14:00 Kunming = 06:00 UTC
    bad = client_for(staff).post(reverse("events:setup", args=[event.pk]), {
        "action": "session", "name": "Back", "starts_at": "2030-06-13T15:00", "ends_at": "2030-06-13T14:00",
        "tables": "8"})
    assert bad.status_code == 422
