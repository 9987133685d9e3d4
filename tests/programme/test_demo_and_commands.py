"""The 2019 demo matches the annual report; the import commands exit non-zero with a report on bad files."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from techbridge.core.models import AuditEntry
from techbridge.programme import demo, figures
from techbridge.programme.models import Activity, Expert, Institution, Participant
from tests import factories
from tests.programme.sheets import GOOD_ROWS, participants_csv, write_csv

pytestmark = pytest.mark.django_db


def test_demo_load_matches_2019_report_and_is_idempotent():
    demo.load(stdout=io.StringIO())
    audit_count = AuditEntry.objects.count()
    demo.load(stdout=io.StringIO())
    assert AuditEntry.objects.count() == audit_count
    start, end = figures.year_range(year=2019)
    assert Activity.objects.count() == 10
    # "10 … activities organized in 6 member countries … with 11 partner institutions", "about 550 participants"
    assert set(figures.host_countries(start=start, end=end)) == {"BT", "CN", "IN", "MY", "TH", "UZ"}
    assert figures.partner_institutions(start=start, end=end).count() == 11 == Institution.objects.count()
    assert figures.participant_total(start=start, end=end) == 541
    assert figures.activities_by_type(start=start, end=end) == {
        "workshop": 5, "training": 2, "conference": 1, "matchmaking": 1, "study_mission": 1}
    kunming = Activity.objects.get(code="APCTT-2019-08")
    assert kunming.city == "Kunming" and kunming.centre_role == "supported" and kunming.participants_count == 67
    assert Institution.objects.get(name="Royal Monetary Authority of Bhutan").country_id == "BT"
    countries = figures.participant_countries(start=start, end=end)
    assert {"ZW", "TL", "GB", "US", "IR", "LA"} <= set(countries)
    assert Expert.objects.count() == 7
    assert figures.expert_countries(start=start, end=end)["FI"] == 1


def test_import_activities_command_bad_file_exits_nonzero_with_report(tmp_path):
    row = list(GOOD_ROWS[0])
    row[6] = "Atlantis"
    path = write_csv(tmp_path / "bad.csv", [row])
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import-activities", str(path), stderr=err)
    assert "row 2, column 'country': unknown country 'Atlantis'" in err.getvalue()
    assert not Activity.objects.exists()


def test_import_activities_command_dry_run_then_import(tmp_path):
    path = write_csv(tmp_path / "good.csv", GOOD_ROWS)
    out = io.StringIO()
    call_command("import-activities", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    assert "3 would be created" in out.getvalue() and not Activity.objects.exists()
    call_command("import-activities", str(path), stdout=out, stderr=io.StringIO())
    assert Activity.objects.count() == 3


def test_import_participants_command_imports(tmp_path):
    factories.ActivityFactory(code="ACT-1")
    path = participants_csv(tmp_path / "p.csv", [["ACT-1", "Ann Lee", "MoST", "Viet Nam", "sme", "f", ""]])
    out = io.StringIO()
    call_command("import-participants", str(path), stdout=out, stderr=io.StringIO())
    assert "1 created" in out.getvalue()
    assert Participant.objects.get().country_id == "VN"


def test_import_command_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import-participants", str(tmp_path / "missing.csv"))
