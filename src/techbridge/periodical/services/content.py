"""Writing the periodical's content: issues, articles with their authors, other publications.

Rich text (editorials, article bodies) is sanitised here, on the way in, so every page can show it as is; uploaded
PDFs and cover images are checked by content, never by file name.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.countries import UnknownCountry, resolve_country
from techbridge.core.permissions import Actor, require_staff
from techbridge.core.sanitize import clean_html
from techbridge.core.uploads import check_upload
from techbridge.exchange.models import Profile
from techbridge.periodical.models import Article, ArticleAuthor, Author, Issue, Publication, Topic


def save_issue(*, actor: Actor, values: dict, issue: Issue | None = None, cover=None) -> Issue:
    """Create or update an issue. Featured profiles are kept even if unpublished later; pages filter them."""
    require_staff(actor)
    issue = issue or Issue()
    errors: dict[str, list[str]] = {}
    for name in ("volume", "number", "period_start", "period_end", "theme", "published_on"):
        if name in values:
            setattr(issue, name, values[name])
    if "editorial" in values:
        issue.editorial = clean_html(values["editorial"] or "")
    if not (issue.theme or "").strip():
        errors["theme"] = [_("A theme is required.")]
    if isinstance(issue.period_start, date) and isinstance(issue.period_end, date) \
            and issue.period_end < issue.period_start:
        errors["period_end"] = [_("The period must end after it starts.")]
    clash = Issue.objects.filter(volume=issue.volume, number=issue.number).exclude(pk=issue.pk).exists()
    if clash:
        errors["number"] = [_("Vol. %(v)s No. %(n)s already exists.") % {"v": issue.volume, "n": issue.number}]
    if cover is not None:
        checked = check_upload(cover, field="cover")
        if not checked.content_type.startswith("image/"):
            errors["cover"] = [_("The cover must be an image.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        created = issue.pk is None
        if cover is not None:
            issue.cover.save(checked.name, cover, save=False)
        issue.save()
        if "featured_profiles" in values:
            issue.featured_profiles.set(Profile.objects.filter(pk__in=values["featured_profiles"]))
        audit.record(actor=actor, action="issue_create" if created else "issue_update", obj=issue)
    return issue


def author_for(*, name: str, affiliation: str = "", country: str = "") -> Author:
    """The author with this name and affiliation (created once), so distinct authors can be counted."""
    iso2 = None
    if country:
        try:
            iso2 = resolve_country(country)
        except UnknownCountry as exc:
            raise ValidationError({"authors": [str(exc)]}) from None
    author, _created = Author.objects.get_or_create(name=name.strip(), affiliation=affiliation.strip(),
                                                    defaults={"country_id": iso2})
    if iso2 and author.country_id != iso2:
        author.country_id = iso2
        author.save(update_fields=["country"])
    return author


def save_article(*, actor: Actor, issue: Issue, values: dict, authors: list[dict] | None = None,
                 article: Article | None = None, pdf=None) -> Article:
    """Create or update an article; `authors` is a list of {name, affiliation, country} in byline order."""
    require_staff(actor)
    article = article or Article(issue=issue)
    for name in ("title", "abstract", "keywords", "position", "topic"):
        if name in values:
            setattr(article, name, values[name])
    if "body" in values:
        article.body = clean_html(values["body"] or "")
    errors: dict[str, list[str]] = {}
    if not (article.title or "").strip():
        errors["title"] = [_("A title is required.")]
    if article.topic not in Topic.values:
        errors["topic"] = [_("Unknown section.")]
    if pdf is not None:
        checked = check_upload(pdf, field="pdf")
        if checked.content_type != "application/pdf":
            errors["pdf"] = [_("Only a PDF file can be attached to an article.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        created = article.pk is None
        if pdf is not None:
            article.pdf.save(checked.name, pdf, save=False)
            article.pdf_name = checked.name
        article.save()
        if authors is not None:
            ArticleAuthor.objects.filter(article=article).delete()
            for position, data in enumerate(authors):
                ArticleAuthor.objects.create(article=article, position=position,
                                             author=author_for(name=data["name"],
                                                               affiliation=data.get("affiliation", ""),
                                                               country=data.get("country", "")))
        audit.record(actor=actor, action="article_create" if created else "article_update", obj=article)
    return article


def save_publication(*, actor: Actor, values: dict, publication: Publication | None = None,
                     file=None) -> Publication:
    """Create or update a manual, policy brief or report (optional PDF, checked by content)."""
    require_staff(actor)
    publication = publication or Publication()
    for name in ("kind", "title", "summary", "published_on", "url"):
        if name in values:
            setattr(publication, name, values[name])
    if publication.kind not in Publication.Kind.values:
        raise ValidationError({"kind": [_("Unknown publication type.")]})
    publication.url = (publication.url or "").strip()
    if publication.url:  # shown as a link: only web addresses, never javascript: or data: URLs
        try:
            URLValidator(schemes=["http", "https"])(publication.url)
        except ValidationError:
            raise ValidationError({"url": [_("Give a web address starting with http:// or https://.")]}) from None
    if file is not None:
        checked = check_upload(file, field="file")
        if checked.content_type != "application/pdf":
            raise ValidationError({"file": [_("Only PDF files are accepted.")]})
    with transaction.atomic():
        if file is not None:
            publication.file.save(checked.name, file, save=False)
        publication.save()
        audit.record(actor=actor, action="publication_save", obj=publication)
    return publication
