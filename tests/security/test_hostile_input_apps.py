"""Stored XSS beyond the exchange: every user-entered text of events, Tech Monitor, programme, matching, reports and
funding, written through the apps' services, then every page that shows it opened in Chromium.

Each page must (1) run no payload (`window.__xss` stays 0), (2) contain no live markup a payload could have created
(LIVE_MARKUP_JS), (3) trigger no Content-Security-Policy report (an injected inline script or handler that CSP
merely blocked would still be a hole), and (4) show the stored plain text literally — escaped, not interpreted and
not silently dropped. Rich text (editorials, article bodies, mailings) is cleaned by nh3 on the way in, so there the
harmless formatting must survive and the payloads must not. The annual report's HTML export is opened from disk
(file://, no CSP at all), where escaping is the only defence.

Payloads are spread over the fields of one object per app so each page is loaded once.
"""

from __future__ import annotations

import csv
import datetime as dt
from datetime import UTC, timedelta
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from techbridge.core import services as core_services
from techbridge.core.permissions import actor_for, forget_actor
from techbridge.core.sanitize import ALLOWED_TAGS
from techbridge.events.models import Meeting
from techbridge.events.services import booking, day, registrations, requests
from techbridge.events.services import events as event_services
from techbridge.exchange import services as exchange_services
from techbridge.funding.services import record_contribution
from techbridge.matching.services import alerts, interests
from techbridge.matching.services.index import PROCESS_INDEX
from techbridge.periodical import tokens
from techbridge.periodical.services import content, mailings, subscriptions
from techbridge.programme.models import Activity, Institution
from techbridge.programme.services import records
from techbridge.programme.services.activity_import import import_activities
from techbridge.programme.services.participant_import import import_participants
from techbridge.reports.export import build_report
from techbridge.reports.services import save_narrative
from tests import factories
from tests.security.payloads import LIVE_MARKUP_JS, RICH_TEXT, XSS

#: Picture requests the pages make (charts drawn by matplotlib): refused, they carry no user text.
CHART_URLS = ("**/charts/**",)


def _watch(page) -> list[str]:
    """Arm the page: the flag every payload would set, and a list collecting CSP violation reports."""
    page.add_init_script("window.__xss = 0;")
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    for pattern in CHART_URLS:
        page.route(pattern, lambda route: route.abort())
    return violations


def _sign_in(page, live_server, user) -> None:
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def _assert_inert(page, violations: list[str], url: str, *, shown=()) -> None:
    """Open `url`; nothing ran, nothing live was created, and each text of `shown` is displayed literally."""
    violations.clear()
    response = page.goto(url)
    status = response.status if response is not None else 200  # file:// has no HTTP status
    assert status == 200, (url, status)
    assert page.evaluate("window.__xss") == 0, f"a payload ran on {url}"
    live = page.evaluate(LIVE_MARKUP_JS)
    assert live == [], f"live payload markup on {url}: {live}"
    assert violations == [], f"CSP blocked injected code on {url}: {violations}"
    text = page.evaluate("document.documentElement.textContent")
    missing = [value for value in shown if value not in text]
    assert not missing, f"stored text not shown literally on {url}: {missing}"


def _hostile(*values: str) -> list[str]:
    """The stored values to look for; each must still carry its markup (nothing was stripped on the way in)."""
    assert all("<" in value or "{" in value for value in values), values
    return list(values)


# --- events -----------------------------------------------------------------------------------------------------

