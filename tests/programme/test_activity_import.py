"""Activities import: clean import, idempotent re-import, updated rows, CSV and XLSX files written here."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from techbridge.core.models import AuditEntry
from techbridge.core.permissions import actor_for
from techbridge.programme.models import Activity, Institution
from techbridge.programme.services import import_activities
from tests import factories
from tests.programme.sheets import GOOD_ROWS, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def _snapshot():
    return [
        (a.code, a.title, a.type, a.start_date, a.end_date, a.city, a.country_id, a.online, a.centre_role,
         a.programme_area, a.participants_count, a.updated_at,
         sorted(p.name for p in a.partners.all()), sorted(c.pk for c in a.participant_countries.all()),
         sorted(s.pk for s in a.sdgs.all()))
        for a in Activity.objects.order_by("code")
    ]


def test_import_activities_clean_csv_creates_everything(tmp_path, staff_actor):
    path = write_csv(tmp_path / "activities.csv", GOOD_ROWS)
    result = import_activities(actor=staff_actor, source=path, filename=path.name)
    assert result.ok, result.report.as_text()
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    first = Activity.objects.get(code="WS-2019-01")
    assert first.country_id == "IN" and first.participants_count == 42
    assert sorted(c.pk for c in first.participant_countries.all()) == ["BD", "IN", "KH", "TL"]
    assert sorted(s.pk for s in first.sdgs.all()) == [9, 17]
    second = Activity.objects.get(code="WS-2019-02")
    assert second.type == "workshop" and second.country_id == "TH"
    assert second.programme_area == "national_innovation_systems"
    assert second.end_date == dt.date(2019, 6, 20)
    assert {c.pk for c in second.participant_countries.all()} == {"LA", "VN", "IR", "KR"}
    assert second.partners.count() == 2
    online = Activity.objects.get(code="WEB-2019-03")
    assert online.online and online.country_id is None and online.participants_count is None
    assert Institution.objects.count() == 3 and result.institutions_created == 3
    assert AuditEntry.objects.filter(action="import-create", object_type="programme.activity").count() == 3


def test_import_activities_xlsx_with_date_cells(tmp_path, staff_actor):
    rows = [list(row) for row in GOOD_ROWS]
    rows[0][3] = dt.date(2019, 1, 27)
    rows[0][4] = dt.datetime(2019, 1, 28)
    rows[0][10] = 42
    path = write_xlsx(tmp_path / "activities.xlsx", rows)
    result = import_activities(actor=staff_actor, source=path, filename=path.name)
    assert result.ok, result.report.as_text()
    activity = Activity.objects.get(code="WS-2019-01")
    assert activity.end_date == dt.date(2019, 1, 28) and activity.participants_count == 42


def test_import_activities_reimport_changes_nothing(tmp_path, staff_actor):
    path = write_csv(tmp_path / "activities.csv", GOOD_ROWS)
    import_activities(actor=staff_actor, source=path, filename=path.name)
    before = _snapshot()
    audit_before = AuditEntry.objects.count()
    again = import_activities(actor=staff_actor, source=path, filename=path.name)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert _snapshot() == before
    assert AuditEntry.objects.count() == audit_before
    assert Institution.objects.count() == 3


def test_import_activities_changed_row_updates_its_activity(tmp_path, staff_actor):
    path = write_csv(tmp_path / "activities.csv", GOOD_ROWS)
    import_activities(actor=staff_actor, source=path, filename=path.name)
    untouched = Activity.objects.get(code="WS-2019-01").updated_at
    rows = [list(row) for row in GOOD_ROWS]
    rows[1][1] = "International Workshop on IP Management (revised title)"
    rows[1][10] = "46"
    rows[1][9] = "  thailand institute of  scientific and technological research  "
    edited = write_csv(tmp_path / "edited.csv", rows)
    result = import_activities(actor=staff_actor, source=edited, filename=edited.name)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    activity = Activity.objects.get(code="WS-2019-02")
    assert activity.title.endswith("(revised title)") and activity.participants_count == 46
    # The partner was matched by name ignoring case and spaces, not created again.
    assert [p.name for p in activity.partners.all()] == [
        "Thailand Institute of Scientific and Technological Research"]
    assert Institution.objects.count() == 3
    assert Activity.objects.get(code="WS-2019-01").updated_at == untouched
    entry = AuditEntry.objects.get(action="import-update")
    assert set(entry.detail["fields"]) == {"title", "participants_count", "partners"}


def test_import_activities_partner_matches_existing_institution(tmp_path, staff_actor):
    existing = factories.InstitutionFactory(name="Indian Institute of Management Ahmedabad", country_id="IN",
                                            type="university")
    path = write_csv(tmp_path / "activities.csv", GOOD_ROWS[:1])
    import_activities(actor=staff_actor, source=path, filename=path.name)
    assert list(Activity.objects.get().partners.all()) == [existing]


def test_import_activities_dry_run_writes_nothing(tmp_path, staff_actor):
    path = write_csv(tmp_path / "activities.csv", GOOD_ROWS)
    result = import_activities(actor=staff_actor, source=path, filename=path.name, dry_run=True)
    assert result.ok and result.created == 3 and "would be created" in result.summary()
    assert not Activity.objects.exists() and not Institution.objects.exists()


def test_import_activities_omitted_optional_column_keeps_values(tmp_path, staff_actor):
    path = write_csv(tmp_path / "activities.csv", GOOD_ROWS)
    import_activities(actor=staff_actor, source=path, filename=path.name)
    header = [c for c in write_csv.__globals__["HEADER"] if c != "partners"]
    rows = [[v for i, v in enumerate(row) if i != 9] for row in GOOD_ROWS]
    smaller = write_csv(tmp_path / "no-partners.csv", rows, header=header)
    result = import_activities(actor=staff_actor, source=smaller, filename=smaller.name)
    assert result.ok and result.unchanged == 3
    assert Activity.objects.get(code="WS-2019-02").partners.count() == 2


def test_import_activities_requires_staff(tmp_path, member_a):
    path = write_csv(tmp_path / "activities.csv", GOOD_ROWS)
    with pytest.raises(PermissionDenied):
        import_activities(actor=actor_for(member_a), source=path, filename=path.name)
    assert not Activity.objects.exists()
