"""factory_boy factories of the reports app (re-exported by tests.factories)."""

from __future__ import annotations

import factory

from techbridge.reports.models import NarrativeOverride

__all__ = ["NarrativeOverrideFactory"]


class NarrativeOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NarrativeOverride

    year = 2019
    key = factory.Sequence(lambda n: f"activity:ACT-{n:04d}")
    text = "The Centre reworded this paragraph."
