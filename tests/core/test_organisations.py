import pytest

from techbridge.core.models import Membership, Organisation
from tests import factories

pytestmark = pytest.mark.django_db


def test_register_organisation_makes_creator_admin(client_for):
    user = factories.UserFactory()
    response = client_for(user).post("/me/organisations/new/", {"name": "Thimphu Tech", "type": "sme",
                                                                 "country": "BT", "size": "micro"})
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Thimphu Tech")
    assert Membership.objects.get(user=user, organisation=organisation).role == "admin"


def test_register_organisation_bad_input_is_422(client_for):
    response = client_for(factories.UserFactory()).post("/me/organisations/new/", {"name": "", "type": "pirate",
                                                                                    "country": "XX"})
    assert response.status_code == 422
    html = response.content.decode()
    for field in ("name", "type", "country"):
        assert f'data-field="{field}"' in html
    assert Organisation.objects.count() == 0


def test_admin_adds_member_but_plain_member_cannot(client_for, org_a, member_a):
    newcomer = factories.UserFactory(email="newcomer@techbridge.test")
    response = client_for(member_a).post(f"/me/organisations/{org_a.pk}/", {"email": newcomer.email,
                                                                            "role": "member"})
    assert response.status_code == 302
    assert Membership.objects.filter(user=newcomer, organisation=org_a, role="member").exists()
    third = factories.UserFactory()
    response = client_for(newcomer).post(f"/me/organisations/{org_a.pk}/", {"email": third.email,
                                                                            "role": "admin"})
    assert response.status_code == 403
    assert not Membership.objects.filter(user=third).exists()


def test_add_unknown_email_names_field(client_for, org_a, member_a):
    response = client_for(member_a).post(f"/me/organisations/{org_a.pk}/", {"email": "ghost@nowhere.test",
                                                                            "role": "member"})
    assert response.status_code == 422 and 'data-field="email"' in response.content.decode()


def test_outsider_cannot_see_organisation_members(client_for, org_a, member_b):
    assert client_for(member_b).get(f"/me/organisations/{org_a.pk}/").status_code == 403


def test_api_token_page_shows_raw_token_once(client_for, member_a):
    import re

    c = client_for(member_a)
    raw = re.search(r'id="new-token">(tb_[^<]+)<', c.post("/me/tokens/", {"name": "ci"}).content.decode()).group(1)
    assert raw not in c.get("/me/tokens/").content.decode()
    assert c.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["email"] == member_a.email


def test_api_token_last_used_moves_at_most_once_a_minute(client, member_a):
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from techbridge.core.permissions import actor_for
    from techbridge.core.services import create_api_token

    token, raw = create_api_token(actor=actor_for(member_a), name="ci")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/me", **auth).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/me", **auth).status_code == 200
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]  # a read stays a read
    token.refresh_from_db()
    assert token.last_used_at == first
    type(token).objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    assert client.get("/api/v1/me", **auth).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first


def test_actor_reads_memberships_and_focal_posts_in_one_query(focal_bt, org_a, org_b,
                                                               django_assert_num_queries):
    from techbridge.core.models import FocalPoint
    from techbridge.core.permissions import actor_for, forget_actor

    Membership.objects.create(user=focal_bt, organisation=org_a, role="admin")
    Membership.objects.create(user=focal_bt, organisation=org_b, role="member")
    FocalPoint.objects.create(user=focal_bt, country_id="IN")
    forget_actor(focal_bt)
    with django_assert_num_queries(1):
        actor = actor_for(focal_bt)
    assert actor.organisation_ids == {org_a.pk, org_b.pk}
    assert actor.admin_organisation_ids == {org_a.pk}
    assert actor.focal_countries == {"BT", "IN"}