def _hostile_event(staff):
    """An event whose every text is a payload, two approved participants, a request, a booked meeting."""
    boss = actor_for(staff)
    now = timezone.now()
    event = event_services.create_event(actor=boss, values={
        "name": XSS[0], "description": f"{XSS[1]}\n\n{XSS[2]}", "organiser_name": XSS[3], "venue": XSS[4],
        "city": XSS[5], "country_id": "TH", "time_zone": "Asia/Bangkok", "starts_on": dt.date(2030, 6, 13),
        "ends_on": dt.date(2030, 6, 14), "registration_opens_at": now - timedelta(days=10),
        "registration_closes_at": now + timedelta(days=30), "booking_open": True, "meeting_minutes": 20,
        "published": True})
    start = dt.datetime(2030, 6, 13, 2, 0, tzinfo=UTC)
    session = event_services.add_session(actor=boss, event=event, name=XSS[6], starts_at=start,
                                         ends_at=start + timedelta(hours=1), tables=2)
    kind = event_services.add_participation_type(actor=boss, event=event, name=XSS[7], description=XSS[8])
    people = []
    for index, (name, organisation) in enumerate(((XSS[9], XSS[1]), (XSS[2], XSS[3]))):
        user = factories.UserFactory(full_name=name, email=f"participant{index}@techbridge.test")
        core_services.create_organisation(actor=actor_for(user), name=organisation, type="sme", country="BT")
        forget_actor(user)
        reg = registrations.register(
            actor=actor_for(user), event=event, organisation_id=next(iter(actor_for(user).organisation_ids)),
            values={"headline": XSS[4 + index], "offers": XSS[6 + index], "needs": XSS[8 + index],
                    "participation_type_id": kind.pk})
        registrations.decide_registration(actor=boss, registration=reg, approve=True)
        people.append((user, reg))
    (user_a, reg_a), (user_b, reg_b) = people
    req = requests.send_request(actor=actor_for(user_a), event=event, recipient=reg_b, message=XSS[9])
    requests.accept_request(actor=actor_for(user_b), request=req, response=XSS[0])
    meeting = Meeting.objects.get(request=req)
    booking.book_meeting(actor=boss, meeting=meeting, slot=session.slots.order_by("starts_at").first())
    day.record_outcome(actor=actor_for(user_a), meeting=meeting, outcome="further_talks", notes=XSS[5])
    return event, session, kind, people, req, meeting


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_stored_xss_event_pages_run_no_payload(page, live_server):
    staff = factories.UserFactory(is_staff=True)
    event, session, kind, people, req, meeting = _hostile_event(staff)
    (user_a, reg_a), (user_b, reg_b) = people
    event.refresh_from_db()
    reg_a.refresh_from_db()
    reg_b.refresh_from_db()
    org_a, org_b = reg_a.organisation.name, reg_b.organisation.name
    base, pk = live_server.url, event.pk
    people_texts = _hostile(user_a.full_name, user_b.full_name, org_a, org_b)
    violations = _watch(page)
    _sign_in(page, live_server, staff)
    for url, shown in [
        ("/events/", [event.name]),
        (f"/events/{pk}/", [event.name, event.organiser_name, event.venue, event.city, *event.description.split(
            "\n\n")]),
        (f"/events/{pk}/setup/", [session.name, kind.name]),
        (f"/events/{pk}/participants/", [org_a, org_b, reg_a.headline, reg_b.headline]),
        (f"/events/{pk}/participants/{reg_b.pk}/", [user_b.full_name, org_b, reg_b.offers, reg_b.needs]),
        (f"/events/{pk}/requests/", [req.message]),
        (f"/events/{pk}/meetings/{meeting.pk}/", [*people_texts, req.message]),
        (f"/events/{pk}/agenda/?registration={reg_a.pk}", [user_b.full_name, org_b, req.message]),
        (f"/events/{pk}/registrations/?status=approved", people_texts),
        (f"/events/{pk}/schedule/", [event.name]),
        (f"/events/{pk}/plan/", [session.name, *people_texts]),
        (f"/events/{pk}/lists/", people_texts),
        (f"/events/{pk}/statistics/", [event.name]),
    ]:
        _assert_inert(page, violations, base + url, shown=_hostile(*shown))
    _sign_in(page, live_server, user_a)  # the participant's own views: recommendations, own agenda and requests
    for url, shown in [
        (f"/events/{pk}/participants/", [org_b, reg_b.headline]),
        (f"/events/{pk}/agenda/", [user_b.full_name, req.message]),
        (f"/events/{pk}/requests/", [user_b.full_name]),
        (f"/events/{pk}/me/", [event.name]),
    ]:
        _assert_inert(page, violations, base + url, shown=_hostile(*shown))


# --- Tech Monitor (periodical) ----------------------------------------------------------------------------------

def _hostile_periodical(staff, *, year: int = 2019):
    boss = actor_for(staff)
    issue = content.save_issue(actor=boss, values={
        "volume": 40, "number": 1, "period_start": dt.date(year, 1, 1), "period_end": dt.date(year, 3, 31),
        "theme": XSS[0], "editorial": RICH_TEXT, "published_on": dt.date(year, 4, 15)})
    article = content.save_article(actor=boss, issue=issue, values={
        "title": XSS[1], "abstract": XSS[2], "body": RICH_TEXT, "keywords": "solar drying, cold chain",
        "topic": "trends"}, authors=[{"name": XSS[3], "affiliation": XSS[4], "country": "IN"}, {"name": XSS[5]}])
    publication = content.save_publication(actor=boss, values={
        "kind": "report", "title": XSS[6], "summary": XSS[7], "published_on": dt.date(year, 5, 1),
        "url": "https://example.org/report"})
    return issue, article, publication


