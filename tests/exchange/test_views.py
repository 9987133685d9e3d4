import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from techbridge.exchange.models import Attachment, Profile, Status
from tests import factories

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%fake but signed\n"


def test_browse_shows_published_only_and_paginates(client, org_a):
    for _ in range(23):
        factories.PublishedProfileFactory(organisation=org_a)
    factories.ProfileFactory(organisation=org_a, title="Hidden draft")
    first = client.get("/exchange/")
    assert first.status_code == 200
    assert first.content.decode().count('class="card profile-card"') == 20
    assert "Hidden draft" not in first.content.decode()
    second = client.get("/exchange/?page=2")
    assert second.content.decode().count('class="card profile-card"') == 3
    assert client.get("/exchange/?page=abc").status_code == 200


def test_browse_query_count_does_not_grow_with_results(client, org_a, django_assert_max_num_queries):
    for _ in range(20):
        factories.PublishedProfileFactory(organisation=org_a)
    with django_assert_max_num_queries(20):
        client.get("/exchange/")


def test_browse_facets_filter(client, org_a, org_b):
    factories.PublishedProfileFactory(organisation=org_a, kind="request", title="Bhutan request")
    factories.PublishedProfileFactory(organisation=org_b, kind="offer", title="India offer")
    html = client.get("/exchange/?country=IN").content.decode()
    assert "India offer" in html and "Bhutan request" not in html
    html = client.get("/exchange/?kind=request&q=bhutan").content.decode()
    assert "Bhutan request" in html and "India offer" not in html


def test_detail_public_hides_contact_and_org_name(client, client_for, org_a, member_a):
    profile = factories.PublishedProfileFactory(organisation=org_a)
    public = client.get(f"/exchange/{profile.pk}/").content.decode()
    assert "karma@example.bt" not in public and "Druk Agro Mills" not in public and "+975" not in public
    owner = client_for(member_a).get(f"/exchange/{profile.pk}/").content.decode()
    assert "karma@example.bt" in owner and "Druk Agro Mills" in owner


def test_detail_of_draft_is_404_for_public_and_other_members(client, client_for, org_a, member_b, focal_bt):
    draft = factories.ProfileFactory(organisation=org_a)
    assert client.get(f"/exchange/{draft.pk}/").status_code == 404
    assert client_for(member_b).get(f"/exchange/{draft.pk}/").status_code == 404
    assert client_for(focal_bt).get(f"/exchange/{draft.pk}/").status_code == 404


