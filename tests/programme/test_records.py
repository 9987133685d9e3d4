"""Staff edits outside the imports (institutions, outcomes, experts), and export → re-import round trips."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from techbridge.core.permissions import actor_for
from techbridge.programme import exports
from techbridge.programme.models import Activity, Expert, Institution
from techbridge.programme.services import add_expert, import_activities, save_institution, update_activity
from tests import factories
from tests.programme.sheets import GOOD_ROWS, write_csv

pytestmark = pytest.mark.django_db


def test_save_institution_completes_without_erasing(staff_actor):
    first = save_institution(actor=staff_actor, name="Royal  Monetary Authority of Bhutan")
    assert first.country_id is None
    again = save_institution(actor=staff_actor, name="royal monetary authority of bhutan", country="Bhutan",
                             type="ministry")
    assert again.pk == first.pk and (again.country_id, again.type) == ("BT", "ministry")
    save_institution(actor=staff_actor, name="Royal Monetary Authority of Bhutan")
    again.refresh_from_db()
    assert again.country_id == "BT" and Institution.objects.count() == 1


def test_save_institution_rejects_unknown_country_and_type(staff_actor):
    with pytest.raises(ValidationError) as error:
        save_institution(actor=staff_actor, name="X", country="Atlantis")
    assert "country" in error.value.message_dict
    with pytest.raises(ValidationError):
        save_institution(actor=staff_actor, name="X", type="bank")


def test_update_activity_sets_outcomes_and_validates_scores(staff_actor):
    activity = factories.ActivityFactory()
    update_activity(actor=staff_actor, activity=activity, values={"pre_survey_score": "41.5",
                                                                  "post_survey_score": 78, "narrative": " Done. "})
    activity.refresh_from_db()
    assert activity.pre_survey_score == Decimal("41.50") and activity.narrative == "Done."
    with pytest.raises(ValidationError) as error:
        update_activity(actor=staff_actor, activity=activity, values={"post_survey_score": "120", "code": "X"})
    assert set(error.value.message_dict) == {"post_survey_score", "__all__"}


def test_update_activity_requires_staff(member_a):
    with pytest.raises(PermissionDenied):
        update_activity(actor=actor_for(member_a), activity=factories.ActivityFactory(), values={"narrative": "x"})


def test_add_expert_reuses_same_person(staff_actor):
    a, b = factories.ActivityFactory(), factories.ActivityFactory()
    first = add_expert(actor=staff_actor, name="Aino Virtanen", country="Finland", activity=a)
    second = add_expert(actor=staff_actor, name="aino  virtanen", country="FI", activity=b)
    assert first.pk == second.pk and Expert.objects.count() == 1
    assert set(first.activities.all()) == {a, b}


def test_activity_export_reimports_unchanged(tmp_path, staff_actor):
    source = write_csv(tmp_path / "a.csv", GOOD_ROWS)
    import_activities(actor=staff_actor, source=source, filename=source.name)
    body = exports.write_csv(rows=exports.activity_rows(Activity.objects.order_by("code")),
                             columns=exports.ACTIVITY_EXPORT)
    again = import_activities(actor=staff_actor, source=io.BytesIO(body), filename="export.csv")
    assert again.ok, again.report.as_text()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