def _assert_rich_text_cleaned(page, selector: str) -> None:
    """The cleaned rich text kept its formatting and safe link, and holds only the tags and attributes nh3 allows."""
    html = page.inner_html(selector)
    assert "<strong>formatting</strong>" in html and 'href="https://example.org/"' in html, html
    used = page.eval_on_selector(selector, """root => [...root.querySelectorAll('*')].map(
        el => [el.tagName.toLowerCase(), ...[...el.attributes].map(a => a.name)])""")
    tags = {tag for tag, *_attributes in used}
    attributes = {name for _tag, *names in used for name in names}
    assert tags <= ALLOWED_TAGS | {"section", "h2", "div"}, tags
    assert attributes <= {"href", "title", "rel", "scope", "colspan", "class", "id"}, attributes


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_stored_xss_periodical_pages_run_no_payload(page, live_server):
    staff = factories.UserFactory(is_staff=True)
    issue, article, publication = _hostile_periodical(staff)
    subscriber = subscriptions.request_subscription(email="reader@example.org", name=XSS[8],
                                                    client_ip="203.0.113.9")
    boss = actor_for(staff)
    mailing = mailings.compose_from_issue(actor=boss, issue=issue)
    mailings.update_mailing(actor=boss, mailing=mailing, subject=XSS[9], html_body=RICH_TEXT, text_body=XSS[1],
                            audience={})
    mailing.refresh_from_db()
    issue.refresh_from_db()
    article.refresh_from_db()
    authors = [link.author for link in article.articleauthor_set.select_related("author")]
    byline = _hostile(*[a.name for a in authors], authors[0].affiliation)
    base = live_server.url
    violations = _watch(page)

    _assert_inert(page, violations, f"{base}/tech-monitor/", shown=_hostile(issue.theme))
    _assert_inert(page, violations, f"{base}/tech-monitor/issues/{issue.pk}/",
                  shown=_hostile(issue.theme, article.title, *byline))
    _assert_rich_text_cleaned(page, "#editorial")
    _assert_inert(page, violations, f"{base}/tech-monitor/articles/{article.pk}/",
                  shown=_hostile(issue.theme, article.title, article.abstract, *byline))
    _assert_rich_text_cleaned(page, "div.rich")
    _assert_inert(page, violations, f"{base}/tech-monitor/publications/",
                  shown=_hostile(publication.title, publication.summary))
    _assert_inert(page, violations, base + urlparse(tokens.manage_url(subscriber)).path)
    assert page.input_value("[name=name]") == subscriber.name  # shown back in the form, as a value
    _sign_in(page, live_server, staff)
    _assert_inert(page, violations, f"{base}/tech-monitor/staff/subscribers/?q={quote(subscriber.name)}",
                  shown=[subscriber.email])
    _assert_inert(page, violations, f"{base}/tech-monitor/staff/mailings/", shown=_hostile(mailing.subject))
    _assert_inert(page, violations, f"{base}/tech-monitor/staff/mailings/{mailing.pk}/",
                  shown=_hostile(mailing.text_body.strip()))
    _assert_inert(page, violations, f"{base}/tech-monitor/staff/mailings/{mailing.pk}/preview/",
                  shown=_hostile(mailing.subject))
    _assert_rich_text_cleaned(page, "#preview-html .rich")


@pytest.mark.django_db
def test_hostile_publication_link_javascript_url_refused(staff):
    with pytest.raises(ValidationError) as caught:
        content.save_publication(actor=actor_for(staff), values={
            "kind": "report", "title": "Annual review", "url": "javascript:window.__xss=1"})
    assert "url" in caught.value.message_dict


# --- programme --------------------------------------------------------------------------------------------------

