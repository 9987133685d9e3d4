"""Figures of a period from imported data, and how they follow changes to the data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from techbridge.programme.models import Activity
from techbridge.reports.figures import compute_figures, period_for_year
from tests import factories
from tests.reports.sheets import ACTIVITIES, import_year

pytestmark = pytest.mark.django_db

YEAR_2019 = period_for_year(year=2019)


def _figures():
    start, end = YEAR_2019
    return compute_figures(start=start, end=end)


def test_compute_figures_imported_year(tmp_path, staff_actor):
    import_year(tmp_path=tmp_path, actor=staff_actor)
    f = _figures()
    assert f.year == 2019
    assert f.activities == 4
    assert f.activities_by_type == {"workshop": 3, "study_mission": 1}
    assert f.activities_by_area == {"national_innovation_systems": 2, "technology_transfer": 2}
    assert f.host_countries == ["BT", "IN", "TH", "UZ"]
    # 42 + 44 + 80 head counts, and 3 counted records (the organiser is not a participant).
    assert f.participants == 169
    assert f.participants_by_country == {"BT": 2, "IN": 1}
    assert f.participants_unattributed == 166
    assert f.participant_countries == ["BD", "BT", "IN", "IR", "KH", "KR", "LA", "TL", "UZ", "VN"]
    assert f.partner_institutions == 5
    assert f.sdgs == {9: 3, 17: 2}
    assert f.experts == 1


def test_compute_figures_json_has_the_issue_keys(tmp_path, staff_actor):
    import_year(tmp_path=tmp_path, actor=staff_actor)
    data = _figures().to_json()
    for key in ["year", "activities", "host_countries", "participants", "participant_countries",
                "partner_institutions", "activities_by_type", "activities_by_area", "pledges_usd", "received_usd",
                "in_kind_usd", "contributions_by_member", "periodical_issues", "articles", "subscribers",
                "offers_published", "requests_published"]:
        assert key in data, key
    assert data["year"] == 2019 and data["sdgs"] == {"9": 3, "17": 2}


def test_compute_figures_follow_removed_moved_and_changed_activities(tmp_path, staff_actor):
    import_year(tmp_path=tmp_path, actor=staff_actor)
    Activity.objects.get(code="RW-2019-03").delete()
    after_delete = _figures()
    assert (after_delete.activities, after_delete.participants) == (3, 89)
    assert "UZ" not in after_delete.host_countries
    rows = [list(row) for row in ACTIVITIES if row[0] != "RW-2019-03"]
    rows[0][3:5] = ["2020-01-27", "2020-01-27"]  # move the grassroots workshop to 2020
    rows[1][10] = "50"  # and correct a head count
    import_year(tmp_path=tmp_path, actor=staff_actor, activities=rows)
    moved = _figures()
    assert moved.activities == 2
    assert moved.participants == 53
    assert moved.host_countries == ["BT", "TH"]
    next_year = compute_figures(start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31))
    assert (next_year.activities, next_year.participants) == (1, 42)


def test_compute_figures_profiles_published_in_period_by_kind(db):
    in_year = dt.datetime(2019, 5, 1, 12, tzinfo=dt.UTC)
    factories.PublishedProfileFactory(kind="offer", published_at=in_year)
    factories.PublishedProfileFactory(kind="offer", published_at=in_year, status="expired")
    factories.PublishedProfileFactory(kind="request", published_at=in_year)
    factories.PublishedProfileFactory(kind="equipment", published_at=in_year)
    factories.PublishedProfileFactory(kind="offer", published_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    f = _figures()
    assert (f.offers_published, f.requests_published, f.equipment_requests_published) == (2, 1, 1)
    assert f.profiles_by_country == {"BT": 4}


def test_compute_figures_query_count_does_not_grow_with_activities(tmp_path, staff_actor):
    import_year(tmp_path=tmp_path, actor=staff_actor)
    with CaptureQueriesContext(connection) as few:
        _figures()
    factories.ActivityFactory.create_batch(30, start_date=dt.date(2019, 3, 1))
    with CaptureQueriesContext(connection) as many:
        _figures()
    assert len(many) == len(few)


def test_compute_figures_refuses_reversed_period(db):
    with pytest.raises(ValueError):
        compute_figures(start=dt.date(2019, 2, 1), end=dt.date(2019, 1, 1))


def test_compute_figures_periodical_and_publications_in_the_report(db):
    from techbridge.periodical.models import Article, ArticleAuthor, Author, Issue, Publication
    from techbridge.reports.content import build_content

    issue = Issue.objects.create(volume=36, number=1, period_start=dt.date(2019, 1, 1),
                                 period_end=dt.date(2019, 3, 31), theme="Technologies for inclusiveness",
                                 published_on=dt.date(2019, 4, 2))
    Issue.objects.create(volume=35, number=4, period_start=dt.date(2018, 10, 1), period_end=dt.date(2018, 12, 31),
                         theme="Biotechnology", published_on=dt.date(2018, 12, 20))
    authors = [Author.objects.create(name="A. Rahman", country_id="BD"),
               Author.objects.create(name="J. Kim", country_id="KR")]
    for position, author in enumerate(authors):
        article = Article.objects.create(issue=issue, position=position, title=f"Article {position}")
        ArticleAuthor.objects.create(article=article, author=author)
    Publication.objects.create(kind="manual", title="Manual on IP management", published_on=dt.date(2019, 9, 1))
    f = _figures()
    assert (f.periodical_issues, f.articles, f.authors) == (1, 2, 2)
    content = build_content(year=2019)
    assert content.publications.text == (
        "The Centre published 1 issue of the Asia-Pacific Tech Monitor on the theme Technologies for "
        "inclusiveness, with 2 articles by 2 authors from Bangladesh and Republic of Korea. The Centre also "
        "published 1 other publication (Annex II).")
    assert [row[1] for row in content.publication_rows] == ["Vol. 36 No. 1: Technologies for inclusiveness",
                                                            "Manual on IP management"]


def test_compute_figures_counts_expressions_of_interest_sent_in_period(db):
    profile = factories.PublishedProfileFactory()
    factories.InterestFactory(profile=profile, created_at=dt.datetime(2019, 8, 1, tzinfo=dt.UTC))
    factories.InterestFactory(profile=profile, created_at=dt.datetime(2020, 2, 1, tzinfo=dt.UTC))
    f = _figures()
    assert f.expressions_of_interest == 1 and "matching" not in f.sources_missing
