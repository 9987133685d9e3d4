"""Web pages: public lists and calendar, staff-only people data, exports escaped, dashboard charts, web import."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from techbridge.core.models import Job
from techbridge.programme.models import Activity, ImportUpload
from tests import factories
from tests.programme.sheets import GOOD_ROWS, HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(db):
    partner = factories.InstitutionFactory(name="Royal Monetary Authority of Bhutan", country_id="BT")
    activity = factories.ActivityFactory(code="BT-2019-10", title="Regional Workshop on Planning Technology Transfer",
                                         start_date=dt.date(2019, 7, 16), end_date=dt.date(2019, 7, 18),
                                         city="Thimphu", country_id="BT", participants_count=83)
    activity.partners.set([partner])
    factories.ParticipantFactory(activity=activity, name="=HYPERLINK(\"http://evil.test\")", country_id="BT")
    return activity


def test_activity_list_filters_by_year_type_and_country(client, activity):
    factories.ActivityFactory(code="OTHER", title="Conference elsewhere", type="conference", country_id="MY",
                              start_date=dt.date(2020, 1, 5))
    page = client.get(reverse("programme:activity_list"), {"year": 2019, "country": "BT", "type": "workshop"})
    assert page.status_code == 200
    body = page.content.decode()
    assert activity.title in body and "Conference elsewhere" not in body
    assert "Conference elsewhere" in client.get(reverse("programme:activity_list"), {"year": "2020"}).content.decode()


def test_activity_list_ignores_malformed_filters(client, activity):
    page = client.get(reverse("programme:activity_list"), {"year": "abc", "type": "<script>", "country": "xyz1"})
    assert page.status_code == 200 and activity.title in page.content.decode()


def test_activity_calendar_shows_activity_on_each_day(client, activity):
    page = client.get(reverse("programme:activity_calendar"), {"year": 2019})
    body = page.content.decode()
    assert page.status_code == 200 and "July 2019" in body
    assert body.count(f'href="/programme/activities/{activity.pk}/"') >= 3 + 1  # 3 days + month list


def test_activity_detail_public_hides_participant_names(client, activity, client_for, staff):
    page = client.get(reverse("programme:activity_detail", args=[activity.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "Royal Monetary Authority of Bhutan" in body
    assert "1 registered participant" in body  # records win over the head count of 83
    assert "List of participants" not in body
    staff_body = client_for(staff).get(reverse("programme:activity_detail", args=[activity.pk])).content.decode()
    assert "List of participants" in staff_body


def test_institution_directory_lists_activities(client, activity):
    page = client.get(reverse("programme:institution_list"), {"country": "BT"})
    assert "Royal Monetary Authority of Bhutan" in page.content.decode()
    partner = activity.partners.get()
    detail = client.get(reverse("programme:institution_detail", args=[partner.pk]))
    assert activity.title in detail.content.decode()


@pytest.mark.parametrize("name", ["programme:participant_list", "programme:dashboard", "programme:import_start"])
def test_staff_pages_forbidden_to_members_and_anonymous(client, client_for, member_a, activity, name):
    assert client_for(member_a).get(reverse(name)).status_code == 403
    assert client.get(reverse(name)).status_code == 302


def test_participant_export_forbidden_to_members(client_for, member_a, activity):
    assert client_for(member_a).get(reverse("programme:participant_export", args=["csv"])).status_code == 403


def test_participant_export_csv_escapes_formulas(client_for, staff, activity):
    response = client_for(staff).get(reverse("programme:participant_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Activity code", "Name"]
    assert rows[1][1] == "'=HYPERLINK(\"http://evil.test\")"


def test_activity_export_xlsx_escapes_formulas_and_round_trips(client, activity, tmp_path, staff):
    activity.title = "+SUM(1,2) looks like a formula"
    activity.save()
    response = client.get(reverse("programme:activity_export", args=["xlsx"]), {"year": 2019})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == "BT-2019-10" and values[1][1] == "'+SUM(1,2) looks like a formula"
    assert values[1][10] == 83
    csv_export = client.get(reverse("programme:activity_export", args=["csv"])).content
    assert csv_export.startswith(b"\xef\xbb\xbf") and b"Thimphu" in csv_export


def test_dashboard_shows_figures_and_chart_tables(client_for, staff, activity):
    page = client_for(staff).get(reverse("programme:dashboard"), {"year": 2019})
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="figure-activities">1<' in body and 'id="figure-participants">1<' in body
    assert "Activities by host country" in body and "<td>Bhutan</td><td>1</td>" in body


@pytest.mark.parametrize(("fmt", "magic"), [("png", b"\x89PNG"), ("svg", b"<?xml")])
def test_chart_image_renders_png_and_svg(client_for, staff, activity, fmt, magic):
    response = client_for(staff).get(reverse("programme:chart", args=["activities-type", fmt]), {"year": 2019})
    assert response.status_code == 200 and response.content.startswith(magic)
    missing = client_for(staff).get(reverse("programme:chart", args=["nope", fmt]), {"year": 2019})
    assert missing.status_code == 404


def _upload(rows, name="activities.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


def test_web_import_preview_errors_then_fixed_file_imports(client_for, staff, django_capture_on_commit_callbacks):
    client = client_for(staff)
    bad = list(GOOD_ROWS[0])
    bad[3] = "27/01/2019"
    response = client.post(reverse("programme:import_start"), {"kind": "activities", "file": _upload([bad])})
    upload = ImportUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("programme:import_preview",
                                                                            args=[upload.pk])
    preview = client.get(response["Location"]).content.decode()
    assert "1 problem(s) found" in preview and "start_date" in preview and "27/01/2019" in preview
    problems = client.get(reverse("programme:import_errors", args=[upload.pk])).content.decode("utf-8-sig")
    assert "2,start_date," in problems
    refused = client.post(reverse("programme:import_run", args=[upload.pk]))
    assert refused.status_code == 302 and not Activity.objects.exists()

    response = client.post(reverse("programme:import_start"), {"kind": "activities", "file": _upload(GOOD_ROWS)})
    fixed = ImportUpload.objects.order_by("-pk").first()
    assert "3 would be created" in client.get(response["Location"]).content.decode()
    assert not Activity.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("programme:import_run", args=[fixed.pk]))
    job = Job.objects.get()
    assert started["Location"] == reverse("core:job", args=[job.pk])
    job.refresh_from_db()
    assert job.state == "done" and "3 created" in job.message
    assert Activity.objects.count() == 3


def test_web_import_rejects_other_file_types_with_422(client_for, staff):
    upload = SimpleUploadedFile("activities.ods", b"PK\x03\x04", content_type="application/octet-stream")
    response = client_for(staff).post(reverse("programme:import_start"), {"kind": "activities", "file": upload})
    assert response.status_code == 422 and 'data-field="file"' in response.content.decode()


def test_import_template_download_has_header_and_example(client_for, staff):
    body = client_for(staff).get(reverse("programme:import_template", args=["participants"])).content
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0] == "activity_code,name,organisation,country,stakeholder_type,gender,role"
    assert len(lines) == 2
