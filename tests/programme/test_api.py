"""JSON API: public activities and figures, staff-only participants and imports."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from techbridge.programme.models import Activity
from tests import factories
from tests.programme.sheets import GOOD_ROWS, HEADER

pytestmark = pytest.mark.django_db

BASE = "/api/v1/programme"


@pytest.fixture
def activity(db):
    activity = factories.ActivityFactory(code="KL-2019", type="conference", start_date=dt.date(2019, 11, 5),
                                         end_date=dt.date(2019, 11, 5), country_id="MY", participants_count=118)
    activity.participant_countries.set(["MY", "JP"])
    return activity


def test_api_activities_list_filters_and_reports_source(client, activity):
    factories.ActivityFactory(code="OLD", start_date=dt.date(2018, 3, 1))
    data = client.get(f"{BASE}/activities", {"year": 2019, "type": "conference"}).json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["code"] == "KL-2019" and item["participants"] == 118
    assert item["participants_source"] == "head_count" and sorted(item["participant_countries"]) == ["JP", "MY"]


def test_api_activity_detail_unknown_is_404(client, activity):
    assert client.get(f"{BASE}/activities/{activity.pk}").json()["country"] == "MY"
    assert client.get(f"{BASE}/activities/999999").status_code == 404


def test_api_bad_filter_value_is_422(client):
    assert client.get(f"{BASE}/activities", {"type": "seminar"}).status_code == 422
    assert client.get(f"{BASE}/activities", {"year": 99999}).status_code == 422


def test_api_participants_staff_only(client, client_for, staff, member_a, activity):
    factories.ParticipantFactory(activity=activity, name="Siti Aminah", country_id="MY")
    url = f"{BASE}/activities/{activity.pk}/participants"
    assert client.get(url).status_code == 401
    assert client_for(member_a).get(url).status_code == 403
    data = client_for(staff).get(url).json()
    assert [p["name"] for p in data["items"]] == ["Siti Aminah"]


def test_api_figures_for_range(client, activity):
    data = client.get(f"{BASE}/figures", {"start": "2019-01-01", "end": "2019-12-31"}).json()
    assert data["activities"] == 1 and data["participants"] == 118 and data["host_countries"] == {"MY": 1}
    assert client.get(f"{BASE}/figures", {"start": "2019-12-31", "end": "2019-01-01"}).status_code == 422


def _csv(rows):
    lines = [",".join(HEADER)] + [",".join(f'"{v}"' for v in row) for row in rows]
    return SimpleUploadedFile("a.csv", "\n".join(lines).encode(), content_type="text/csv")


def test_api_import_staff_only_reports_issues_with_422(client_for, staff, member_a):
    assert client_for(member_a).post(f"{BASE}/imports/activities", {"file": _csv(GOOD_ROWS)}).status_code == 403
    bad = list(GOOD_ROWS[0])
    bad[2] = "seminar"
    response = client_for(staff).post(f"{BASE}/imports/activities", {"file": _csv([bad])})
    assert response.status_code == 422
    assert response.json()["issues"][0] == {"row": 2, "column": "type", "message": response.json()["issues"][0][
        "message"]}
    assert not Activity.objects.exists()
    done = client_for(staff).post(f"{BASE}/imports/activities", {"file": _csv(GOOD_ROWS)})
    assert done.status_code == 200 and done.json()["created"] == 3 and Activity.objects.count() == 3
