"""The contributions API is for staff only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_contributions_api_is_staff_only_and_filters(staff, member_a, client_for):
    factories.ContributionFactory(member_state_id="CN", amount_usd=Decimal("30000"))
    factories.ContributionFactory(member_state_id="TH", kind="cash_received")
    assert client_for(None).get("/api/v1/contributions").status_code == 401
    assert client_for(member_a).get("/api/v1/contributions").status_code == 403
    data = client_for(staff).get("/api/v1/contributions?kind=pledge").json()
    assert [(i["member_state"], i["amount_usd"]) for i in data["items"]] == [("CN", "30000.00")]
    assert client_for(staff).get("/api/v1/contributions?kind=gift").status_code == 422
    figures = client_for(staff).get("/api/v1/contributions/figures?start=2019-01-01&end=2019-12-31").json()
    assert Decimal(figures["pledged"]) == Decimal("30000")
