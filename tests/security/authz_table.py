"""The one declared table of who may read (GET) and write (POST) every URL pattern.

Keys are URL names (`namespace:name`); each maps to one or more `Rule`s: how to fill the URL's kwargs from
the `World`, which roles may GET and which may POST. `READ` as `post` means "a POST is answered like a GET"
(a read-only view that does not restrict methods). A new URL pattern fails the matrix until declared here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

A, MA, MB, FB, FI, S = "anonymous", "member_a", "member_b", "focal_bt", "focal_in", "staff"
ALL = frozenset({A, MA, MB, FB, FI, S})
SIGNED = ALL - {A}
NOBODY: frozenset[str] = frozenset()
STAFF = frozenset({S})
READ = "same-as-get"


def roles(*names: str) -> frozenset[str]:
    return frozenset(names)


@dataclass(frozen=True)
class Rule:
    get: frozenset[str]
    post: frozenset[str] | str
    kwargs: Callable = field(default=lambda w: {})
    note: str = ""
    data: Callable = field(default=lambda w: {})
    #: Extra statuses that count as a refusal for this rule (e.g. a service refusing with a 422 field error).
    deny_statuses: frozenset[int] = frozenset()


def _r(get, post=READ, kwargs=None, note="", data=None, deny_statuses=()):
    return Rule(get=get, post=post, kwargs=kwargs or (lambda w: {}), note=note, data=data or (lambda w: {}),
                deny_statuses=frozenset(deny_statuses))


OWNER_A = roles(MA, S)

WEB: dict[str, list[Rule]] = {
    # --- core -----------------------------------------------------------------------------------------------
    "core:home": [_r(ALL)],
    "core:healthz": [_r(ALL)],
    "core:dashboard": [_r(SIGNED)],
    "core:organisation_create": [_r(SIGNED, SIGNED)],
    "core:tokens": [_r(SIGNED, SIGNED)],
    "core:organisation": [_r(OWNER_A, OWNER_A, lambda w: {"pk": w.org_a.pk}, "IDOR: B may not see A's members")],
    "core:job": [_r(OWNER_A, kwargs=lambda w: {"pk": w.job_a.pk})],
    "core:job_download": [_r(OWNER_A, kwargs=lambda w: {"pk": w.job_a.pk})],
    "core:audit_log": [_r(STAFF)],
    # --- exchange -------------------------------------------------------------------------------------------
    "exchange:browse": [_r(ALL)],
    "exchange:countries": [_r(ALL)],
    "exchange:open_data": [_r(ALL)],
    "exchange:country": [_r(ALL, kwargs=lambda w: {"iso2": "BT"})],
    "exchange:create": [_r(SIGNED, SIGNED)],
    "exchange:queue": [_r(roles(FB, FI, S))],
    "exchange:detail": [
        _r(OWNER_A, kwargs=lambda w: {"pk": w.draft_a.pk}, note="drafts: owner and staff"),
        _r(roles(MA, FB, S), kwargs=lambda w: {"pk": w.submitted_a.pk}, note="cross-country: IN focal denied"),
        _r(ALL, kwargs=lambda w: {"pk": w.published_a.pk}),
    ],
    "exchange:edit": [
        _r(OWNER_A, OWNER_A, lambda w: {"pk": w.submitted_a.pk}),
        _r(OWNER_A, OWNER_A, lambda w: {"pk": w.published_a.pk}, "published is public, still only owner edits"),
    ],
    "exchange:attachment_upload": [_r(NOBODY, OWNER_A, lambda w: {"pk": w.draft_a.pk})],
    "exchange:attachment": [
        _r(OWNER_A, kwargs=lambda w: {"pk": w.published_a.pk, "attachment_id": w.private_attachment_a.pk}),
    ],
    "exchange:transition": [
        _r(NOBODY, roles(FB, S), lambda w: {"pk": w.submitted_a.pk, "name": "validate"}),
        _r(NOBODY, roles(FB, S), lambda w: {"pk": w.submitted_a.pk, "name": "reject"},
           data=lambda w: {"reason": "Please describe the technology in more detail."}),
        _r(NOBODY, OWNER_A, lambda w: {"pk": w.draft_a.pk, "name": "submit"}),
        _r(NOBODY, OWNER_A, lambda w: {"pk": w.published_a.pk, "name": "archive"}),
    ],
    # --- events ---------------------------------------------------------------------------------------------
    "events:list": [_r(ALL)],
    "events:create": [_r(STAFF, STAFF)],
    "events:detail": [
        _r(ALL, kwargs=lambda w: {"pk": w.event.pk}),
        _r(STAFF, kwargs=lambda w: {"pk": w.draft_event.pk}, note="unpublished: staff and organisers"),
    ],
    "events:edit": [_r(STAFF, STAFF, lambda w: {"pk": w.event.pk})],
    "events:setup": [_r(STAFF, STAFF, lambda w: {"pk": w.event.pk})],
    "events:booking_phase": [_r(NOBODY, STAFF, lambda w: {"pk": w.event.pk})],
    "events:register": [_r(SIGNED, SIGNED, lambda w: {"pk": w.event.pk})],
    "events:registration_edit": [_r(roles(MA), roles(MA), lambda w: {"pk": w.registration_a.event_id})],
    "events:availability": [_r(roles(MA), roles(MA), lambda w: {"pk": w.registration_a.event_id})],
    "events:marketplace": [
        _r(roles(MA, MB, S), kwargs=lambda w: {"pk": w.registration_b.event_id, "_": w.registration_a}),
    ],
    "events:participant": [
        _r(roles(MA, MB, S), kwargs=lambda w: {"pk": w.event.pk, "rid": w.registration_a.pk, "_": w.registration_b}),
    ],
    "events:send_request": [
        _r(NOBODY, roles(MA, MB),
           lambda w: {"pk": w.event.pk, "rid": w.third_party.pk, "_": (w.registration_a, w.registration_b)},
           "only approved participants may ask", data=lambda w: {"message": "Shall we meet?"}),
    ],
    "events:requests": [_r(SIGNED, kwargs=lambda w: {"pk": w.meeting_request_a.event_id},
                           note="lists only the caller's own requests (empty for outsiders)")],
    "events:respond": [
        _r(NOBODY, roles(MA, S), lambda w: {"pk": w.event.pk, "qid": w.meeting_request_a.pk, "action": "cancel"},
           "IDOR: B is not a party to A's request"),
    ],
    "events:meeting": [_r(OWNER_A, kwargs=lambda w: {"pk": w.event.pk, "mid": w.meeting_a.pk})],
    "events:book": [_r(NOBODY, OWNER_A, lambda w: {"pk": w.event.pk, "mid": w.meeting_a.pk},
                       data=lambda w: {"slot": w.event.slots.first().pk})],
    "events:outcome": [_r(NOBODY, OWNER_A, lambda w: {"pk": w.event.pk, "mid": w.meeting_a.pk})],
    "events:meeting_action": [
        _r(NOBODY, STAFF, lambda w: {"pk": w.event.pk, "mid": w.meeting_a.pk, "action": "lock"}),
    ],
    "events:agenda": [_r(roles(MA), kwargs=lambda w: {"pk": w.registration_a.event_id})],
    "events:agenda_pdf": [_r(roles(MA), kwargs=lambda w: {"pk": w.registration_a.event_id})],
    "events:agenda_ics": [_r(roles(MA), kwargs=lambda w: {"pk": w.registration_a.event_id})],
    "events:registrations": [_r(STAFF, kwargs=lambda w: {"pk": w.event.pk})],
    "events:decide": [
        _r(NOBODY, STAFF, lambda w: {"pk": w.event.pk, "rid": w.registration_a.pk, "action": "reject"}),
    ],
    "events:schedule": [_r(STAFF, kwargs=lambda w: {"pk": w.event.pk})],
    "events:schedule_run": [_r(NOBODY, STAFF, lambda w: {"pk": w.event.pk})],
    "events:schedule_publish": [_r(NOBODY, STAFF, lambda w: {"pk": w.event.pk})],
    "events:plan": [_r(STAFF, kwargs=lambda w: {"pk": w.event.pk})],
    "events:lists": [_r(STAFF, kwargs=lambda w: {"pk": w.event.pk})],
    "events:statistics": [_r(STAFF, kwargs=lambda w: {"pk": w.event.pk})],
    # --- matching -------------------------------------------------------------------------------------------
    "matching:profile_matches": [
        _r(OWNER_A, kwargs=lambda w: {"pk": w.published_a.pk}, note="matches reveal demand: owners and staff"),
        _r(OWNER_A, kwargs=lambda w: {"pk": w.draft_a.pk}),
    ],
    "matching:interest_create": [
        _r(SIGNED, SIGNED, lambda w: {"pk": w.published_a.pk}),
        _r(NOBODY, NOBODY, lambda w: {"pk": w.draft_a.pk}, "only published profiles take EoIs"),
    ],
    "matching:interests": [_r(SIGNED, note="lists the caller's own sent/received EoIs")],
    "matching:interest": [
        _r(roles(MA, MB, S), kwargs=lambda w: {"pk": w.interest_b_to_a.pk}, note="IDOR: sender, owner, staff"),
    ],
    "matching:interest_decide": [
        _r(NOBODY, roles(MA, S), lambda w: {"pk": w.interest_b_to_a.pk, "decision": "decline"},
           "the sender (B) cannot accept its own EoI"),
    ],
    "matching:alerts": [_r(SIGNED, SIGNED)],
    "matching:saved_search_create": [_r(NOBODY, SIGNED)],
    "matching:saved_search_delete": [_r(NOBODY, roles(MA), lambda w: {"pk": w.saved_search_a.pk}, "IDOR")],
    "matching:unsubscribe": [
        _r(ALL, ALL, lambda w: {"token": w.alerts_token("member_a")}, "the signed link is the capability"),
        _r(ALL, NOBODY, lambda w: {"token": "forged"}, deny_statuses={400},
           note="GET explains the link is not valid (nothing changes); POST refuses with 400"),
    ],
    "matching:staff_index": [_r(STAFF, STAFF)],
    # --- programme ------------------------------------------------------------------------------------------
    "programme:activity_list": [_r(ALL)],
    "programme:activity_calendar": [_r(ALL)],
    "programme:activity_detail": [_r(ALL, kwargs=lambda w: {"pk": w.activity.pk})],
    "programme:activity_export": [_r(ALL, kwargs=lambda w: {"fmt": "csv"})],
    "programme:institution_list": [_r(ALL)],
    "programme:institution_detail": [_r(ALL, kwargs=lambda w: {"pk": w.institution.pk})],
    "programme:participant_list": [_r(STAFF)],
    "programme:participant_export": [_r(STAFF, kwargs=lambda w: {"fmt": "csv"})],
    "programme:dashboard": [_r(STAFF)],
    "programme:chart": [_r(STAFF, kwargs=lambda w: {"name": "activities-type", "fmt": "svg"})],
    "programme:import_start": [_r(STAFF, STAFF)],
    "programme:import_template": [_r(STAFF, kwargs=lambda w: {"kind": "activities"})],
    "programme:import_preview": [_r(STAFF, kwargs=lambda w: {"pk": w.programme_import.pk})],
    "programme:import_errors": [_r(STAFF, kwargs=lambda w: {"pk": w.programme_import.pk})],
    "programme:import_run": [_r(NOBODY, STAFF, lambda w: {"pk": w.programme_import.pk})],
    # --- periodical -----------------------------------------------------------------------------------------
    "periodical:archive": [_r(ALL)],
    "periodical:feed": [_r(ALL)],
    "periodical:issue": [_r(ALL, kwargs=lambda w: {"pk": w.issue.pk})],
    "periodical:article": [_r(ALL, kwargs=lambda w: {"pk": w.article.pk})],
    "periodical:article_pdf": [_r(ALL, kwargs=lambda w: {"pk": w.article.pk})],
    "periodical:publications": [_r(ALL)],
    "periodical:publication_file": [_r(ALL, kwargs=lambda w: {"pk": w.publication.pk})],
    "periodical:subscribe": [_r(ALL, ALL)],
    "periodical:subscribe_sent": [_r(ALL)],
    "periodical:confirm": [
        _r(ALL, ALL, lambda w: {"token": w.subscriber_token("CONFIRM_SALT")}, "the signed link is the capability"),
        _r(NOBODY, NOBODY, lambda w: {"token": w.subscriber_token("MANAGE_SALT")}, "wrong purpose"),
    ],
    "periodical:manage": [
        _r(ALL, ALL, lambda w: {"token": w.subscriber_token("MANAGE_SALT")}),
        _r(NOBODY, NOBODY, lambda w: {"token": w.subscriber_token("UNSUBSCRIBE_SALT")}, "wrong purpose"),
    ],
    "periodical:export": [
        _r(ALL, kwargs=lambda w: {"token": w.subscriber_token("MANAGE_SALT")}),
        _r(NOBODY, kwargs=lambda w: {"token": "forged"}),
    ],
    "periodical:delete": [
        _r(NOBODY, ALL, lambda w: {"token": w.subscriber_token("MANAGE_SALT")}),
        _r(NOBODY, NOBODY, lambda w: {"token": w.subscriber_token("UNSUBSCRIBE_SALT")}, "wrong purpose"),
    ],
    "periodical:unsubscribe": [
        _r(ALL, ALL, lambda w: {"token": w.subscriber_token("UNSUBSCRIBE_SALT")}),
        _r(NOBODY, NOBODY, lambda w: {"token": w.subscriber_token("MANAGE_SALT")}, "wrong purpose"),
    ],
    "periodical:opened": [_r(ALL, kwargs=lambda w: {"token": "forged"}, note="a pixel: always an image")],
    "periodical:staff_dashboard": [_r(STAFF)],
    "periodical:staff_subscribers": [_r(STAFF)],
    "periodical:staff_subscriber_import": [_r(NOBODY, STAFF)],
    "periodical:staff_mailings": [_r(STAFF)],
    "periodical:staff_mailing_create": [_r(NOBODY, STAFF, data=lambda w: {"issue": w.issue.pk})],
    "periodical:staff_mailing": [_r(STAFF, kwargs=lambda w: {"pk": w.mailing.pk})],
    "periodical:staff_mailing_progress": [_r(STAFF, kwargs=lambda w: {"pk": w.mailing.pk})],
    "periodical:staff_mailing_preview": [_r(STAFF, kwargs=lambda w: {"pk": w.mailing.pk})],
    "periodical:staff_mailing_test": [_r(NOBODY, STAFF, lambda w: {"pk": w.mailing.pk})],
    "periodical:staff_mailing_send": [_r(NOBODY, STAFF, lambda w: {"pk": w.mailing.pk})],
    "periodical:staff_outbox_resolve": [
        _r(NOBODY, STAFF, lambda w: {"pk": w.mailing.pk, "row_id": w.outbox_row.pk}),
    ],
    # --- funding --------------------------------------------------------------------------------------------
    "funding:overview": [_r(STAFF)],
    "funding:create": [_r(NOBODY, STAFF)],
    "funding:import": [_r(NOBODY, STAFF)],
    # --- reports --------------------------------------------------------------------------------------------
    "reports:impact": [_r(ALL, NOBODY)],
    "reports:dashboard": [_r(STAFF, NOBODY)],
    "reports:chart": [_r(ALL, NOBODY, lambda w: {"name": "participants-by-country", "fmt": "svg"})],
    "reports:chart_csv": [_r(ALL, NOBODY, lambda w: {"name": "participants-by-country"})],
    "reports:build": [_r(NOBODY, STAFF)],
    "reports:narrative": [_r(STAFF, STAFF, lambda w: {"year": 2026})],
    # --- accounts (django-allauth) --------------------------------------------------------------------------
    "account_login": [_r(ALL, ALL)],
    "account_logout": [_r(ALL, ALL)],
    "account_signup": [_r(ALL, ALL)],
    "account_reset_password": [_r(ALL, ALL)],
    "account_reset_password_done": [_r(ALL, NOBODY)],
    "account_reset_password_from_key": [_r(ALL, ALL, lambda w: {"uidb36": "1", "key": "set-password"})],
    "account_reset_password_from_key_done": [_r(ALL, NOBODY)],
    "account_confirm_email": [_r(ALL, NOBODY, lambda w: {"key": "bogus"}, "a bogus key: nothing to confirm")],
    "account_email_verification_sent": [_r(ALL, NOBODY)],
    "account_inactive": [_r(ALL, NOBODY)],
    "account_change_password": [_r(SIGNED, SIGNED)],
    "account_set_password": [_r(SIGNED, SIGNED)],
    "account_email": [_r(SIGNED, SIGNED)],
    "account_reauthenticate": [_r(SIGNED, SIGNED)],
    "account_confirm_login_code": [_r(SIGNED, SIGNED, note="no code requested: anonymous back to sign-in")],
    # allauth 65.22: re-authentication by an emailed code (an alternative to the password for sensitive steps)
    "account_request_reauthentication_code": [_r(SIGNED, SIGNED)],
    "account_confirm_reauthentication_code": [_r(SIGNED, SIGNED, note="no code requested: back to re-authenticate")],
}

#: Patterns left out of the web table, and why. The admin has its own all-patterns test.
EXCLUDED_NAMESPACES = {"admin": "Django admin: every pattern is checked to refuse non-staff in test_admin_*",
                       "api": "JSON API: checked per operation below and by the fuzzer"}

# --- the JSON API: "METHOD /path" (as in openapi.json) -> rules; `data` is the JSON body ---------------------
API: dict[str, list[Rule]] = {
    "GET /api/v1/countries": [_r(ALL)],
    "GET /api/v1/sdgs": [_r(ALL)],
    "GET /api/v1/sectors": [_r(ALL)],
    "GET /api/v1/vocabularies/{name}": [_r(ALL, kwargs=lambda w: {"name": "stages"})],
    "GET /api/v1/me": [_r(SIGNED)],
    "GET /api/v1/profiles": [_r(ALL)],
    "GET /api/v1/profiles/export.{fmt}": [_r(ALL, kwargs=lambda w: {"fmt": "csv"})],
    "GET /api/v1/profiles/{profile_id}": [
        _r(OWNER_A, kwargs=lambda w: {"profile_id": w.draft_a.pk}),
        _r(roles(MA, FB, S), kwargs=lambda w: {"profile_id": w.submitted_a.pk}, note="cross-country"),
        _r(ALL, kwargs=lambda w: {"profile_id": w.published_a.pk}),
    ],
    "POST /api/v1/profiles": [
        _r(NOBODY, OWNER_A, data=lambda w: {"kind": "offer", "organisation_id": w.org_a.pk, "title": "T",
                                             "summary": "S"}, note="IDOR: B cannot publish for A"),
    ],
    "PATCH /api/v1/profiles/{profile_id}": [
        _r(NOBODY, OWNER_A, lambda w: {"profile_id": w.submitted_a.pk}, data=lambda w: {"title": "Changed"}),
        _r(NOBODY, OWNER_A, lambda w: {"profile_id": w.published_a.pk}, data=lambda w: {"title": "Changed"}),
    ],
    "POST /api/v1/profiles/{profile_id}/transitions/{name}": [
        _r(NOBODY, roles(FB, S), lambda w: {"profile_id": w.submitted_a.pk, "name": "validate"},
           data=lambda w: {}),
        _r(NOBODY, OWNER_A, lambda w: {"profile_id": w.draft_a.pk, "name": "submit"}, data=lambda w: {}),
    ],
    "GET /api/v1/matching/status": [_r(ALL)],
    "GET /api/v1/matching/profiles/{profile_id}/matches": [
        _r(OWNER_A, kwargs=lambda w: {"profile_id": w.published_a.pk}),
    ],
    "GET /api/v1/matching/profiles/{profile_id}/similar": [
        _r(ALL, kwargs=lambda w: {"profile_id": w.published_a.pk}),
        _r(NOBODY, kwargs=lambda w: {"profile_id": w.draft_a.pk}, note="drafts are not public"),
    ],
    "GET /api/v1/matching/search": [_r(ALL, kwargs=lambda w: {"?": "q=solar"})],
    "POST /api/v1/matching/profiles/{profile_id}/interests": [
        _r(NOBODY, roles(MB, FB, FI, S), lambda w: {"profile_id": w.published_a.pk},
           data=lambda w: {"message": "Licence?", "offer_or_seek": "Distribution", "why_this": "Fits",
                           "next_step": "A call"}, deny_statuses={422},
           note="the owner (A) cannot express interest in its own profile: 422"),
    ],
    "GET /api/v1/matching/interests": [_r(ALL, note="anonymous gets an empty list (not a 401): no leak")],
    "GET /api/v1/matching/interests/{interest_id}": [
        _r(roles(MA, MB, S), kwargs=lambda w: {"interest_id": w.interest_b_to_a.pk}),
    ],
    "POST /api/v1/matching/interests/{interest_id}/{decision}": [
        _r(NOBODY, roles(MA, S), lambda w: {"interest_id": w.interest_b_to_a.pk, "decision": "decline"},
           data=lambda w: {}),
    ],
    "GET /api/v1/events": [_r(ALL)],
    "GET /api/v1/events/{event_id}": [
        _r(ALL, kwargs=lambda w: {"event_id": w.event.pk}),
        _r(STAFF, kwargs=lambda w: {"event_id": w.draft_event.pk}),
    ],
    "GET /api/v1/events/{event_id}/slots": [_r(ALL, kwargs=lambda w: {"event_id": w.event.pk})],
    "POST /api/v1/events/{event_id}/registrations": [
        _r(NOBODY, roles(MA, S), lambda w: {"event_id": w.event.pk},
           data=lambda w: {"organisation_id": w.org_a.pk}, deny_statuses={422},
           note="IDOR: only A's members register A (others get a 422 on `organisation`)"),
    ],
    "GET /api/v1/events/{event_id}/participants": [
        _r(roles(MA, MB, S), kwargs=lambda w: {"event_id": w.event.pk, "_": (w.registration_a, w.registration_b)}),
    ],
    "GET /api/v1/events/{event_id}/recommended": [
        _r(roles(MA, MB), kwargs=lambda w: {"event_id": w.event.pk, "_": (w.registration_a, w.registration_b)}),
    ],
    "GET /api/v1/events/{event_id}/requests": [_r(SIGNED, kwargs=lambda w: {"event_id": w.meeting_request_a.event_id})],
    "POST /api/v1/events/{event_id}/requests": [
        _r(NOBODY, roles(MA, MB), lambda w: {"event_id": w.event.pk, "_": (w.registration_a, w.registration_b)},
           data=lambda w: {"recipient_id": w.third_party.pk, "message": "Meet?"}),
    ],
    "POST /api/v1/events/{event_id}/requests/{request_id}/{action}": [
        _r(NOBODY, roles(MA, S), lambda w: {"event_id": w.event.pk, "request_id": w.meeting_request_a.pk,
                                             "action": "cancel"}, data=lambda w: {}),
    ],
    "GET /api/v1/events/{event_id}/agenda": [_r(roles(MA), kwargs=lambda w: {"event_id": w.registration_a.event_id})],
    "POST /api/v1/events/{event_id}/meetings/{meeting_id}/book": [
        _r(NOBODY, OWNER_A, lambda w: {"event_id": w.event.pk, "meeting_id": w.meeting_a.pk},
           data=lambda w: {"slot_id": w.event.slots.first().pk}),
    ],
    "POST /api/v1/events/{event_id}/meetings/{meeting_id}/outcome": [
        _r(NOBODY, OWNER_A, lambda w: {"event_id": w.event.pk, "meeting_id": w.meeting_a.pk},
           data=lambda w: {"outcome": "further_talks"}),
    ],
    "POST /api/v1/events/{event_id}/schedule": [
        _r(NOBODY, STAFF, lambda w: {"event_id": w.event.pk}, data=lambda w: {"mode": "all", "time_limit": 1}),
    ],
    "GET /api/v1/events/{event_id}/statistics": [_r(STAFF, kwargs=lambda w: {"event_id": w.event.pk})],
    "GET /api/v1/programme/activities": [_r(ALL)],
    "GET /api/v1/programme/activities/{activity_id}": [_r(ALL, kwargs=lambda w: {"activity_id": w.activity.pk})],
    "GET /api/v1/programme/activities/{activity_id}/participants": [
        _r(STAFF, kwargs=lambda w: {"activity_id": w.activity.pk}),
    ],
    "GET /api/v1/programme/institutions": [_r(ALL)],
    "GET /api/v1/programme/figures": [_r(ALL, kwargs=lambda w: {"?": "start=2019-01-01&end=2019-12-31"})],
    "POST /api/v1/programme/imports/{kind}": [
        _r(NOBODY, STAFF, lambda w: {"kind": "activities", "?": "dry_run=true"}, data=lambda w: "multipart"),
    ],
    "GET /api/v1/periodical/issues": [_r(ALL)],
    "GET /api/v1/periodical/issues/{issue_id}": [_r(ALL, kwargs=lambda w: {"issue_id": w.issue.pk})],
    "GET /api/v1/periodical/publications": [_r(ALL)],
    "GET /api/v1/contributions": [_r(STAFF)],
    "GET /api/v1/contributions/figures": [_r(STAFF, kwargs=lambda w: {"?": "start=2019-01-01&end=2019-12-31"})],
    "GET /api/v1/reports/figures": [_r(ALL, kwargs=lambda w: {"?": "start=2019-01-01&end=2019-12-31"})],
}
