"""Who sees which part of the periodical: published issues for everybody, drafts and the list tools for staff."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from techbridge.core.permissions import Actor
from techbridge.periodical.models import Article, Issue, Publication


def visible_issues(actor: Actor) -> QuerySet:
    """Issues this actor may open; the public sees those whose publication date has come."""
    qs = Issue.objects.all()
    if actor.is_staff:
        return qs
    return qs.filter(published_on__isnull=False, published_on__lte=timezone.localdate())


def visible_articles(actor: Actor) -> QuerySet:
    return Article.objects.filter(issue__in=visible_issues(actor))


def visible_publications(actor: Actor) -> QuerySet:
    qs = Publication.objects.all()
    if actor.is_staff:
        return qs
    return qs.filter(Q(published_on__isnull=True) | Q(published_on__lte=timezone.localdate()))


def can_manage_list(actor: Actor) -> bool:
    """Subscribers, mailings and readership figures are the centre staff's."""
    return actor.is_staff
