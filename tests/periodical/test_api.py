"""The periodical API shows published issues only, with articles and bylines."""

from __future__ import annotations

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_periodical_api_lists_published_issues_with_articles(client):
    issue = factories.IssueFactory(theme="Green technologies")
    article = factories.ArticleFactory(issue=issue)
    factories.add_author(article, factories.AuthorFactory(name="P. Dorji", country_id="BT"))
    hidden = factories.IssueFactory(published_on=None)
    listed = client.get("/api/v1/periodical/issues").json()
    assert [i["theme"] for i in listed["items"]] == ["Green technologies"]
    detail = client.get(f"/api/v1/periodical/issues/{issue.pk}").json()
    assert detail["articles"][0]["authors"] == [{"name": "P. Dorji", "affiliation": "Institute of Technology",
                                                 "country": "BT"}]
    assert client.get(f"/api/v1/periodical/issues/{hidden.pk}").status_code == 404
