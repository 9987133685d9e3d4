"""factory_boy factories of the matching app (re-exported by tests.factories)."""

from __future__ import annotations

import factory

from techbridge.matching.models import AlertSettings, ExpressionOfInterest, SavedSearch
from tests.factories.base import PublishedProfileFactory, UserFactory

__all__ = ["AlertSettingsFactory", "InterestFactory", "SavedSearchFactory", "offer", "request_profile"]


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpressionOfInterest

    profile = factory.SubFactory(PublishedProfileFactory)
    sender = factory.SubFactory(UserFactory)
    message = "We would like to discuss a licence."
    offer_or_seek = "We seek a drying technology for cardamom."
    why_this = "Your dryer fits our capacity."
    next_step = "A video call next week."


class SavedSearchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedSearch

    user = factory.SubFactory(UserFactory)
    name = "Dryers"
    query = "solar dryer for spices"


class AlertSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlertSettings
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    frequency = "daily"
    min_score = 0.0


def offer(**kwargs):
    """A published technology offer (plain factory: bypasses services, so no index change is logged)."""
    kwargs.setdefault("kind", "offer")
    kwargs.setdefault("description", "")  # the base factory's shared text would make everything match
    return PublishedProfileFactory(**kwargs)


def request_profile(**kwargs):
    """A published technology request."""
    kwargs.setdefault("kind", "request")
    kwargs.setdefault("description", "")
    return PublishedProfileFactory(**kwargs)
