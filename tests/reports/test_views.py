"""Impact page, staff dashboard, charts with tables and CSV, report builds as jobs, narrative edits, the API."""

import datetime as dt

import pytest
from django.core.cache import cache

from techbridge.core.models import Job
from techbridge.reports.models import NarrativeOverride
from tests import factories
from tests.reports.sheets import import_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2019(tmp_path, staff_actor):
    import_year(tmp_path=tmp_path, actor=staff_actor)


def test_impact_page_public_shows_figures_and_tables(client, year_2019):
    response = client.get("/reports/impact/?year=2019")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="activities">4<' in html and 'data-figure="participants">169<' in html
    assert "/reports/charts/participants-by-country.png?start=2019-01-01&amp;end=2019-12-31" in html
    assert "Uzbekistan" in html  # the countries reached table
    assert "Table view" in html and "Download CSV" in html


def test_impact_page_bad_period_is_422(client, db):
    assert client.get("/reports/impact/?start=2019-05-01&end=2019-01-01").status_code == 422
    assert client.get("/reports/impact/?year=abc").status_code == 422


def test_chart_png_and_svg_are_cached_and_follow_the_data(client, year_2019):
    cache.clear()
    first = client.get("/reports/charts/activities-by-area.png?start=2019-01-01&end=2019-12-31")
    assert first.status_code == 200 and first["Content-Type"] == "image/png"
    assert first.content.startswith(b"\x89PNG")
    again = client.get("/reports/charts/activities-by-area.png?start=2019-01-01&end=2019-12-31",
                       HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    factories.ActivityFactory(start_date=dt.date(2019, 3, 3), programme_area="emerging_technologies")
    changed = client.get("/reports/charts/activities-by-area.png?start=2019-01-01&end=2019-12-31",
                         HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    svg = client.get("/reports/charts/trends.svg?year=2019")
    assert svg.status_code == 200 and b"<svg" in svg.content
    assert client.get("/reports/charts/nope.png?year=2019").status_code == 404


def test_chart_csv_rows_are_formula_escaped(client, db):
    factories.ActivityFactory(start_date=dt.date(2019, 3, 3), code="X1")
    factories.ParticipantFactory(activity__start_date=dt.date(2019, 4, 4), country_id="BT")
    response = client.get("/reports/data/participants-by-country.csv?year=2019")
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "ISO code,Country,Participants"
    assert lines[1] == "BT,Bhutan,1"
    cells = client.get("/reports/data/trends.csv?year=2019").content.decode("utf-8-sig").splitlines()
    assert cells[-1].startswith("2019,2,1,")


def test_dashboard_staff_only(client_for, staff, member_a, year_2019):
    assert client_for(member_a).get("/reports/?year=2019").status_code == 403
    assert client_for(None).get("/reports/?year=2019").status_code == 302
    response = client_for(staff).get("/reports/?year=2019")
    assert response.status_code == 200
    assert b"Build the report" in response.content and b"/reports/2019/narrative/" in response.content


def test_build_report_job_offers_the_docx(client_for, staff, year_2019, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post("/reports/build/", {"year": 2019, "fmt": "docx"})
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.state == Job.State.DONE, job.message
    assert job.result_name == "annual-report-2019.docx"
    download = client_for(staff).get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"PK")


def test_build_report_refused_for_members_and_bad_input(client_for, member_a, staff, db):
    assert client_for(member_a).post("/reports/build/", {"year": 2019, "fmt": "docx"}).status_code == 403
    assert client_for(staff).post("/reports/build/", {"year": 2019, "fmt": "exe"}).status_code == 422
    assert not Job.objects.exists()


def test_narrative_edit_and_revert(client_for, staff, member_a, year_2019):
    page = client_for(staff).get("/reports/2019/narrative/")
    assert page.status_code == 200 and b"activity:WS-2019-01" in page.content
    key = "activity:WS-2019-02"
    saved = client_for(staff).post("/reports/2019/narrative/", {"key": key, "text": "Edited by staff."})
    assert saved.status_code == 302
    assert NarrativeOverride.objects.get(year=2019, key=key).text == "Edited by staff."
    client_for(staff).post("/reports/2019/narrative/", {"key": key, "text": ""})
    assert not NarrativeOverride.objects.exists()
    bad = client_for(staff).post("/reports/2019/narrative/", {"key": "../../etc", "text": "x"})
    assert bad.status_code == 422
    assert client_for(member_a).post("/reports/2019/narrative/", {"key": key, "text": "x"}).status_code == 403


def test_api_figures_period_and_errors(client, year_2019):
    response = client.get("/api/v1/reports/figures?start=2019-01-01&end=2019-12-31")
    assert response.status_code == 200
    data = response.json()
    assert data["activities"] == 4 and data["participants"] == 169 and data["year"] == 2019
    half = client.get("/api/v1/reports/figures?start=2019-01-01&end=2019-06-30").json()
    assert half["activities"] == 3 and half["year"] is None
    assert client.get("/api/v1/reports/figures?start=2019-06-30&end=2019-01-01").status_code == 422
    assert client.get("/api/v1/reports/figures?start=0001-01-01&end=2019-01-01").status_code == 422
    assert client.get("/api/v1/reports/figures?start=nope&end=2019-01-01").status_code == 422
