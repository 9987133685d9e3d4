"""The public search box and the matching API's free-text search, similar profiles and the Matches tab."""

from __future__ import annotations

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(org_a, org_b):
    return {
        "dehusker": factories.offer(organisation=org_b, title="Paddy dehusker with rubber rolls",
                                    summary="Removes husks from paddy rice in small mills."),
        "pump": factories.offer(organisation=org_b, title="Solar water pump",
                                summary="Irrigation pump driven by photovoltaic panels."),
        "mill": factories.offer(organisation=org_a, title="Rice polisher for small mills",
                                summary="Polishes rice after husk removal."),
    }


def test_search_box_ranks_by_relevance_not_keyword_conjunction(catalogue, client):
    html = client.get("/exchange/?q=machine+to+remove+husks+from+paddy+in+small+mills").content.decode()
    assert "ranked by relevance" in html
    assert html.index("Paddy dehusker") < html.index("Rice polisher")
    assert "Solar water pump" not in html


def test_api_search_and_similar_profiles(catalogue, client):
    found = client.get("/api/v1/matching/search", {"q": "removes husks from paddy", "kind": "offer"}).json()
    assert found[0]["title"] == "Paddy dehusker with rubber rolls" and 0 <= found[0]["score"] <= 1
    similar = client.get(f"/api/v1/matching/profiles/{catalogue['dehusker'].pk}/similar").json()
    assert [s["title"] for s in similar][0] == "Rice polisher for small mills"
    page = client.get(f"/exchange/{catalogue['dehusker'].pk}/").content.decode()
    assert "Similar profiles" in page and "Rice polisher for small mills" in page


def test_matches_tab_for_owner_and_staff_only(catalogue, org_a, member_a, member_b, staff, client_for):
    need = factories.request_profile(organisation=org_a, title="Dehusker needed for paddy",
                                     summary="Our mill needs to remove husks from paddy.")
    url = f"/matching/profiles/{need.pk}/"
    assert client_for(member_b).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 403
    for user in (member_a, staff):
        html = client_for(user).get(url).content.decode()
        assert "Paddy dehusker with rubber rolls" in html and "Why this match" in html
    assert "Solar water pump" not in client_for(member_a).get(url).content.decode()
    detail = client_for(member_a).get(f"/exchange/{need.pk}/").content.decode()
    assert f'href="{url}"' in detail  # the tab is offered on the profile page
    assert f'href="{url}"' not in client_for(member_b).get(f"/exchange/{need.pk}/").content.decode()
    api = client_for(member_a).get(f"/api/v1/matching/profiles/{need.pk}/matches").json()
    assert api["matches"][0]["title"] == "Paddy dehusker with rubber rolls" and api["semantic"] is False
    assert client_for(member_b).get(f"/api/v1/matching/profiles/{need.pk}/matches").status_code == 403


def test_events_recommendations_use_the_matching_engine(member_a, member_b):
    from techbridge.events import recommend

    event = factories.event_with_slots()
    a = factories.approved_participant(event=event, needs="Machines that remove husks from paddy")
    b = factories.approved_participant(event=event, offers="Paddy dehuskers and husk removal machines")
    c = factories.approved_participant(event=event, offers="Solar water pumps")
    ranked = recommend.recommend(registration=a, candidates=[a, b, c])
    assert [r.pk for r, _score in ranked] == [b.pk] and 0 < ranked[0][1] <= 1


def test_search_box_asks_about_drafts_only_of_those_who_can_list_them(catalogue, org_a, member_a, client,
                                                                       client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def draft_checks(c, url="/exchange/?q=husks+paddy") -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            html = c.get(url).content.decode()
        return sum("'draft'" in q["sql"] and "LIMIT 1" in q["sql"] for q in ctx.captured_queries), html

    checks, html = draft_checks(client)  # the public lists published profiles only: nothing to ask
    assert checks == 0 and "Paddy dehusker" in html
    factories.ProfileFactory(organisation=org_a, title="Husk furnace for paddy dryers")  # a draft of A's
    checks, html = draft_checks(client_for(member_a), "/exchange/?q=husk+paddy&mine=1")  # A's drafts are listed
    assert checks == 1 and "Husk furnace for paddy dryers" in html
