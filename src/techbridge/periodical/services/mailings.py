"""Composing a mailing from an issue, previewing and testing it, and queueing it for its audience.

Delivery itself is in `techbridge.periodical.services.outbox`; this module builds the per-recipient message (with
its one-click unsubscribe headers) that the outbox sends.
"""

from __future__ import annotations

from email.utils import make_msgid
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.permissions import Actor, require_staff
from techbridge.core.sanitize import clean_html
from techbridge.exchange.models import Kind, Status
from techbridge.periodical import tokens
from techbridge.periodical.models import Issue, Mailing, OutboxMessage, Subscriber
from techbridge.periodical.services.subscriptions import clean_preferences


def new_message_id() -> str:
    """A Message-ID recorded on the outbox row before sending, so a copy can be traced in the mail log."""
    return make_msgid(idstring="techmonitor", domain=urlparse(settings.SITE_URL).hostname or "techbridge.local")


def public_featured(issue: Issue) -> dict[str, list]:
    """An issue's featured offers and requests that are still published (others never reach readers)."""
    profiles = list(issue.featured_profiles.filter(status=Status.PUBLISHED).select_related("country")
                    .order_by("kind", "title"))
    return {"offers": [p for p in profiles if p.kind == Kind.OFFER],
            "requests": [p for p in profiles if p.kind != Kind.OFFER]}


def compose_from_issue(*, actor: Actor, issue: Issue) -> Mailing:
    """Draft a mailing announcing an issue: HTML and plain text from the issue's contents, ready to edit."""
    require_staff(actor)
    context = {"issue": issue, "articles": issue.articles.prefetch_related("authors"),
               "featured": public_featured(issue), "site_url": settings.SITE_URL}
    with transaction.atomic():
        mailing = Mailing.objects.create(
            issue=issue,
            subject=_("Asia-Pacific Tech Monitor, Vol. %(v)s No. %(n)s: %(theme)s")
            % {"v": issue.volume, "n": issue.number, "theme": issue.theme},
            html_body=clean_html(render_to_string("periodical/mail/issue.html", context)),
            text_body=render_to_string("periodical/mail/issue.txt", context).strip() + "\n",
            created_by_id=actor.user_id,
        )
        audit.record(actor=actor, action="mailing_compose", obj=mailing, to_state=mailing.status)
    return mailing


def clean_audience(*, audience: dict) -> dict:
    """Audience filters: language, subscriber countries, topics; empty means everybody."""
    prefs = clean_preferences(language=audience.get("language") or "en", topics=audience.get("topics") or (),
                              countries=audience.get("countries") or ())
    return {"language": audience.get("language") and prefs["language"] or "",
            "topics": prefs["topics"], "countries": prefs["countries"]}


def update_mailing(*, actor: Actor, mailing: Mailing, subject: str, html_body: str, text_body: str,
                   audience: dict) -> Mailing:
    """Edit a draft; the HTML is sanitised like every stored rich text."""
    require_staff(actor)
    errors = {}
    if mailing.status != Mailing.Status.DRAFT:
        errors["subject"] = [_("Only a draft can be edited.")]
    if not (subject or "").strip():
        errors["subject"] = [_("A subject is required.")]
    if not (text_body or "").strip():
        errors["text_body"] = [_("The plain-text version is required.")]
    if errors:
        raise ValidationError(errors)
    audience = clean_audience(audience=audience)
    with transaction.atomic():
        mailing.subject = subject.strip()[:200]
        mailing.html_body = clean_html(html_body)
        mailing.text_body = text_body.strip() + "\n"
        mailing.audience = audience
        mailing.save()
        audit.record(actor=actor, action="mailing_update", obj=mailing)
    return mailing


def audience_queryset(*, audience: dict) -> QuerySet:
    """Active subscribers matching the filters (without the topic filter, which needs Python on JSON lists)."""
    qs = Subscriber.objects.filter(status=Subscriber.Status.ACTIVE)
    if audience.get("language"):
        qs = qs.filter(language=audience["language"])
    if audience.get("countries"):
        qs = qs.filter(country_id__in=audience["countries"])
    return qs.order_by("id")


def audience_ids(*, audience: dict) -> list[int]:
    """Subscribers a mailing goes to; a subscriber without chosen topics receives everything."""
    wanted = set(audience.get("topics") or ())
    ids = []
    for pk, topics in audience_queryset(audience=audience).values_list("id", "topics"):
        if not wanted or not topics or wanted & set(topics):
            ids.append(pk)
    return ids


