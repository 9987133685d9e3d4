"""Subscribing with double opt-in, preferences, unsubscribing, and a subscriber's own data (export, delete).

Why double opt-in: anybody can type somebody else's address into a form; only a click on the link we mailed proves
the owner wants the periodical. The confirmation link expires, so an old mail found later cannot subscribe anyone.

Self-service functions take no `actor`: the signed link (techbridge.periodical.tokens) is the authority, and the
views resolve it to a Subscriber before calling them.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.models import Country
from techbridge.core.notify import notify
from techbridge.periodical import tokens
from techbridge.periodical.models import OutboxMessage, Subscriber, Topic

#: (requests, window in seconds); settings may override with the same names.
TECHBRIDGE_SUBSCRIBE_RATE_IP = (10, 3600)
TECHBRIDGE_SUBSCRIBE_RATE_ADDRESS = (3, 24 * 3600)


class RateLimited(Exception):
    """Too many subscription requests from one network address or for one e-mail address."""


def normalise_email(*, email: str) -> str:
    """Lower-case and check an address, so one person cannot end up on the list twice."""
    value = (email or "").strip().lower()
    if value.startswith("mailto:"):
        value = value[len("mailto:"):]
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from None
    return value


def clean_preferences(*, language: str = "", topics=(), countries=(), country: str | None = None) -> dict:
    """Check preference values against the platform's vocabularies; raise ValidationError naming the field."""
    errors: dict[str, list[str]] = {}
    language = language or "en"
    if language not in {code for code, _name in settings.LANGUAGES}:
        errors["language"] = [_("Unknown language.")]
    topics = sorted({str(t) for t in topics or ()})
    unknown = [t for t in topics if t not in Topic.values]
    if unknown:
        errors["topics"] = [_("Unknown topics: %(t)s.") % {"t": ", ".join(unknown)}]
    countries = sorted({str(c).upper() for c in countries or ()})
    known = set(Country.objects.filter(iso2__in=countries).values_list("iso2", flat=True))
    if set(countries) - known:
        errors["countries"] = [_("Unknown countries: %(c)s.") % {"c": ", ".join(sorted(set(countries) - known))}]
    country = (country or "").upper() or None
    if country and not Country.objects.filter(iso2=country).exists():
        errors["country"] = [_("Unknown country.")]
    if errors:
        raise ValidationError(errors)
    return {"language": language, "topics": topics, "countries": countries, "country_id": country}


def _limit(key: str, rule: tuple[int, int]) -> bool:
    """Count one hit on `key`; False when the rule's limit within its window is exceeded."""
    limit, window = rule
    cache.add(key, 0, window)
    try:
        hits = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        hits = 1
    return hits <= limit


def _check_rate(*, email: str, client_ip: str) -> None:
    """Refuse floods: per network address and per e-mail address (hashed: the cache holds no addresses)."""
    ip_rule = getattr(settings, "TECHBRIDGE_SUBSCRIBE_RATE_IP", TECHBRIDGE_SUBSCRIBE_RATE_IP)
    address_rule = getattr(settings, "TECHBRIDGE_SUBSCRIBE_RATE_ADDRESS", TECHBRIDGE_SUBSCRIBE_RATE_ADDRESS)
    if client_ip:
        digest = hashlib.sha256(client_ip.encode()).hexdigest()[:24]
        if not _limit(f"periodical:subscribe:ip:{digest}", ip_rule):
            raise RateLimited(_("Too many requests from your network. Try again later."))
    digest = hashlib.sha256(email.encode()).hexdigest()[:24]
    if not _limit(f"periodical:subscribe:address:{digest}", address_rule):
        raise RateLimited(_("Too many requests for this address. Check your inbox or try again tomorrow."))


def request_subscription(*, email: str, name: str = "", country: str | None = None, language: str = "en",
                         topics=(), countries=(), client_ip: str = "") -> Subscriber:
    """Record a pending subscription and mail the confirmation link (the address is not mailed anything else).

    The answer never reveals whether the address was already subscribed: an active subscriber gets a mail with
    the link to manage their subscription instead, and their preferences are left untouched.
    """
    email = normalise_email(email=email)
    prefs = clean_preferences(language=language, topics=topics, countries=countries, country=country)
    _check_rate(email=email, client_ip=client_ip)
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
        if subscriber is not None and subscriber.status == Subscriber.Status.ACTIVE:
            notify(recipients=[email], subject=_("Your Tech Monitor subscription"),
                   template="periodical/mail/already_subscribed.txt",
                   context={"subscriber": subscriber, "manage_url": tokens.manage_url(subscriber)})
            return subscriber
        before = subscriber.status if subscriber else ""
        if subscriber is None:
            subscriber = Subscriber(email=email, source=Subscriber.Source.WEB, created_at=now)
        subscriber.name = (name or "").strip()[:200]
        subscriber.language = prefs["language"]
        subscriber.topics = prefs["topics"]
        subscriber.countries = prefs["countries"]
        subscriber.country_id = prefs["country_id"]
        subscriber.status = Subscriber.Status.PENDING
        subscriber.confirmation_sent_at = now
        subscriber.save()
        audit.record(actor=None, action="subscribe_request", obj=subscriber, from_state=before,
                     to_state=subscriber.status)
        send_confirmation(subscriber=subscriber)
    return subscriber


