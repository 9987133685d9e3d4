"""Report figures: range rules, individual records versus head counts (never both), experts merged."""

import datetime as dt

import pytest

from techbridge.programme import figures
from tests import factories

pytestmark = pytest.mark.django_db

Y2019 = figures.year_range(year=2019)


@pytest.fixture
def programme(db):
    """Two aggregate-only activities, one with individual records (and a head count that must be ignored)."""
    uni = factories.InstitutionFactory(name="Royal University of Bhutan", country_id="BT")
    ministry = factories.InstitutionFactory(name="Ministry of Innovative Development", country_id="UZ")
    a = factories.ActivityFactory(code="A", type="workshop", programme_area="technology_transfer",
                                  centre_role="organised", country_id="BT", start_date=dt.date(2019, 4, 9),
                                  participants_count=17)
    a.partners.set([uni])
    a.participant_countries.set(["BT"])
    b = factories.ActivityFactory(code="B", type="conference", programme_area="emerging_technologies",
                                  centre_role="co_organised", country_id="MY", start_date=dt.date(2019, 11, 5),
                                  participants_count=118)
    b.partners.set([ministry, uni])
    b.participant_countries.set(["MY", "IN", "JP"])
    c = factories.ActivityFactory(code="C", type="workshop", programme_area="technology_transfer",
                                  centre_role="co_organised", country_id="BT", start_date=dt.date(2019, 7, 16),
                                  participants_count=83)
    c.participant_countries.set(["NP"])  # ignored: C has individual records
    factories.ParticipantFactory(activity=c, country_id="BT", stakeholder_type="sme", gender="female")
    factories.ParticipantFactory(activity=c, country_id="BT", stakeholder_type="academia", gender="male")
    factories.ParticipantFactory(activity=c, name="Aino Virtanen", country_id="FI", role="resource_person",
                                 stakeholder_type="academia", gender="female")
    factories.ParticipantFactory(activity=c, country_id="IN", role="organiser")  # not counted
    expert = factories.ExpertFactory(name="aino  VIRTANEN", country_id="FI")
    expert.activities.set([c, a])
    factories.ExpertFactory(name="Outside Range", country_id="SE").activities.set(
        [factories.ActivityFactory(code="OLD", start_date=dt.date(2018, 12, 8), participants_count=13)])
    online = factories.ActivityFactory(code="WEB", type="webinar", country_id=None, online=True, city="",
                                       start_date=dt.date(2019, 12, 31), participants_count=5)
    return {"a": a, "b": b, "c": c, "online": online}


def test_activities_in_range_uses_start_date_inclusive(programme):
    codes = set(figures.activities_in(start=dt.date(2019, 4, 9), end=dt.date(2019, 12, 31))
                .values_list("code", flat=True))
    assert codes == {"A", "B", "C", "WEB"}
    assert "OLD" not in set(figures.activities_in(start=Y2019[0], end=Y2019[1]).values_list("code", flat=True))


def test_activities_by_type_area_role_count_each_activity_once(programme):
    assert figures.activities_by_type(start=Y2019[0], end=Y2019[1]) == {"workshop": 2, "conference": 1,
                                                                        "webinar": 1}
    assert figures.activities_by_area(start=Y2019[0], end=Y2019[1]) == {"technology_transfer": 3,
                                                                        "emerging_technologies": 1}
    assert figures.activities_by_role(start=Y2019[0], end=Y2019[1])["co_organised"] == 3


def test_host_countries_exclude_online_activities(programme):
    assert figures.host_countries(start=Y2019[0], end=Y2019[1]) == {"BT": 2, "MY": 1}
    assert figures.online_activities(start=Y2019[0], end=Y2019[1]) == 1


def test_participant_total_uses_records_else_head_count_never_both(programme):
    # A 17 + B 118 + WEB 5 (head counts) + C 3 counted records (its head count of 83 is ignored).
    assert figures.participant_total(start=Y2019[0], end=Y2019[1]) == 17 + 118 + 5 + 3


def test_participant_breakdowns_add_up_to_total(programme):
    by_country = figures.participants_by_country(start=Y2019[0], end=Y2019[1])
    assert by_country.counts == {"BT": 2, "FI": 1}
    assert by_country.unattributed == 140
    assert by_country.total == figures.participant_total(start=Y2019[0], end=Y2019[1])
    assert figures.participants_by_gender(start=Y2019[0], end=Y2019[1]).counts == {"female": 2, "male": 1}
    assert figures.participants_by_stakeholder(start=Y2019[0], end=Y2019[1]).counts == {"academia": 2, "sme": 1}


def test_participant_countries_take_records_or_the_activity_list(programme):
    # C's records give BT and FI (its NP list is ignored, its organiser from IN is not a participant).
    assert figures.participant_countries(start=Y2019[0], end=Y2019[1]) == ["BT", "FI", "IN", "JP", "MY"]


def test_partner_institutions_are_distinct(programme):
    names = [i.name for i in figures.partner_institutions(start=Y2019[0], end=Y2019[1])]
    assert names == ["Ministry of Innovative Development", "Royal University of Bhutan"]


def test_experts_merge_records_and_resource_persons(programme):
    records = figures.experts(start=Y2019[0], end=Y2019[1])
    assert len(records) == 1
    assert records[0].country_id == "FI" and records[0].activities == ("A", "C")
    assert figures.expert_countries(start=Y2019[0], end=Y2019[1]) == {"FI": 1}
    old = figures.experts(start=dt.date(2018, 1, 1), end=dt.date(2018, 12, 31))
    assert [(r.name, r.country_id) for r in old] == [("Outside Range", "SE")]


def test_summary_figures_for_empty_range_are_zero(programme):
    data = figures.summary(start=dt.date(2030, 1, 1), end=dt.date(2030, 12, 31))
    assert data["activities"] == 0 and data["participants"] == 0 and data["partner_institutions"] == []


def test_summary_collects_every_figure(programme):
    data = figures.summary(start=Y2019[0], end=Y2019[1])
    assert data["activities"] == 4 and data["participants"] == 143
    assert data["participants_unattributed"] == 140 and data["experts"] == 1