def build_message(*, mailing: Mailing, subscriber: Subscriber | None, outbox_id: int | None, message_id: str,
                  to: str | None = None, connection=None) -> EmailMultiAlternatives:
    """The message for one recipient: bodies plus a footer with their own unsubscribe and preference links.

    Headers follow RFC 2369/8058 so mail clients offer one-click unsubscribe.
    """
    context = {
        "unsubscribe_url": tokens.unsubscribe_url(subscriber) if subscriber else "",
        "manage_url": tokens.manage_url(subscriber) if subscriber else "",
        "pixel_url": tokens.open_pixel_url(outbox_id) if outbox_id else "",
        "site_url": settings.SITE_URL,
    }
    text = mailing.text_body + render_to_string("periodical/mail/footer.txt", context)
    html = mailing.html_body + render_to_string("periodical/mail/footer.html", context)
    headers = {"Message-ID": message_id,
               "List-Id": f"Asia-Pacific Tech Monitor <tech-monitor.{urlparse(settings.SITE_URL).hostname}>"}
    if subscriber is not None:
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(subject=mailing.subject, body=text, to=[to or subscriber.email],
                                     headers=headers, connection=connection)
    message.attach_alternative(html, "text/html")
    return message


def send_test(*, actor: Actor, mailing: Mailing, to: str) -> None:
    """Send one copy to a staff address, now, outside the outbox (it is not a delivery to a subscriber)."""
    require_staff(actor)
    to = (to or "").strip()
    if "@" not in to:
        raise ValidationError({"to": [_("Enter a valid e-mail address.")]})
    message = build_message(mailing=mailing, subscriber=None, outbox_id=None, message_id=new_message_id(), to=to)
    message.subject = f"[TEST] {mailing.subject}"
    message.send()
    Mailing.objects.filter(pk=mailing.pk).update(test_sent_to=to, test_sent_at=timezone.now())
    audit.record(actor=actor, action="mailing_test", obj=mailing, detail={"to": to})


def queue_mailing(*, actor: Actor, mailing: Mailing, dispatch: bool = True) -> int:
    """Create one outbox row per recipient (unique per mailing) and start the sending task after commit."""
    require_staff(actor)
    with transaction.atomic():
        locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if locked.status != Mailing.Status.DRAFT:
            raise ValidationError({"status": [_("This mailing has already been sent or is being sent.")]})
        recipients = list(Subscriber.objects.filter(pk__in=audience_ids(audience=locked.audience))
                          .values_list("id", "email"))
        if not recipients:
            raise ValidationError({"audience": [_("No active subscriber matches this audience.")]})
        OutboxMessage.objects.bulk_create(
            [OutboxMessage(mailing=locked, subscriber_id=pk, email=email) for pk, email in recipients],
            batch_size=500, ignore_conflicts=True)
        locked.status = Mailing.Status.SENDING
        locked.started_at = timezone.now()
        locked.save(update_fields=["status", "started_at"])
        audit.record(actor=actor, action="mailing_send", obj=locked, from_state=Mailing.Status.DRAFT,
                     to_state=locked.status, detail={"recipients": len(recipients)})
        if dispatch:
            dispatch_mailing(mailing_id=locked.pk)
    mailing.refresh_from_db()
    return len(recipients)


def dispatch_mailing(*, mailing_id: int) -> None:
    """Start the background task once the current transaction has committed."""
    from techbridge.periodical.tasks import send_mailing_task

    transaction.on_commit(lambda: send_mailing_task(mailing_id))


def resolve_uncertain(*, actor: Actor, row: OutboxMessage, decision: str) -> OutboxMessage:
    """Staff decide what an uncertain copy was: "sent" (found in the mail log) or "resend" (it never left)."""
    require_staff(actor)
    if decision not in {"sent", "resend"}:
        raise ValidationError({"decision": [_("Choose 'sent' or 'resend'.")]})
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=row.pk)
        if locked.state != OutboxMessage.State.UNCERTAIN:
            raise ValidationError({"decision": [_("Only an uncertain copy can be resolved.")]})
        if decision == "sent":
            locked.state, locked.sent_at = OutboxMessage.State.SENT, locked.claimed_at
        else:
            locked.state, locked.claim_token = OutboxMessage.State.PENDING, ""
            locked.next_attempt_at = timezone.now()
            Mailing.objects.filter(pk=locked.mailing_id).update(status=Mailing.Status.SENDING, finished_at=None)
        locked.save()
        audit.record(actor=actor, action=f"outbox_{decision}", obj=locked, from_state=OutboxMessage.State.UNCERTAIN,
                     to_state=locked.state)
        if decision == "resend":
            dispatch_mailing(mailing_id=locked.mailing_id)
    return locked
