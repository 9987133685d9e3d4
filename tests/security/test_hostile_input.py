"""Hostile input: stored XSS through every text field, formula injection in exports, uploads, redirects."""

from __future__ import annotations

import csv
import io
import smtplib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from techbridge.core import services as core_services
from techbridge.core.permissions import actor_for
from techbridge.exchange import services as exchange_services
from techbridge.exchange.models import Attachment, Profile, Status
from tests import factories
from tests.security.payloads import DANGEROUS_SELECTOR, FORMULAS, XSS

PROFILE_TEXT_FIELDS = [
    "title", "summary", "description", "advantages", "technical_spec", "ipr_notes", "keywords", "contact_name",
    "contact_phone",
]
EQUIPMENT_TEXT_FIELDS = ["title", "summary", "item", "specification", "capacity"]  # hs_code: digits only
ORGANISATION_TEXT_FIELDS = ["name", "city", "description", "phone"]


def _limit(field: str, text: str) -> str:
    limits = {"title": 256, "summary": 500, "keywords": 500, "contact_name": 200, "contact_phone": 40,
              "item": 200, "capacity": 200, "hs_code": 12}
    return text[: limits.get(field, 1000)]


def _hostile_profiles(member) -> list[Profile]:
    """One published profile per payload, every text field carrying it, written through the service."""
    actor = actor_for(member)
    org_id = next(iter(actor.organisation_ids))
    profiles = []
    for payload in XSS:
        for kind, fields in (("offer", PROFILE_TEXT_FIELDS), ("equipment", EQUIPMENT_TEXT_FIELDS)):
            values = {field: _limit(field, payload) for field in fields}
            profiles.append(
                exchange_services.create_profile(actor=actor, kind=kind, organisation_id=org_id, values=values)
            )
    Profile.objects.filter(pk__in=[p.pk for p in profiles]).update(status=Status.PUBLISHED)
    return profiles


def _hostile_organisation(member):
    actor = actor_for(member)
    return core_services.create_organisation(
        actor=actor, type="sme", country="BT", **{field: XSS[len(field) % len(XSS)][:40] for field in
                                                   ORGANISATION_TEXT_FIELDS},
    )


def _sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _assert_inert(page, url: str) -> None:
    page.add_init_script("window.__xss = 0;")
    response = page.goto(url)
    assert response.status < 500, (url, response.status)
    page.wait_for_load_state("load")
    assert page.evaluate("window.__xss") == 0, f"a payload ran on {url}"
    live = page.evaluate(f"document.querySelectorAll({DANGEROUS_SELECTOR!r}).length")
    assert live == 0, f"{live} live payload element(s) on {url}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_stored_xss_exchange_and_core_pages_run_no_payload(page, live_server):
    org = factories.OrganisationFactory(country_id="BT")
    member = factories.MemberFactory(organisation=org)
    profiles = _hostile_profiles(member)
    hostile_org = _hostile_organisation(member)
    staff = factories.UserFactory(is_staff=True)
    _sign_in(page, live_server, staff)
    urls = ["/", "/exchange/", "/exchange/countries/BT/", "/exchange/?q=script", "/me/",
            f"/me/organisations/{hostile_org.pk}/", "/audit/", "/exchange/queue/"]
    urls += [f"/exchange/{p.pk}/" for p in profiles] + [f"/exchange/{profiles[0].pk}/edit/"]
    for url in urls:
        _assert_inert(page, live_server.url + url)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_stored_xss_search_echo_runs_no_payload(page, live_server):
    """Reflected input: every payload as a search query is shown back inert."""
    for payload in XSS[:4]:
        _assert_inert(page, f"{live_server.url}/exchange/?q={payload}")


@pytest.mark.django_db
def test_hostile_organisation_website_javascript_url_refused(member_a):
    with pytest.raises(Exception) as caught:
        core_services.create_organisation(actor=actor_for(member_a), name="X", type="sme", country="BT",
                                          website="javascript:window.__xss=1")
    assert "website" in str(caught.value)


@pytest.mark.django_db
def test_open_data_export_csv_escapes_formula_cells(client, org_a):
    for formula in FORMULAS:
        factories.PublishedProfileFactory(organisation=org_a, title=formula, summary=formula)
    body = client.get("/api/v1/profiles/export.csv").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number(c)]
    assert not dangerous, dangerous
    assert sum(1 for c in cells if c.startswith("'=")) >= len(FORMULAS) - 3


@pytest.mark.django_db
def test_open_data_export_xlsx_escapes_formula_cells(client, org_a):
    for formula in FORMULAS:
        factories.PublishedProfileFactory(organisation=org_a, title=formula)
    workbook = load_workbook(io.BytesIO(client.get("/api/v1/profiles/export.xlsx").content))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert not [v for v in values if v[:1] in ("=", "+", "-", "@", "\t") and not _number(v)]
    assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# --- uploads ----------------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>window.__xss=1</script></svg>'
HTML_AS_PDF = b"<html><script>window.__xss=1</script></html>"


