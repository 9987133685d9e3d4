"""The report reads a fixed handful of queries whatever the number of activities (no N+1, no repeated reads)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from techbridge.programme import figures as programme
from techbridge.reports.content import build_content
from techbridge.reports.export import build_report
from tests import factories

pytestmark = pytest.mark.django_db

YEAR = programme.year_range(year=2019)
#: programme.summary: activities, records per activity, records by country/stakeholder/gender, head-count
#: countries, partner names, expert links, resource persons.
SUMMARY_QUERIES = 7
#: build_content: compute_figures (the summary, SDGs, events, exchange, matching, periodical, funding), the
#: narrative overrides, the activity entries (activities, records per activity and country, head-count
#: countries, partners) and other publications.
CONTENT_QUERIES = 26


def _add_activities(count: int, *, start: int) -> None:
    """Activities of both kinds: with participant records (and a resource person), and with head counts."""
    partner = factories.InstitutionFactory()
    for n in range(start, start + count):
        activity = factories.ActivityFactory(start_date=dt.date(2019, 1 + n % 12, 1 + n % 28),
                                             participants_count=20 + n)
        activity.partners.set([partner])
        if n % 2:
            activity.participant_countries.set(["IN", "NP"])
        else:
            factories.ParticipantFactory(activity=activity, country_id="BT")
            factories.ParticipantFactory(activity=activity, country_id="IN", role="resource_person")
        factories.ExpertFactory().activities.set([activity])


def _queries(work) -> int:
    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured)


def test_programme_summary_queries_are_few_and_fixed(django_assert_max_num_queries):
    _add_activities(2, start=0)
    few = _queries(lambda: programme.summary(start=YEAR[0], end=YEAR[1]))
    _add_activities(30, start=2)
    with django_assert_max_num_queries(SUMMARY_QUERIES):
        data = programme.summary(start=YEAR[0], end=YEAR[1])
    assert _queries(lambda: programme.summary(start=YEAR[0], end=YEAR[1])) == few
    assert data["activities"] == 32 and data["experts"] == 32 + 16


def test_report_content_queries_do_not_grow_with_activities(django_assert_max_num_queries):
    _add_activities(2, start=0)
    few = _queries(lambda: build_content(year=2019))
    _add_activities(30, start=2)
    with django_assert_max_num_queries(CONTENT_QUERIES):
        content = build_content(year=2019)
    assert _queries(lambda: build_content(year=2019)) == few
    assert sum(len(section.activities) for section in content.sections) == 32


def test_report_summary_matches_the_figures_one_by_one():
    """The shared reads of `summary` give what each figure function computes on its own."""
    _add_activities(12, start=0)
    factories.ActivityFactory(code="WEB", online=True, country_id=None, city="", participants_count=7,
                              start_date=dt.date(2019, 3, 3))
    start, end = YEAR
    data = programme.summary(start=start, end=end)
    by_country = programme.participants_by_country(start=start, end=end)
    assert data["activities"] == programme.activities_in(start=start, end=end).count() == 13
    assert data["activities_by_type"] == programme.activities_by_type(start=start, end=end)
    assert data["activities_by_area"] == programme.activities_by_area(start=start, end=end)
    assert data["activities_by_role"] == programme.activities_by_role(start=start, end=end)
    assert data["host_countries"] == programme.host_countries(start=start, end=end) == {"TH": 12}
    assert data["online_activities"] == programme.online_activities(start=start, end=end) == 1
    assert data["participants"] == programme.participant_total(start=start, end=end) == by_country.total
    assert data["participants_by_country"] == by_country.counts == {"BT": 6, "IN": 6}
    assert data["participants_by_stakeholder"] == programme.participants_by_stakeholder(start=start, end=end).counts
    assert data["participants_by_gender"] == programme.participants_by_gender(start=start, end=end).counts
    assert data["participants_unattributed"] == by_country.unattributed == sum(20 + n for n in range(1, 12, 2)) + 7
    assert data["participant_countries"] == programme.participant_countries(start=start, end=end) == ["BT", "IN",
                                                                                                       "NP"]
    assert data["experts"] == len(programme.experts(start=start, end=end))
    assert data["expert_countries"] == programme.expert_countries(start=start, end=end)


def test_report_pdf_parts_join_with_numbers_outline_and_destinations():
    from io import BytesIO

    from pypdf import PdfReader

    _add_activities(4, start=0)
    factories.ActivityFactory(code="EMERGING", programme_area="emerging_technologies",
                              start_date=dt.date(2019, 2, 2), participants_count=12)
    reader = PdfReader(BytesIO(build_report(year=2019, fmt="pdf").data))
    pages = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    # Title page without a number; every other page ends with its number.
    assert not pages[0].endswith("1")
    assert all(text.endswith(str(number)) for number, text in enumerate(pages[1:], start=2))
    # Chapter 2 and each programme area start a page (the parts rendered side by side).
    starts = [number for number, text in enumerate(pages) if text.startswith(("2. Capacity-building", "2. Technology"))]
    assert len(starts) == 2
    titles = [item.title for item in reader.outline[1] if not isinstance(item, list)]
    assert titles[:2] == ["1. Key figures", "2. Capacity-building activities"]
    areas = [item.title for item in reader.outline[1][2]]
    assert areas == ["1. Emerging technologies", "2. Technology transfer"]
    assert {"key-figures", "activities", "annex-1", "annex-2"} <= set(reader.named_destinations)
    assert reader.metadata.title == "Annual report 2019"
