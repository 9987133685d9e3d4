import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from techbridge.core.models import AuditEntry
from techbridge.core.permissions import actor_for
from techbridge.exchange.bulk import import_published_profiles
from techbridge.exchange.models import Profile, Status

pytestmark = pytest.mark.django_db


def _rows(n):
    return [{"title": f"Offer {i}", "summary": "s", "sectors": ["A"], "sdgs": [2, 9],
             "target_countries": ["IN"], "partnership_types": ["license_agreement"]} for i in range(n)]


def test_bulk_import_publishes_with_references_relations_and_audit(staff, org_a):
    seen = []
    ids = import_published_profiles(actor=actor_for(staff), organisation_id=org_a.pk, rows=_rows(7), kind="offer",
                                    batch_size=3, progress=lambda done, total, msg="": seen.append(done))
    assert len(ids) == 7 and seen[-1] == 7
    profiles = Profile.objects.filter(pk__in=ids)
    assert {p.status for p in profiles} == {Status.PUBLISHED}
    assert len({p.reference for p in profiles}) == 7
    first = profiles.order_by("reference").first()
    assert first.reference.startswith("TOBT") and first.reference.endswith("001")
    assert [s.code for s in first.sectors.all()] == ["A"]
    assert sorted(s.number for s in first.sdgs.all()) == [2, 9]
    assert [c.iso2 for c in first.target_countries.all()] == ["IN"]
    assert [p.code for p in first.partnership_types.all()] == ["license_agreement"]
    assert AuditEntry.objects.filter(action="bulk_publish").count() == 7


def test_bulk_import_bad_row_names_row_and_writes_nothing(staff, org_a):
    rows = _rows(5)
    rows[3]["trl"] = 42
    with pytest.raises(ValidationError) as exc:
        import_published_profiles(actor=actor_for(staff), organisation_id=org_a.pk, rows=rows, kind="offer",
                                  batch_size=2)
    assert "row 4: trl" in exc.value.message_dict
    assert Profile.objects.count() == 0


def test_bulk_import_is_staff_only(member_a, org_a):
    with pytest.raises(PermissionDenied):
        import_published_profiles(actor=actor_for(member_a), organisation_id=org_a.pk, rows=_rows(1), kind="offer")
