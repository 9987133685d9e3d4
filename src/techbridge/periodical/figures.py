"""Figures about the periodical for a date range: what the annual report (reports app) and the staff dashboard show.

Why one module: the report's paragraph ("5 issues ... 18 articles by 26 authors from 8 countries ... 39 offers,
20 requests ... 1,587 e-subscribers ... 2,935 visitors, most from ...") and the dashboard must give the same
numbers, so both call these functions. All functions take keyword-only `start`/`end` dates (inclusive).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from techbridge.core.countries import country_name
from techbridge.exchange.models import Kind, Profile
from techbridge.periodical.models import Article, Author, Issue, Mailing, OutboxMessage, PageView, Subscriber


def _name(iso2: str) -> str:
    if not iso2:
        return "unknown"
    try:
        return country_name(iso2)
    except KeyError:
        return iso2


def issues_in(*, start: date, end: date):
    """Issues published within the range (an Oct–Dec issue published in January counts for January's year)."""
    return Issue.objects.filter(published_on__gte=start, published_on__lte=end).order_by("published_on", "number")


def readership_by_country(*, start: date, end: date) -> list[dict]:
    """Page views of issues and articles per reader country, most first; "" is unknown."""
    rows = (PageView.objects.filter(month__gte=start.replace(day=1), month__lte=end)
            .values("country").annotate(views=Sum("count")).order_by("-views", "country"))
    return [{"country": row["country"], "name": _name(row["country"]), "views": row["views"]} for row in rows]


def readership_by_month(*, start: date, end: date) -> list[dict]:
    rows = (PageView.objects.filter(month__gte=start.replace(day=1), month__lte=end)
            .values("month").annotate(views=Sum("count")).order_by("month"))
    return [{"month": row["month"], "views": row["views"]} for row in rows]


def subscribers_at(*, when: date) -> int:
    """Addresses that could be mailed on `when`: subscribed (confirmed, or consented import) and not gone."""
    joined = Q(confirmed_at__date__lte=when) | Q(confirmed_at__isnull=True, consented=True, created_at__date__lte=when)
    still = Q(unsubscribed_at__isnull=True) | Q(unsubscribed_at__date__gt=when)
    return Subscriber.objects.filter(joined & still).count()


def subscribers_by_country() -> list[dict]:
    rows = (Subscriber.objects.filter(status=Subscriber.Status.ACTIVE).values("country_id")
            .annotate(n=Count("id")).order_by("-n", "country_id"))
    return [{"country": row["country_id"] or "", "name": _name(row["country_id"] or ""), "subscribers": row["n"]}
            for row in rows]


def subscriber_growth(*, start: date, end: date) -> list[dict]:
    """New subscriptions and unsubscriptions per month, with the running total at each month's end."""
    joined = dict(Subscriber.objects.filter(confirmed_at__date__gte=start, confirmed_at__date__lte=end)
                  .annotate(m=TruncMonth("confirmed_at")).values("m").annotate(n=Count("id")).values_list("m", "n"))
    imported = dict(Subscriber.objects.filter(confirmed_at__isnull=True, consented=True, created_at__date__gte=start,
                                              created_at__date__lte=end)
                    .annotate(m=TruncMonth("created_at")).values("m").annotate(n=Count("id")).values_list("m", "n"))
    left = dict(Subscriber.objects.filter(unsubscribed_at__date__gte=start, unsubscribed_at__date__lte=end)
                .annotate(m=TruncMonth("unsubscribed_at")).values("m").annotate(n=Count("id")).values_list("m", "n"))
    months = sorted({_month(m) for m in [*joined, *imported, *left]})
    by_month = {}
    for source, sign in ((joined, 1), (imported, 1), (left, -1)):
        for month, n in source.items():
            by_month.setdefault(_month(month), [0, 0])[0 if sign > 0 else 1] += n
    result = []
    for month in months:
        new, gone = by_month[month]
        last_day = _month_end(month)
        result.append({"month": month, "new": new, "left": gone, "total": subscribers_at(when=min(last_day, end))})
    return result


def _month(value) -> date:
    return value.date().replace(day=1) if hasattr(value, "date") else value.replace(day=1)


def _month_end(month: date) -> date:
    following = month.replace(year=month.year + 1, month=1) if month.month == 12 else month.replace(
        month=month.month + 1)
    return date.fromordinal(following.toordinal() - 1)


def mailing_stats(*, start: date, end: date) -> list[dict]:
    """Per mailing started in the range: copies sent, failed, uncertain, and opened (where images were shown)."""
    rows = (Mailing.objects.filter(started_at__date__gte=start, started_at__date__lte=end)
            .annotate(sent=Count("outbox", filter=Q(outbox__state=OutboxMessage.State.SENT)),
                      failed=Count("outbox", filter=Q(outbox__state=OutboxMessage.State.FAILED)),
                      uncertain=Count("outbox", filter=Q(outbox__state=OutboxMessage.State.UNCERTAIN)),
                      opened=Count("outbox", filter=Q(outbox__opened_at__isnull=False)))
            .order_by("-started_at"))
    return [{"id": m.pk, "subject": m.subject, "started_at": m.started_at, "sent": m.sent, "failed": m.failed,
             "uncertain": m.uncertain, "opened": m.opened} for m in rows]


def periodical_figures(*, start: date, end: date) -> dict:
    """Everything the annual report says about the periodical, for one period."""
    issues = list(issues_in(start=start, end=end))
    articles = Article.objects.filter(issue__in=issues)
    authors = Author.objects.filter(articles__in=articles).distinct()
    author_countries = sorted({_name(c) for c in authors.exclude(country__isnull=True)
                              .values_list("country_id", flat=True)})
    featured = Profile.objects.filter(tech_monitor_issues__in=issues).distinct()
    by_country = readership_by_country(start=start, end=end)
    return {
        "issues": len(issues),
        "issue_list": [{"id": i.pk, "volume": i.volume, "number": i.number, "theme": i.theme,
                        "period": i.period_label, "published_on": i.published_on} for i in issues],
        "articles": articles.count(),
        "authors": authors.count(),
        "author_countries": author_countries,
        "featured_offers": featured.filter(kind=Kind.OFFER).count(),
        "featured_requests": featured.exclude(kind=Kind.OFFER).count(),
        "subscribers": subscribers_at(when=end),
        "page_views": sum(row["views"] for row in by_country),
        "readership_by_country": by_country,
        "mailings": mailing_stats(start=start, end=end),
    }
