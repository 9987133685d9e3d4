"""Staff import of existing subscriber lists (CSV/XLSX), with the platform's all-or-nothing row rules.

Why the `consented` column: lists collected elsewhere (workshop sign-up sheets, the old mailing tool) may or may
not carry proof that people asked for the periodical. Addresses marked consented are mailed at once; the others
stay pending and, if `invite` is set, receive the same confirmation link as web sign-ups. Addresses that
unsubscribed are never re-subscribed by an import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.jobs import Progress, no_progress
from techbridge.core.permissions import Actor, require_staff
from techbridge.core.tabular import (
    ImportReport,
    TableError,
    parse_bool,
    parse_choice,
    parse_country,
    parse_email,
    parse_list,
    read_table,
)
from techbridge.periodical.models import Subscriber, Topic
from techbridge.periodical.services.subscriptions import send_confirmation

COLUMNS = ["email", "name", "country", "language", "topics", "consented"]
REQUIRED = {"email"}
MAX_ROWS = 20000


@dataclass
class SubscriberImportResult:
    report: ImportReport
    created: int = 0
    updated: int = 0
    kept_unsubscribed: int = 0
    invited: int = 0
    rows: list[dict] = field(default_factory=list)


def _parse_rows(table, report: ImportReport) -> list[dict]:
    from django.conf import settings

    languages = [code for code, _name in settings.LANGUAGES]
    seen: dict[str, int] = {}
    parsed = []
    for row in table.rows:
        email = report.parse(row=row, column="email", parser=parse_email)
        if email:
            email = email.lower()
            if email in seen:
                report.add(row=row.number, column="email",
                           message=_("'%(e)s' already appears in row %(r)d") % {"e": email, "r": seen[email]})
            seen.setdefault(email, row.number)
        values = {
            "email": email,
            "name": row.values.get("name", "")[:200],
            "country": report.parse(row=row, column="country", parser=parse_country, required=False),
            "language": report.parse(row=row, column="language", parser=parse_choice, choices=languages,
                                     required=False) or "en",
            "topics": report.parse(row=row, column="topics", parser=parse_list, required=False) or [],
            "consented": report.parse(row=row, column="consented", parser=parse_bool, required=False) or False,
        }
        unknown = [t for t in values["topics"] if t not in Topic.values]
        if unknown:
            report.add(row=row.number, column="topics",
                       message=_("unknown topics %(t)s; use %(codes)s")
                       % {"t": ", ".join(unknown), "codes": ", ".join(Topic.values)})
        parsed.append(values)
    return parsed


def import_subscribers(*, actor: Actor, path_or_file, filename: str, invite: bool = False, dry_run: bool = False,
                       progress: Progress | None = None) -> SubscriberImportResult:
    """Validate every row, then write all of them or none; report every problem with its row and column."""
    require_staff(actor)
    progress = progress or no_progress
    try:
        table = read_table(path_or_file=path_or_file, filename=filename, columns=COLUMNS, required=REQUIRED,
                           max_rows=MAX_ROWS)
    except TableError as exc:
        return SubscriberImportResult(report=ImportReport(exc.issues))
    report = ImportReport()
    rows = _parse_rows(table, report)
    result = SubscriberImportResult(report=report, rows=rows)
    if not report.ok or dry_run:
        return result
    now = timezone.now()
    with transaction.atomic():
        existing = {s.email: s for s in Subscriber.objects.select_for_update().filter(
            email__in=[r["email"] for r in rows])}
        for done, values in enumerate(rows, start=1):
            subscriber = existing.get(values["email"])
            if subscriber is not None and subscriber.status == Subscriber.Status.UNSUBSCRIBED:
                result.kept_unsubscribed += 1
                continue
            if subscriber is None:
                subscriber = Subscriber(email=values["email"], source=Subscriber.Source.IMPORT, created_at=now)
                result.created += 1
            else:
                result.updated += 1
            subscriber.name = values["name"] or subscriber.name
            subscriber.country_id = values["country"] or subscriber.country_id
            subscriber.language = values["language"]
            subscriber.topics = sorted(set(values["topics"]))
            if values["consented"] and subscriber.status != Subscriber.Status.ACTIVE:
                subscriber.consented = True
                subscriber.status = Subscriber.Status.ACTIVE
            needs_invite = invite and subscriber.status == Subscriber.Status.PENDING
            if needs_invite:
                subscriber.confirmation_sent_at = now
            subscriber.save()
            if needs_invite:
                send_confirmation(subscriber=subscriber)
                result.invited += 1
            if done % 200 == 0:
                progress(done, len(rows), "")
        if actor.user is not None:  # the audit entry hangs on the importing person (no single subscriber)
            audit.record(actor=actor, action="subscriber_import", obj=actor.user,
                         detail={"file": filename, "created": result.created, "updated": result.updated,
                         "kept_unsubscribed": result.kept_unsubscribed, "invited": result.invited})
    progress(len(rows), len(rows), "")
    return result