def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _hostile_programme(staff, folder: Path, *, year: int = 2019) -> Activity:
    """An activity imported from a sheet (title, city, partners), its narrative, experts and participants."""
    boss = actor_for(staff)
    activities = _write_csv(folder / "activities.csv", [
        ["code", "title", "type", "start_date", "end_date", "city", "country", "centre_role", "programme_area",
         "partners"],
        ["XSS-1", XSS[0], "workshop", f"{year}-06-18", f"{year}-06-20", XSS[1], "TH", "co_organised",
         "technology_transfer", f"{XSS[2]};{XSS[5]}"],
    ])
    result = import_activities(actor=boss, source=str(activities), filename=activities.name)
    assert result.report.ok, result.report
    people = _write_csv(folder / "participants.csv", [
        ["activity_code", "name", "organisation", "country"],
        ["XSS-1", XSS[6], XSS[7], "BT"],
        ["XSS-1", XSS[8], XSS[9], "IN"],
    ])
    result = import_participants(actor=boss, source=str(people), filename=people.name)
    assert result.report.ok, result.report
    activity = Activity.objects.get(code="XSS-1")
    records.save_institution(actor=boss, name=XSS[2], country="TH", type="research_institute",
                             website="https://example.org/partner")
    records.update_activity(actor=boss, activity=activity, values={
        "narrative": f"{XSS[3]}\n{XSS[4]}", "evaluation_summary": XSS[6]})
    records.add_expert(actor=boss, name=XSS[9], country="FI", activity=activity, organisation=XSS[0],
                       expertise=XSS[1])
    activity.refresh_from_db()
    return activity


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_stored_xss_programme_pages_run_no_payload(page, live_server, tmp_path):
    staff = factories.UserFactory(is_staff=True)
    activity = _hostile_programme(staff, tmp_path)
    partners = [p.name for p in activity.partners.order_by("pk")]
    institution = Institution.objects.get(name=partners[0])
    names = [p.name for p in activity.participants.order_by("name")]
    organisations = [p.organisation for p in activity.participants.order_by("name")]
    expert = activity.experts.get()
    base = live_server.url
    violations = _watch(page)
    public = [
        ("/programme/", [activity.title, activity.city]),
        (f"/programme/activities/{activity.pk}/",
         [activity.title, activity.city, *partners, *activity.narrative.split("\n"), activity.evaluation_summary]),
        ("/programme/partners/", partners),
        (f"/programme/partners/{institution.pk}/", [institution.name, activity.title]),
        ("/programme/calendar/?y=2019&m=6", [activity.title]),
    ]
    for url, shown in public:  # anonymous visitors first
        _assert_inert(page, violations, base + url, shown=_hostile(*shown))
        if url.startswith("/programme/partners/") and url != "/programme/partners/":
            assert page.get_attribute("a[rel~=nofollow]", "href") == "https://example.org/partner"
    _sign_in(page, live_server, staff)
    staff_pages = [
        (f"/programme/activities/{activity.pk}/", [activity.title, expert.name]),
        ("/programme/participants/", [*names, *organisations]),
        (f"/programme/participants/?activity={activity.pk}", [activity.title, *names, *organisations]),
        ("/programme/dashboard/?year=2019", []),
    ]
    for url, shown in staff_pages:
        _assert_inert(page, violations, base + url, shown=_hostile(*shown))


@pytest.mark.django_db
def test_hostile_institution_website_javascript_url_refused(staff):
    with pytest.raises(ValidationError) as caught:
        records.save_institution(actor=actor_for(staff), name="Institute of Testing",
                                 website="javascript:window.__xss=1")
    assert "website" in caught.value.message_dict
    assert not Institution.objects.filter(name="Institute of Testing").exists()


# --- matching ---------------------------------------------------------------------------------------------------

