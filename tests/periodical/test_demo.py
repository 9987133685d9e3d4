"""The demo periodical reproduces the annual report's figures, and loading it twice changes nothing."""

from __future__ import annotations

import io
from datetime import date

import pytest

from techbridge.periodical import demo, figures
from techbridge.periodical.models import Article, PageView, Subscriber

pytestmark = pytest.mark.django_db


def test_demo_matches_the_annual_report_and_is_idempotent(staff):
    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    result = figures.periodical_figures(start=date(2019, 1, 1), end=date(2019, 12, 31))
    assert (result["issues"], result["articles"], result["authors"]) == (5, 18, 26)
    assert result["author_countries"] == ["Austria", "Bangladesh", "Cambodia", "India", "Malaysia", "Nepal",
                                          "Philippines", "Republic of Korea"]
    assert result["subscribers"] == 1587
    report_period = figures.readership_by_country(start=date(2018, 12, 1), end=date(2019, 9, 30))
    assert sum(row["views"] for row in report_period) == 2935
    assert {row["country"] for row in report_period[:9]} == set(demo.TOP_READERS)
    assert Article.objects.count() == 18 and Subscriber.objects.count() == 1587
    assert PageView.objects.filter(month__lt=date(2018, 12, 1)).count() == 0
