"""factory_boy factories of the periodical app (re-exported by tests.factories)."""

from __future__ import annotations

from datetime import date

import factory
from django.utils import timezone

from techbridge.periodical.models import Article, ArticleAuthor, Author, Issue, Mailing, Subscriber

__all__ = ["ArticleFactory", "AuthorFactory", "IssueFactory", "MailingFactory", "SubscriberFactory",
           "add_author"]


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue
        skip_postgeneration_save = True

    volume = 36
    number = factory.Sequence(lambda n: n + 1)
    period_start = date(2019, 1, 1)
    period_end = date(2019, 3, 31)
    theme = factory.Sequence(lambda n: f"Technologies for inclusiveness {n}")
    editorial = "<p>Technology can leave no one behind.</p>"
    published_on = date(2019, 4, 15)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")
    affiliation = "Institute of Technology"
    country_id = "IN"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    issue = factory.SubFactory(IssueFactory)
    title = factory.Sequence(lambda n: f"Technology transfer offices in Asia {n}")
    abstract = "How universities license their inventions."
    body = "<p>Licensing is a skill.</p>"
    keywords = "licensing, universities"


def add_author(article, author, position: int = 0):
    return ArticleAuthor.objects.create(article=article, author=author, position=position)


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    status = Subscriber.Status.ACTIVE
    country_id = "TH"
    confirmed_at = factory.LazyFunction(timezone.now)


class MailingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mailing

    subject = "Tech Monitor Vol. 36 No. 1"
    html_body = "<p>The new issue is out.</p>"
    text_body = "The new issue is out.\n"
