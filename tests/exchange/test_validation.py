"""Bad input to the services: every error names its field and nothing is written."""

import pytest
from django.core.exceptions import ValidationError

from techbridge.core.permissions import actor_for
from techbridge.exchange import services
from techbridge.exchange.models import Profile

pytestmark = pytest.mark.django_db

GOOD = {"title": "Mini rice mill", "summary": "Need a 500 kg/h rice mill.", "item": "Rice mill"}


@pytest.mark.parametrize(
    ("kind", "values", "field"),
    [
        ("offer", {"title": "", "summary": "x"}, "title"),
        ("offer", {"title": "x" * 257, "summary": "x"}, "title"),
        ("offer", {"title": "t", "summary": "x" * 501}, "summary"),
        ("offer", {"title": "t", "summary": "s", "description": "x" * 4001}, "description"),
        ("offer", {"title": "t", "summary": "s", "trl": 12}, "trl"),
        ("offer", {"title": "t", "summary": "s", "stage": "teleported"}, "stage"),
        ("offer", {"title": "t", "summary": "s", "ipr_status": "stolen"}, "ipr_status"),
        ("offer", {"title": "t", "summary": "s", "country": "Atlantis"}, "country"),
        ("offer", {"title": "t", "summary": "s", "sectors": ["ZZ"]}, "sectors"),
        ("offer", {"title": "t", "summary": "s", "sdgs": [18]}, "sdgs"),
        ("offer", {"title": "t", "summary": "s", "partnership_types": ["piracy"]}, "partnership_types"),
        ("offer", {"title": "t", "summary": "s", "target_countries": ["Narnia"]}, "target_countries"),
        ("offer", {"title": "t", "summary": "s", "contact_email": "not-an-email"}, "contact_email"),
        ("offer", {"title": "t", "summary": "s", "item": "Tractor"}, "item"),
        ("offer", {"title": "t", "summary": "s", "unknown_field": 1}, "unknown_field"),
        ("equipment", {"title": "t", "summary": "s"}, "item"),
        ("equipment", {**GOOD, "budget_min_usd": 500, "budget_max_usd": 100}, "budget_max_usd"),
        ("equipment", {**GOOD, "budget_min_usd": -5}, "budget_min_usd"),
        ("equipment", {**GOOD, "budget_min_usd": "lots"}, "budget_min_usd"),
        ("equipment", {**GOOD, "hs_code": "84ab"}, "hs_code"),
    ],
)
def test_create_profile_bad_input_names_field_and_saves_nothing(member_a, org_a, kind, values, field):
    with pytest.raises(ValidationError) as exc:
        services.create_profile(actor=actor_for(member_a), kind=kind, organisation_id=org_a.pk, values=values)
    assert field in exc.value.message_dict
    assert Profile.objects.count() == 0


def test_create_profile_unknown_kind_or_organisation(member_a, org_a):
    with pytest.raises(ValidationError) as exc:
        services.create_profile(actor=actor_for(member_a), kind="gift", organisation_id=org_a.pk, values=GOOD)
    assert "kind" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_profile(actor=actor_for(member_a), kind="offer", organisation_id=999999, values=GOOD)
    assert "organisation" in exc.value.message_dict


def test_description_html_is_sanitised(member_a, org_a):
    profile = services.create_profile(
        actor=actor_for(member_a),
        kind="offer",
        organisation_id=org_a.pk,
        values={
            "title": "t",
            "summary": "s",
            "description": '<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:alert(1)">l</a></p>',
        },
    )
    assert "<script" not in profile.description and "onclick" not in profile.description
    assert "javascript:" not in profile.description
    assert profile.description.startswith("<p>Hi")


def test_country_names_resolved_through_resolver(member_a, org_a):
    profile = services.create_profile(
        actor=actor_for(member_a),
        kind="request",
        organisation_id=org_a.pk,
        values={
            "title": "t",
            "summary": "s",
            "country": "Lao PDR",
            "target_countries": ["Viet Nam", "Iran (Islamic Republic of)", "KOR"],
        },
    )
    assert profile.country_id == "LA"
    assert sorted(c.iso2 for c in profile.target_countries.all()) == ["IR", "KR", "VN"]
