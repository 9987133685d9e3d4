import pytest

from techbridge.core.permissions import actor_for
from techbridge.events.models import MeetingRequest
from techbridge.events.services import requests
from tests import factories

pytestmark = pytest.mark.django_db
API = "/api/v1/events"


def test_api_lists_published_events_only(client_for, staff):
    shown = factories.event_with_slots()
    factories.event_with_slots(published=False)
    data = client_for(None).get(API).json()
    assert [e["id"] for e in data["items"]] == [shown.pk]
    assert client_for(staff).get(API).json()["count"] == 2


def test_api_request_accept_and_agenda(client_for, staff):
    event = factories.event_with_slots()
    a, b = factories.approved_participant(event=event), factories.approved_participant(event=event)
    response = client_for(a.user).post(f"{API}/{event.pk}/requests", {"recipient_id": b.pk, "message": "Hello"},
                                       content_type="application/json")
    assert response.status_code == 201, response.content
    req_id = response.json()["id"]
    again = client_for(a.user).post(f"{API}/{event.pk}/requests", {"recipient_id": b.pk},
                                    content_type="application/json")
    assert again.status_code == 422 and "recipient" in again.json()["errors"]
    forbidden = client_for(a.user).post(f"{API}/{event.pk}/requests/{req_id}/accept", {},
                                        content_type="application/json")
    assert forbidden.status_code == 403
    accepted = client_for(b.user).post(f"{API}/{event.pk}/requests/{req_id}/accept", {"response": "Yes"},
                                       content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    meeting_id = accepted.json()["meeting_id"]
    slot = event.slots.order_by("starts_at")[1]
    booked = client_for(a.user).post(f"{API}/{event.pk}/meetings/{meeting_id}/book", {"slot_id": slot.pk},
                                     content_type="application/json")
    assert booked.status_code == 200 and booked.json()["table"] == 1
    agenda = client_for(b.user).get(f"{API}/{event.pk}/agenda").json()
    assert [(i["meeting_id"], i["table"], i["with_name"]) for i in agenda] == [(meeting_id, 1, a.display_name)]


def test_api_marketplace_needs_approval_and_statistics_need_organiser(client_for, staff):
    event = factories.event_with_slots()
    event.organisers.add(staff)
    a = factories.approved_participant(event=event, offers="Rice mills")
    factories.approved_participant(event=event, needs="Rice mills")
    outsider = factories.MemberFactory()
    assert client_for(outsider).get(f"{API}/{event.pk}/participants").status_code == 403
    assert client_for(None).get(f"{API}/{event.pk}/participants").status_code == 401
    assert client_for(a.user).get(f"{API}/{event.pk}/participants").json()["count"] == 2
    recommended = client_for(a.user).get(f"{API}/{event.pk}/recommended").json()
    assert len(recommended) == 1 and recommended[0]["score"] > 0
    assert client_for(a.user).get(f"{API}/{event.pk}/statistics").status_code == 403
    stats = client_for(staff).get(f"{API}/{event.pk}/statistics").json()
    assert stats["total"]["approved"] == 2


def test_api_schedule_starts_a_job_and_outcome_is_recorded(client_for, staff, django_capture_on_commit_callbacks):
    event = factories.event_with_slots()
    event.organisers.add(staff)
    a, b = factories.approved_participant(event=event), factories.approved_participant(event=event)
    req = requests.send_request(actor=actor_for(a.user), event=event, recipient=b)
    requests.accept_request(actor=actor_for(b.user), request=req)
    assert client_for(a.user).post(f"{API}/{event.pk}/schedule", {"mode": "all"},
                                   content_type="application/json").status_code == 403
    bad = client_for(staff).post(f"{API}/{event.pk}/schedule", {"mode": "everything"},
                                 content_type="application/json")
    assert bad.status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(f"{API}/{event.pk}/schedule", {"mode": "all", "time_limit": 1},
                                          content_type="application/json")
    assert response.status_code == 202
    meeting = MeetingRequest.objects.get().meeting
    assert meeting.slot_id is not None
    out = client_for(b.user).post(f"{API}/{event.pk}/meetings/{meeting.pk}/outcome",
                                  {"outcome": "further_talks", "notes": "Samples next month"},
                                  content_type="application/json")
    assert out.status_code == 204
    meeting.refresh_from_db()
    assert meeting.outcome == "further_talks" and meeting.attendance == "held"
    wrong = client_for(b.user).post(f"{API}/{event.pk}/meetings/{meeting.pk}/outcome", {"outcome": "maybe"},
                                    content_type="application/json")
    assert wrong.status_code == 422
