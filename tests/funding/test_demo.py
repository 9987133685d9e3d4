"""The demo contributions reproduce the 2019 figures of the annual report."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

from techbridge.funding import demo, figures
from techbridge.funding.models import Contribution

pytestmark = pytest.mark.django_db


def test_demo_contributions_match_the_report_and_load_once():
    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    result = figures.contribution_figures(start=date(2019, 1, 1), end=date(2019, 12, 31))
    assert result["pledged"] == Decimal("460000") and result["received"] == Decimal("182496")
    assert result["in_kind"] == Decimal("50000")
    assert result["pledging_members"] == ["China", "India", "Indonesia", "Macao, China", "Thailand"]
    assert len(result["paying_members"]) == 11 and len(result["in_kind_members"]) == 6
    assert Contribution.objects.count() == 22