def _upload(client, profile, name, content):
    return client.post(f"/exchange/{profile.pk}/attachments/", {"file": SimpleUploadedFile(name, content)})


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content"), [
    ("drawing.svg", SVG), ("report.pdf", HTML_AS_PDF), ("image.png", SVG), ("empty.pdf", b""),
])
def test_upload_refuses_content_not_proven_by_bytes(client_for, member_a, org_a, name, content):
    profile = factories.ProfileFactory(organisation=org_a)
    _upload(client_for(member_a), profile, name, content)
    assert not Attachment.objects.filter(profile=profile).exists()


@pytest.mark.django_db
def test_upload_over_size_limit_refused(client_for, member_a, org_a, settings):
    settings.TECHBRIDGE_MAX_ATTACHMENT_BYTES = 1024
    profile = factories.ProfileFactory(organisation=org_a)
    _upload(client_for(member_a), profile, "big.pdf", PDF + b"0" * 2048)
    assert not Attachment.objects.filter(profile=profile).exists()
    _upload(client_for(member_a), profile, "small.pdf", PDF)
    assert Attachment.objects.filter(profile=profile).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["../../../etc/passwd.pdf", "..\\..\\win.ini.pdf", "/abs/path.pdf",
                                  "evil.pdf\x00.html", "report.pdf.exe", "<script>.pdf"])
def test_upload_name_tricks_stay_inside_media(client_for, member_a, org_a, settings, name):
    profile = factories.ProfileFactory(organisation=org_a)
    _upload(client_for(member_a), profile, name, PDF)
    attachment = Attachment.objects.get(profile=profile)
    assert "/" not in attachment.name and "\\" not in attachment.name and ".." not in attachment.name
    assert attachment.name.endswith(".pdf") and "<" not in attachment.name
    stored = (settings.MEDIA_ROOT / attachment.file.name).resolve()
    assert stored.is_relative_to(settings.MEDIA_ROOT.resolve())
    assert stored.read_bytes() == PDF


# --- open redirects ---------------------------------------------------------------------------------------------

EVIL_NEXTS = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "\\\\evil.example", "https:evil.example",
              "http://testserver@evil.example/", "javascript:alert(1)", " //evil.example"]


def _is_offsite(location: str) -> bool:
    location = location.strip()
    return ("evil.example" in location and not location.startswith("/?")) or location.lower().startswith(
        "javascript:")


@pytest.mark.django_db
@pytest.mark.parametrize("target", EVIL_NEXTS)
def test_login_next_offsite_refused(client, member_a, target):
    response = client.post(f"/accounts/login/?next={target}",
                           {"login": member_a.email, "password": "correct-horse-battery", "next": target})
    assert response.status_code == 302
    assert not _is_offsite(response["Location"]), response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("target", EVIL_NEXTS)
def test_logout_next_offsite_refused(client_for, member_a, target):
    response = client_for(member_a).post("/accounts/logout/", {"next": target})
    assert response.status_code == 302
    assert not _is_offsite(response["Location"]), response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("target", EVIL_NEXTS)
def test_safe_next_views_refuse_offsite(client_for, staff, target):
    """Every view that honours `next` goes through core.web.safe_next; check it on an events organiser view."""
    from django.test import RequestFactory

    from techbridge.core.web import safe_next

    request = RequestFactory().post("/", {"next": target})
    assert safe_next(request, "/fallback/") == "/fallback/"
    request = RequestFactory().get("/", {"next": target})
    assert safe_next(request, "/fallback/") == "/fallback/"


# --- password reset: no account enumeration, even when mail fails ---------------------------------------------

class FailingBackend:
    """An email backend whose SMTP server refuses everything."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("mail server down")

    def open(self):
        return None

    def close(self):
        return None


def _reset(client, email):
    response = client.post("/accounts/password/reset/", {"email": email})
    return response.status_code, response.get("Location", "")


@pytest.mark.django_db
def test_password_reset_same_answer_for_known_and_unknown(client, member_a, mailoutbox):
    assert _reset(client, member_a.email) == _reset(Client(), "nobody@techbridge.test")


@pytest.mark.django_db(transaction=True)
def test_password_reset_same_answer_when_mail_fails(member_a, settings):
    """Mail goes out through the queue after commit; a dead SMTP server never reaches the answer."""
    settings.ACCOUNT_ADAPTER = "techbridge.core.security.mail.QueuedMailAdapter"
    settings.EMAIL_BACKEND = "tests.security.test_hostile_input.FailingBackend"
    settings.HUEY_IMMEDIATE = False
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = False
    try:
        known = _reset(Client(raise_request_exception=False), member_a.email)
        unknown = _reset(Client(raise_request_exception=False), "nobody@techbridge.test")
        pending = HUEY.pending_count()
        HUEY.flush()
    finally:
        HUEY.immediate = True
    assert known == unknown
    assert known[0] == 302
    assert pending == 2, "one queued mail per request (reset link / unknown-account notice)"


def test_password_reset_mail_adapter_is_configured(settings):
    """Production must use the queued adapter (settings.ACCOUNT_ADAPTER), or the test above proves nothing."""
    assert settings.ACCOUNT_ADAPTER == "techbridge.core.security.mail.QueuedMailAdapter"
