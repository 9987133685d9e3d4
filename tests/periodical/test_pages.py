"""Public pages: archive, issue, article, feed; content rules; readership counting without addresses or cookies."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from techbridge.core.permissions import actor_for
from techbridge.periodical import figures
from techbridge.periodical.models import PageView
from techbridge.periodical.services import content, readership
from tests import factories

pytestmark = pytest.mark.django_db


def test_archive_filters_by_year_and_theme_and_hides_unpublished(client):
    factories.IssueFactory(theme="Biotechnology commercialization", period_start=date(2018, 10, 1),
                           period_end=date(2018, 12, 31), published_on=date(2019, 1, 20))
    factories.IssueFactory(theme="Green technologies", period_start=date(2019, 7, 1), period_end=date(2019, 9, 30))
    factories.IssueFactory(theme="Not out yet", published_on=None)
    page = client.get("/tech-monitor/").content.decode()
    assert "Biotechnology commercialization" in page and "Green technologies" in page
    assert "Not out yet" not in page
    only_2018 = client.get("/tech-monitor/?year=2018").content.decode()
    assert ">Biotechnology commercialization</a></h2>" in only_2018
    assert ">Green technologies</a></h2>" not in only_2018
    by_theme = client.get("/tech-monitor/?theme=Green technologies").content.decode()
    assert ">Green technologies</a></h2>" in by_theme
    assert ">Biotechnology commercialization</a></h2>" not in by_theme


def test_unpublished_issue_is_404_for_the_public_and_visible_to_staff(client, client_for, staff):
    issue = factories.IssueFactory(published_on=None)
    assert client.get(f"/tech-monitor/issues/{issue.pk}/").status_code == 404
    assert client_for(staff).get(f"/tech-monitor/issues/{issue.pk}/").status_code == 200


def test_issue_page_shows_only_published_featured_profiles(client):
    issue = factories.IssueFactory()
    public = factories.PublishedProfileFactory(title="Solar cold room")
    draft = factories.ProfileFactory(title="Secret draft dryer")
    request = factories.PublishedProfileFactory(title="Need: rice husk boiler", kind="request")
    issue.featured_profiles.set([public, draft, request])
    page = client.get(f"/tech-monitor/issues/{issue.pk}/").content.decode()
    assert "Solar cold room" in page and "Need: rice husk boiler" in page
    assert "Secret draft dryer" not in page


def test_article_page_shows_authors_with_affiliation_and_country(client):
    article = factories.ArticleFactory()
    factories.add_author(article, factories.AuthorFactory(name="Mei Tan", affiliation="KAIST", country_id="KR"))
    page = client.get(f"/tech-monitor/articles/{article.pk}/").content.decode()
    assert "Mei Tan (KAIST, Republic of Korea)" in page


def test_page_views_are_counted_per_country_and_month_without_address_or_cookie(client, settings):
    settings.GEOIP_PATH = ""  # no database: country unknown
    issue = factories.IssueFactory()
    article = factories.ArticleFactory(issue=issue)
    response = client.get(f"/tech-monitor/issues/{issue.pk}/", REMOTE_ADDR="203.0.113.9")
    client.get(f"/tech-monitor/issues/{issue.pk}/", REMOTE_ADDR="203.0.113.10")
    client.get(f"/tech-monitor/articles/{article.pk}/", REMOTE_ADDR="203.0.113.9")
    client.get(f"/tech-monitor/issues/{issue.pk}/", HTTP_USER_AGENT="Googlebot/2.1")
    assert "Set-Cookie" not in response.headers and not response.cookies
    rows = list(PageView.objects.values("target", "object_id", "country", "count"))
    assert sorted(rows, key=lambda r: r["target"]) == [
        {"target": "article", "object_id": article.pk, "country": "", "count": 1},
        {"target": "issue", "object_id": issue.pk, "country": "", "count": 2},
    ]
    stored = " ".join(str(v) for row in PageView.objects.values() for v in row.values())
    assert "203.0.113" not in stored
    assert {f.name for f in PageView._meta.get_fields()} == {"id", "target", "object_id", "month", "country", "count"}


def test_readership_by_country_sums_the_months_of_the_period():
    for month, country, count in ((date(2019, 5, 1), "CN", 5), (date(2019, 5, 1), "IN", 3),
                                  (date(2019, 6, 1), "IN", 2), (date(2019, 6, 1), "", 1),
                                  (date(2020, 1, 1), "CN", 50)):
        PageView.objects.create(target="issue", object_id=1, month=month, country=country, count=count)
    rows = figures.readership_by_country(start=date(2019, 1, 1), end=date(2019, 12, 31))
    assert [(r["name"], r["views"]) for r in rows] == [("China", 5), ("India", 5), ("unknown", 1)]
    readership.record_view(target="issue", object_id=1, ip="", user_agent="Firefox", today=date(2019, 6, 30))
    assert PageView.objects.get(month=date(2019, 6, 1), country="").count == 2


def test_atom_feed_lists_published_issues_with_their_articles(client):
    issue = factories.IssueFactory(theme="Fourth Industrial Revolution")
    factories.ArticleFactory(issue=issue, title="AI for small farms")
    factories.IssueFactory(theme="Hidden draft", published_on=None)
    response = client.get("/tech-monitor/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 1
    assert "Fourth Industrial Revolution" in entries[0].find("a:title", ns).text
    assert "AI for small farms" in entries[0].find("a:summary", ns).text


def test_article_body_is_sanitised_and_pdf_checked_by_content(staff):
    issue = factories.IssueFactory()
    article = content.save_article(
        actor=actor_for(staff), issue=issue,
        values={"title": "Startups", "body": '<p onclick="x()">Hi<script>alert(1)</script></p>', "topic": "market"},
        authors=[{"name": "R. Shrestha", "affiliation": "NAST", "country": "Nepal"}])
    assert article.body == "<p>Hi</p>"
    assert article.authors.get().country_id == "NP"
    fake = SimpleUploadedFile("paper.pdf", b"\x89PNG\r\n\x1a\n0000", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        content.save_article(actor=actor_for(staff), issue=issue, article=article, values={}, pdf=fake)
    assert "pdf" in exc.value.message_dict
    real = SimpleUploadedFile("paper.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    content.save_article(actor=actor_for(staff), issue=issue, article=article, values={}, pdf=real)
    article.refresh_from_db()
    assert article.pdf_name == "paper.pdf"


def test_periodical_figures_count_issues_articles_authors_and_featured():
    first = factories.IssueFactory(published_on=date(2019, 1, 20))
    second = factories.IssueFactory(published_on=date(2019, 10, 1))
    factories.IssueFactory(published_on=date(2020, 2, 1))
    shared = factories.AuthorFactory(country_id="AT")
    for issue in (first, second):
        article = factories.ArticleFactory(issue=issue)
        factories.add_author(article, shared)
        factories.add_author(article, factories.AuthorFactory(country_id="BD"), 1)
    first.featured_profiles.add(factories.PublishedProfileFactory(), factories.PublishedProfileFactory(kind="request"))
    factories.SubscriberFactory()
    result = figures.periodical_figures(start=date(2019, 1, 1), end=date(2019, 12, 31))
    assert (result["issues"], result["articles"], result["authors"]) == (2, 2, 3)
    assert result["author_countries"] == ["Austria", "Bangladesh"]
    assert (result["featured_offers"], result["featured_requests"]) == (1, 1)
    assert result["subscribers"] == 0  # confirmed today, after the period


def test_staff_dashboard_renders_figures(client_for, staff):
    factories.SubscriberFactory(country_id="IN")
    response = client_for(staff).get("/tech-monitor/staff/?start=2019-01-01&end=2030-12-31")
    assert response.status_code == 200
    assert b'id="subscribers-now">1<' in response.content
