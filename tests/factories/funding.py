"""factory_boy factories of the funding app (re-exported by tests.factories)."""

from __future__ import annotations

from decimal import Decimal

import factory

from techbridge.funding.models import Contribution, Kind

__all__ = ["ContributionFactory"]


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    member_state_id = "TH"
    year = 2019
    kind = Kind.PLEDGE
    amount_usd = Decimal("15000.00")
    reference = "Decision 75/13"