def send_confirmation(*, subscriber: Subscriber) -> None:
    """Queue the double opt-in mail (after commit), with a link valid for `tokens.confirm_max_age()` seconds."""
    hours = tokens.confirm_max_age() // 3600
    notify(recipients=[subscriber.email], subject=_("Confirm your subscription to the Asia-Pacific Tech Monitor"),
           template="periodical/mail/confirm.txt",
           context={"subscriber": subscriber, "confirm_url": tokens.confirm_url(subscriber), "hours": hours})


def confirm_subscription(*, token: str) -> Subscriber:
    """Activate the subscription a confirmation link names; raise tokens.ExpiredToken / InvalidToken."""
    subscriber = tokens.read(token=token, salt=tokens.CONFIRM_SALT, max_age=tokens.confirm_max_age())
    with transaction.atomic():
        locked = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if locked.status == Subscriber.Status.ACTIVE:
            return locked
        if locked.status == Subscriber.Status.UNSUBSCRIBED:
            # The reader left after this link was sent; only a new request may bring them back.
            raise tokens.InvalidToken("unsubscribed since")
        before = locked.status
        locked.status = Subscriber.Status.ACTIVE
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["status", "confirmed_at"])
        audit.record(actor=None, action="subscribe_confirm", obj=locked, from_state=before, to_state=locked.status)
    return locked


def update_preferences(*, subscriber: Subscriber, name: str, country: str | None, language: str, topics,
                       countries) -> Subscriber:
    """Change what a subscriber receives; reached only through their signed manage link."""
    prefs = clean_preferences(language=language, topics=topics, countries=countries, country=country)
    with transaction.atomic():
        subscriber.name = (name or "").strip()[:200]
        subscriber.language = prefs["language"]
        subscriber.topics = prefs["topics"]
        subscriber.countries = prefs["countries"]
        subscriber.country_id = prefs["country_id"]
        subscriber.save(update_fields=["name", "language", "topics", "countries", "country"])
        audit.record(actor=None, action="subscribe_preferences", obj=subscriber)
    return subscriber


def unsubscribe(*, subscriber: Subscriber, method: str) -> Subscriber:
    """Stop all mail to this address at once, including copies of running mailings not yet sent."""
    with transaction.atomic():
        locked = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if locked.status != Subscriber.Status.UNSUBSCRIBED:
            before = locked.status
            locked.status = Subscriber.Status.UNSUBSCRIBED
            locked.unsubscribed_at = timezone.now()
            locked.save(update_fields=["status", "unsubscribed_at"])
            OutboxMessage.objects.filter(subscriber=locked, state=OutboxMessage.State.PENDING).update(
                state=OutboxMessage.State.SKIPPED)
            audit.record(actor=None, action="unsubscribe", obj=locked, from_state=before, to_state=locked.status,
                         detail={"method": method})
    return locked


def export_data(*, subscriber: Subscriber) -> dict:
    """Everything stored about one subscriber, as JSON-ready data (their right of access)."""
    deliveries = [
        {"mailing": row.mailing.subject, "state": row.state,
         "sent_at": row.sent_at.isoformat() if row.sent_at else None,
         "opened_at": row.opened_at.isoformat() if row.opened_at else None}
        for row in subscriber.deliveries.select_related("mailing").order_by("id")
    ]
    stamp = {f: getattr(subscriber, f) for f in ("created_at", "confirmation_sent_at", "confirmed_at",
                                                  "unsubscribed_at")}
    return {
        "email": subscriber.email,
        "name": subscriber.name,
        "country": subscriber.country_id,
        "language": subscriber.language,
        "topics": list(subscriber.topics),
        "countries_of_interest": list(subscriber.countries),
        "status": subscriber.status,
        "consented_before_import": subscriber.consented,
        "source": subscriber.source,
        **{key: value.isoformat() if value else None for key, value in stamp.items()},
        "mailings": deliveries,
        "note": "Page views are counted per country and month only; they are not linked to you.",
    }


def delete_subscriber(*, subscriber: Subscriber) -> None:
    """Erase a subscriber (their right to erasure). Delivery rows keep their state for statistics, not the address."""
    with transaction.atomic():
        OutboxMessage.objects.filter(subscriber=subscriber, state=OutboxMessage.State.PENDING).update(
            state=OutboxMessage.State.SKIPPED)
        OutboxMessage.objects.filter(subscriber=subscriber).update(email="", subscriber=None)
        audit.record(actor=None, action="subscriber_delete", obj=subscriber, from_state=subscriber.status)
        subscriber.delete()