def test_create_form_errors_are_422_with_field_named(client_for, member_a, org_a):
    c = client_for(member_a)
    response = c.post(
        f"/exchange/new/?kind=equipment&organisation={org_a.pk}",
        {
            "kind": "equipment",
            "title": "",
            "summary": "x" * 600,
            "country": "BT",
            "item": "",
            "budget_min_usd": "abc",
            "needed_by": "tomorrow",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    for field in ("title", "summary", "item", "budget_min_usd", "needed_by"):
        assert f'data-field="{field}"' in html, field
    assert Profile.objects.count() == 0


def test_create_form_saves_draft(client_for, member_a, org_a):
    c = client_for(member_a)
    response = c.post(
        f"/exchange/new/?kind=equipment&organisation={org_a.pk}",
        {
            "kind": "equipment",
            "title": "Rice mill",
            "summary": "A mill",
            "country": "BT",
            "item": "Rice mill",
            "sectors": ["C"],
            "sdgs": ["9"],
            "target_countries": ["IN"],
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get()
    assert profile.status == Status.DRAFT and profile.kind == "equipment"
    assert [s.code for s in profile.sectors.all()] == ["C"]


def test_create_requires_membership_of_the_organisation(client_for, member_b, org_a):
    response = client_for(member_b).post(
        f"/exchange/new/?kind=offer&organisation={org_a.pk}",
        {"kind": "offer", "title": "t", "summary": "s", "country": "BT"},
    )
    assert response.status_code == 403
    assert Profile.objects.count() == 0


def test_anonymous_is_redirected_to_sign_in(client):
    assert client.get("/exchange/new/").status_code == 302
    assert client.get("/exchange/queue/").status_code == 302


def test_queue_shows_only_own_country(client_for, org_a, org_b, focal_bt):
    factories.ProfileFactory(organisation=org_a, status=Status.SUBMITTED, title="From Bhutan")
    factories.ProfileFactory(organisation=org_b, status=Status.SUBMITTED, title="From India")
    html = client_for(focal_bt).get("/exchange/queue/").content.decode()
    assert "From Bhutan" in html and "From India" not in html


def test_member_cannot_open_queue(client_for, member_a):
    assert client_for(member_a).get("/exchange/queue/").status_code == 403


def test_transition_by_wrong_focal_point_is_refused(client_for, org_a, focal_in):
    profile = factories.ProfileFactory(organisation=org_a, status=Status.SUBMITTED)
    response = client_for(focal_in).post(f"/exchange/{profile.pk}/validate/")
    assert response.status_code == 404
    assert Profile.objects.get(pk=profile.pk).status == Status.SUBMITTED


def test_transition_get_not_allowed(client_for, org_a, focal_bt):
    profile = factories.ProfileFactory(organisation=org_a, status=Status.SUBMITTED)
    assert client_for(focal_bt).get(f"/exchange/{profile.pk}/validate/").status_code == 405


def test_attachment_type_checked_by_content(client_for, member_a, org_a):
    profile = factories.ProfileFactory(organisation=org_a)
    c = client_for(member_a)
    fake = SimpleUploadedFile("report.pdf", b"<svg onload=alert(1)>", content_type="application/pdf")
    c.post(f"/exchange/{profile.pk}/attachments/", {"file": fake})
    assert Attachment.objects.count() == 0
    real = SimpleUploadedFile("../../etc/photo.png.exe", PNG, content_type="application/octet-stream")
    c.post(f"/exchange/{profile.pk}/attachments/", {"file": real, "private": "on"})
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png" and attachment.name == "photo.png.png"
    assert "/" not in attachment.name and ".." not in attachment.name


def test_attachment_size_limit(client_for, member_a, org_a, settings):
    settings.TECHBRIDGE_MAX_ATTACHMENT_BYTES = 1024
    profile = factories.ProfileFactory(organisation=org_a)
    big = SimpleUploadedFile("big.pdf", PDF + b"x" * 2048, content_type="application/pdf")
    client_for(member_a).post(f"/exchange/{profile.pk}/attachments/", {"file": big})
    assert Attachment.objects.count() == 0


def test_private_attachment_hidden_from_public(client, client_for, member_a, org_a):
    profile = factories.PublishedProfileFactory(organisation=org_a)
    c = client_for(member_a)
    c.post(
        f"/exchange/{profile.pk}/attachments/",
        {"file": SimpleUploadedFile("secret.pdf", PDF), "private": "on"},
    )
    c.post(f"/exchange/{profile.pk}/attachments/", {"file": SimpleUploadedFile("brochure.pdf", PDF)})
    secret = Attachment.objects.get(name="secret.pdf")
    public = Attachment.objects.get(name="brochure.pdf")
    assert "secret.pdf" not in client.get(f"/exchange/{profile.pk}/").content.decode()
    assert client.get(f"/exchange/{profile.pk}/attachments/{secret.pk}/").status_code == 404
    response = client.get(f"/exchange/{profile.pk}/attachments/{public.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    owner_view = c.get(f"/exchange/{profile.pk}/attachments/{secret.pk}/")
    assert owner_view.status_code == 200
    assert b"".join(owner_view.streaming_content).startswith(b"%PDF")


def test_country_portal_and_list(client, org_a):
    factories.PublishedProfileFactory(
        organisation=org_a, kind="equipment", title="Chilli dryer", item="Dryer"
    )
    html = client.get("/exchange/countries/").content.decode()
    assert "Bhutan" in html
    portal = client.get("/exchange/countries/BT/").content.decode()
    assert "Chilli dryer" in portal
    assert client.get("/exchange/countries/ZZ/").status_code == 404


def test_security_headers_present(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_inline_script_in_pages(client, org_a):
    profile = factories.PublishedProfileFactory(organisation=org_a)
    for url in ["/", "/exchange/", f"/exchange/{profile.pk}/", "/accounts/login/", "/accounts/signup/"]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and " onclick=" not in html and ' style="' not in html, url


def test_facets_of_small_result_set_follow_an_edit(org_a, member_a):
    """Facet counts of a small result set are cached, but an edit of a listed profile makes them exact again."""
    from techbridge.core.permissions import actor_for
    from techbridge.exchange import services
    from techbridge.exchange.search import facet_counts

    published = [factories.PublishedProfileFactory(organisation=org_a, country_id="IN", title=f"Solar pump {n}")
                 for n in range(3)]
    listing = Profile.objects.filter(pk__in=[p.pk for p in published])
    assert dict((code, n) for code, _label, n in facet_counts(listing)["country"]) == {"IN": 3}
    services.update_profile(actor=actor_for(member_a), profile=published[0], values={"country": "TH"})
    assert dict((code, n) for code, _label, n in facet_counts(listing)["country"]) == {"IN": 2, "TH": 1}
