"""The Tech Monitor in the JSON API: published issues with their articles, and public publications."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from techbridge.core.api_auth import api_actor
from techbridge.core.security.pagination import PageNumberPagination
from techbridge.periodical import permissions as perms
from techbridge.periodical.services.mailings import public_featured

router = Router(tags=["periodical"])


class AuthorOut(Schema):
    name: str
    affiliation: str
    country: str | None


class ArticleOut(Schema):
    id: int
    title: str
    abstract: str
    topic: str
    keywords: list[str]
    authors: list[AuthorOut]
    has_pdf: bool


class FeaturedOut(Schema):
    id: int
    reference: str
    kind: str
    title: str
    country: str


class IssueOut(Schema):
    id: int
    volume: int
    number: int
    theme: str
    period_start: date
    period_end: date
    published_on: date | None


class IssueDetailOut(IssueOut):
    editorial: str
    articles: list[ArticleOut]
    featured: list[FeaturedOut]


class PublicationOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    published_on: date | None
    url: str


def _article(article) -> dict:
    links = article.articleauthor_set.select_related("author").all()
    return {"id": article.pk, "title": article.title, "abstract": article.abstract, "topic": article.topic,
            "keywords": article.keyword_list, "has_pdf": bool(article.pdf),
            "authors": [{"name": link.author.name, "affiliation": link.author.affiliation,
                         "country": link.author.country_id} for link in links]}


@router.get("/issues", response=list[IssueOut], summary="Published issues, newest first")
@paginate(PageNumberPagination, page_size=20)
def list_issues(request):
    return perms.visible_issues(api_actor(request)).order_by("-period_start", "-number")


@router.get("/issues/{int:issue_id}", response=IssueDetailOut, summary="An issue with its articles and featured "
                                                                        "technology offers and requests")
def get_issue(request, issue_id: int):
    issue = get_object_or_404(perms.visible_issues(api_actor(request)), pk=issue_id)
    featured = public_featured(issue)
    return {**{f: getattr(issue, f) for f in ("id", "volume", "number", "theme", "period_start", "period_end",
                                             "published_on", "editorial")},
            "articles": [_article(a) for a in issue.articles.all()],
            "featured": [{"id": p.pk, "reference": p.reference, "kind": p.kind, "title": p.title,
                          "country": p.country_id} for p in featured["offers"] + featured["requests"]]}


@router.get("/publications", response=list[PublicationOut], summary="Manuals, policy briefs and reports")
@paginate(PageNumberPagination, page_size=20)
def list_publications(request):
    return perms.visible_publications(api_actor(request))
