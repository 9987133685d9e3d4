import pytest

from techbridge.exchange import extensions
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranker():
    calls = []

    def rank(actor, query, queryset):
        calls.append(query)
        return list(queryset.order_by("title").values_list("pk", flat=True))[::-1]

    extensions._SEARCH_RANKERS.insert(0, rank)  # before the matching app's ranker
    yield calls
    extensions._SEARCH_RANKERS.remove(rank)


def test_free_text_uses_registered_ranker_without_keyword_overlap(client, org_a, ranker):
    factories.PublishedProfileFactory(organisation=org_a, title="Alpha dryer")
    factories.PublishedProfileFactory(organisation=org_a, title="Beta mill")
    html = client.get("/exchange/?q=machine+that+removes+husks").content.decode()
    assert ranker == ["machine that removes husks"]
    assert html.index("Beta mill") < html.index("Alpha dryer")
    api = client.get("/api/v1/profiles?q=husks").json()
    assert [p["title"] for p in api["items"]] == ["Beta mill", "Alpha dryer"]


def test_without_ranker_every_word_must_match(client, org_a):
    factories.PublishedProfileFactory(organisation=org_a, title="Alpha dryer")
    html = client.get("/exchange/?q=machine+that+removes+husks").content.decode()
    assert "Alpha dryer" not in html


def test_private_access_hook_reveals_contacts(client_for, org_a, member_b):
    profile = factories.PublishedProfileFactory(organisation=org_a)

    def grant(actor, p):
        return actor.user_id == member_b.pk and p.pk == profile.pk

    c = client_for(member_b)
    assert "karma@example.bt" not in c.get(f"/exchange/{profile.pk}/").content.decode()
    extensions.register_private_access(grant)
    try:
        assert "karma@example.bt" in c.get(f"/exchange/{profile.pk}/").content.decode()
    finally:
        extensions._PRIVATE_ACCESS.remove(grant)


def test_ranked_listing_keeps_the_rankers_order_and_drops_ids_it_may_not_show(client, org_a, org_b):
    """The ranker's ids become one filter and one ordering (an array on PostgreSQL, placeholders elsewhere)."""
    titles = ["Alpha dryer", "Beta mill", "Gamma pump", "Delta kiln"]
    shown = [factories.PublishedProfileFactory(organisation=org_a, title=t) for t in titles]
    draft = factories.ProfileFactory(organisation=org_b, title="Epsilon draft")  # not public: never listed
    order = [shown[2].pk, draft.pk, shown[0].pk, shown[3].pk, shown[1].pk]

    def rank(actor, query, queryset):
        return order

    extensions._SEARCH_RANKERS.insert(0, rank)
    try:
        html = client.get("/exchange/?q=anything").content.decode()
        api = client.get("/api/v1/profiles?q=anything").json()
    finally:
        extensions._SEARCH_RANKERS.remove(rank)
    expected = ["Gamma pump", "Alpha dryer", "Delta kiln", "Beta mill"]
    assert sorted(expected, key=html.index) == expected
    assert "Epsilon draft" not in html
    assert [p["title"] for p in api["items"]] == expected


def test_id_filter_of_an_empty_ranking_matches_nothing(org_a):
    from techbridge.exchange.models import Profile
    from techbridge.exchange.search import IdIn

    factories.PublishedProfileFactory(organisation=org_a)
    assert not Profile.objects.filter(IdIn([])).exists()
    assert Profile.objects.filter(IdIn([Profile.objects.get().pk])).count() == 1