def _publish(*, owner, organisation_id: int, staff, kind: str, **values):
    profile = exchange_services.create_profile(actor=actor_for(owner), kind=kind, organisation_id=organisation_id,
                                               values=values)
    exchange_services.submit_profile(actor=actor_for(owner), profile=profile)
    return exchange_services.validate_profile(actor=actor_for(staff), profile=profile)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_stored_xss_matching_pages_run_no_payload(page, live_server):
    PROCESS_INDEX.reset()
    staff = factories.UserFactory(is_staff=True)
    owner_org = factories.OrganisationFactory(country_id="BT")
    owner = factories.MemberFactory(organisation=owner_org)
    need = _publish(owner=owner, organisation_id=owner_org.pk, staff=staff, kind="request",
                    title="Solar dryer for cardamom wanted", summary="We seek a solar dryer for cardamom pods.")
    sender = factories.UserFactory(full_name=XSS[0], position=XSS[1])
    sender_org = core_services.create_organisation(actor=actor_for(sender), name=XSS[2], type="sme", country="IN")
    forget_actor(sender)
    offer = _publish(owner=sender, organisation_id=sender_org.pk, staff=staff, kind="offer",
                     title=f"Solar dryer for cardamom {XSS[3]}", summary=f"Solar cardamom dryer {XSS[4]}")
    eoi = interests.send_interest(actor=actor_for(sender), profile=need, values={
        "message": XSS[5], "offer_or_seek": XSS[6], "why_this": XSS[7], "next_step": XSS[8],
        "sender_profile": offer.pk})
    interests.decide_interest(actor=actor_for(owner), eoi=eoi, accept=True, note=XSS[9])
    search = alerts.save_search(actor=actor_for(owner), name=XSS[3], query=XSS[4])
    eoi.refresh_from_db()
    answers = _hostile(eoi.message, eoi.offer_or_seek, eoi.why_this, eoi.next_step, eoi.decision_note)
    base = live_server.url
    violations = _watch(page)
    try:
        _sign_in(page, live_server, owner)
        for url, shown in [
            ("/matching/interests/", []),
            (f"/matching/interests/{eoi.pk}/", [*answers, offer.title, sender.full_name, sender.position,
                                                sender_org.name]),
            (f"/matching/profiles/{need.pk}/", [offer.title]),
            ("/matching/alerts/", [search.name, search.query]),
            (f"/exchange/{need.pk}/", []),
        ]:
            _assert_inert(page, violations, base + url, shown=_hostile(*shown))
        _sign_in(page, live_server, sender)
        for url, shown in [
            ("/matching/interests/?box=sent", []),
            (f"/matching/interests/{eoi.pk}/", answers),
            (f"/exchange/{offer.pk}/", [offer.title]),
        ]:
            _assert_inert(page, violations, base + url, shown=_hostile(*shown))
    finally:
        PROCESS_INDEX.reset()


# --- reports and funding ----------------------------------------------------------------------------------------

REPORT_YEAR = 2019


def _hostile_report_year(staff, folder: Path) -> dict[str, str]:
    """A year with a hostile activity, issue and contribution, and staff rewording every kind of paragraph."""
    activity = _hostile_programme(staff, folder, year=REPORT_YEAR)
    _hostile_periodical(staff, year=REPORT_YEAR)
    boss = actor_for(staff)
    record_contribution(actor=boss, member_state="TH", year=REPORT_YEAR, kind="pledge", amount_usd="15000",
                        note=XSS[3], reference=XSS[4])
    texts = {"introduction": f"{XSS[5]} {XSS[6]}", f"activity:{activity.code}": XSS[7], "exchange": XSS[8],
             "publications": XSS[9], "contributions": XSS[0], "area:technology_transfer": XSS[2]}
    for key, text in texts.items():
        save_narrative(actor=boss, year=REPORT_YEAR, key=key, text=text)
    return texts


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_stored_xss_reports_and_funding_pages_run_no_payload(page, live_server, tmp_path):
    staff = factories.UserFactory(is_staff=True)
    narrative = _hostile_report_year(staff, tmp_path)
    base = live_server.url
    violations = _watch(page)
    _assert_inert(page, violations, f"{base}/reports/impact/?year={REPORT_YEAR}")
    _assert_inert(page, violations, f"{base}/contributions/?member={quote(XSS[1])}")
    _sign_in(page, live_server, staff)
    _assert_inert(page, violations, f"{base}/reports/?year={REPORT_YEAR}")
    _assert_inert(page, violations, f"{base}/reports/{REPORT_YEAR}/narrative/",
                  shown=_hostile(*narrative.values()))
    _assert_inert(page, violations, f"{base}/contributions/", shown=_hostile(XSS[3], XSS[4]))
    _assert_inert(page, violations, f"{base}/contributions/?member={quote(XSS[1])}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_report_html_export_opened_from_disk_runs_no_payload(page, live_server, tmp_path):
    """The standalone HTML file is read outside the site (no CSP): escaping alone must keep it inert."""
    staff = factories.UserFactory(is_staff=True)
    narrative = _hostile_report_year(staff, tmp_path)
    report = build_report(year=REPORT_YEAR, fmt="html")
    path = tmp_path / report.file_name
    path.write_bytes(report.data)
    violations = _watch(page)
    _assert_inert(page, violations, path.as_uri(),
                  shown=_hostile(*narrative.values(), XSS[0], XSS[2], XSS[5], XSS[1]))
