"""What keeps the exchange's lists fast at 100,000 profiles: capped counts, fixed query counts, full-text search."""

from __future__ import annotations

import pytest
from django.db import connection

from techbridge.core.models import Sector
from techbridge.core.permissions import ANONYMOUS
from techbridge.exchange import views
from techbridge.exchange.search import ProfileFilters, filter_profiles
from techbridge.matching.models import ExpressionOfInterest
from tests import factories

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_browse_count_is_capped_beyond_the_cap(client, org_a, monkeypatch):
    monkeypatch.setattr(views, "LIST_COUNT_CAP", 5)
    for _ in range(7):
        factories.PublishedProfileFactory(organisation=org_a)
    html = client.get("/exchange/").content.decode()
    assert "More than 5 profiles" in html and html.count('class="card profile-card"') == 5
    monkeypatch.setattr(views, "LIST_COUNT_CAP", 1000)
    assert "7 profiles" in client.get("/exchange/").content.decode()


def test_api_list_queries_do_not_grow_for_a_signed_in_member(client_for, org_a, org_b, member_b):
    """The private-access check (accepted expressions of interest) runs once per page, not per profile."""
    c = client_for(member_b)
    factories.PublishedProfileFactory(organisation=org_a)
    few = _queries(c, "/api/v1/profiles")
    for _ in range(12):
        factories.PublishedProfileFactory(organisation=org_a)
    assert _queries(c, "/api/v1/profiles") == few


def test_api_list_shows_contacts_to_an_accepted_counterpart(client_for, org_a, member_b):
    shared, hidden = (factories.PublishedProfileFactory(organisation=org_a) for _ in range(2))
    factories.InterestFactory(profile=shared, sender=member_b, status=ExpressionOfInterest.Status.ACCEPTED)
    items = {p["id"]: p for p in client_for(member_b).get("/api/v1/profiles").json()["items"]}
    assert items[shared.pk]["contact_email"] == "karma@example.bt"
    assert items[hidden.pk].get("contact_email") in (None, "")


def test_detail_queries_do_not_grow_with_relations(client, org_a):
    sectors = list(Sector.objects.all()[:6])
    plain = factories.PublishedProfileFactory(organisation=org_a)
    rich = factories.PublishedProfileFactory(organisation=org_a)
    rich.sectors.set(sectors)
    assert len(sectors) > 1
    _queries(client, f"/exchange/{plain.pk}/")  # the first request builds the matching index
    assert _queries(client, f"/exchange/{rich.pk}/") == _queries(client, f"/exchange/{plain.pk}/")


@pytest.mark.postgres
def test_fulltext_search_on_postgresql_stems_and_needs_every_word(org_a):
    dryer = factories.PublishedProfileFactory(organisation=org_a, title="Solar dryers for cardamom",
                                              description="<p>Indirect drying</p>")
    mill = factories.PublishedProfileFactory(organisation=org_a, title="Rice mill", summary="Small mills",
                                             description="<p>Husking</p>")

    def found(text):
        return set(filter_profiles(ANONYMOUS, ProfileFilters(q=text), public_only=True)
                   .values_list("pk", flat=True))

    assert found("dryer") == {dryer.pk}  # stemmed: dryers ~ dryer
    assert found("solar mill") == set()  # every word must appear
    assert found("mills for rice") == {mill.pk}  # "for" is a stop word
    assert found(dryer.reference) == {dryer.pk}
    assert found("solar & !dryer |") == {dryer.pk}  # the text is words, not tsquery syntax
    sql = str(filter_profiles(ANONYMOUS, ProfileFilters(q="dryer"), public_only=True).query)
    assert "search_document" in sql and "ILIKE" not in sql.upper()
