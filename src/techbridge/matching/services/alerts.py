"""Match alerts: saved searches and "new matches for your profiles", mailed as digests, each match only once.

Why a delivery row per (user, source, match) with a unique constraint: digests are built by periodic tasks
that may run twice (a retry, two workers, a clock change); the row is written in the transaction that queues
the mail, so a match already told to a person can never be told again, whatever runs concurrently.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.notify import notify
from techbridge.core.permissions import Actor, actor_for, require_signed_in
from techbridge.core.security.ratelimit import check_rate
from techbridge.exchange.models import Kind, Profile, Status
from techbridge.matching.models import AlertDelivery, AlertSettings, Frequency, SavedSearch
from techbridge.matching.services import matches as match_service

SALT = "techbridge.matching.alerts.unsubscribe"
PER_SOURCE = 10
MAX_SAVED_SEARCHES = 20


@dataclass
class Found:
    source: str
    label: str
    match: match_service.ProfileMatch


def settings_for(*, user) -> AlertSettings:
    """A person's alert settings (created with defaults on first use)."""
    row, _created = AlertSettings.objects.get_or_create(user=user)
    return row


def update_settings(*, actor: Actor, frequency: str, profile_matches: bool, min_score: float) -> AlertSettings:
    """Change how often and about what a person hears; choosing a frequency again re-subscribes."""
    require_signed_in(actor)
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": [_("Choose one of the listed frequencies.")]})
    if not 0.0 <= float(min_score) <= 1.0:
        raise ValidationError({"min_score": [_("Between 0 and 1.")]})
    with transaction.atomic():
        row = settings_for(user=actor.user)
        before = row.frequency
        row.frequency, row.profile_matches, row.min_score = frequency, bool(profile_matches), float(min_score)
        row.unsubscribed_at = None if frequency != Frequency.OFF else row.unsubscribed_at
        row.save()
        audit.record(actor=actor, action="alerts_settings", obj=row, from_state=before, to_state=frequency)
    return row


def save_search(*, actor: Actor, name: str, query: str, kind: str = "", country: str = "") -> SavedSearch:
    """Keep a free-text search; its new results arrive in the person's digest."""
    require_signed_in(actor)
    errors: dict[str, list[str]] = {}
    name, query = (name or "").strip()[:120], (query or "").strip()
    if not query:
        errors["query"] = [_("Describe what you are looking for.")]
    elif len(query) > 500:
        errors["query"] = [_("At most %(n)d characters.") % {"n": 500}]
    if kind and kind not in Kind.values:
        errors["kind"] = [_("Unknown profile type.")]
    if SavedSearch.objects.filter(user_id=actor.user_id).count() >= MAX_SAVED_SEARCHES:
        errors["query"] = [_("You can keep at most %(n)d saved searches.") % {"n": MAX_SAVED_SEARCHES}]
    if errors:
        raise ValidationError(errors)
    check_rate(key=f"saved-search:user:{actor.user_id}", limit=30, period=3600)
    with transaction.atomic():
        search = SavedSearch.objects.create(user_id=actor.user_id, name=name or query[:60], query=query,
                                            kind=kind, country=(country or "").upper()[:2])
        settings_for(user=actor.user)
        audit.record(actor=actor, action="saved_search_create", obj=search)
    return search


def delete_search(*, actor: Actor, search: SavedSearch) -> None:
    require_signed_in(actor)
    if search.user_id != actor.user_id:
        raise ValidationError({"search": [_("Not your saved search.")]})
    with transaction.atomic():
        audit.record(actor=actor, action="saved_search_delete", obj=search)
        search.delete()


# --- unsubscribe -----------------------------------------------------------------------------------------------


def unsubscribe_token(*, user) -> str:
    """A signed, non-expiring token naming the user: the one-click link needs no sign-in."""
    return signing.dumps({"u": user.pk}, salt=SALT, compress=True)


def unsubscribe_url(*, user) -> str:
    return settings.SITE_URL + reverse("matching:unsubscribe", args=[unsubscribe_token(user=user)])


def unsubscribe(*, token: str):
    """Stop every alert for the token's user; raises ValidationError for a forged or damaged token."""
    try:
        data = signing.loads(token, salt=SALT)
        user = get_user_model().objects.get(pk=int(data["u"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, get_user_model().DoesNotExist) as exc:
        raise ValidationError({"token": [_("This unsubscribe link is not valid.")]}) from exc
    with transaction.atomic():
        row = settings_for(user=user)
        if row.frequency != Frequency.OFF or row.unsubscribed_at is None:
            before = row.frequency
            row.frequency, row.unsubscribed_at = Frequency.OFF, timezone.now()
            row.save(update_fields=["frequency", "unsubscribed_at"])
            audit.record(actor=None, action="alerts_unsubscribe", obj=row, from_state=before, to_state=Frequency.OFF)
    return user


# --- building and sending digests ------------------------------------------------------------------------------


def find_new(*, user, alert_settings: AlertSettings) -> list[Found]:
    """Matches for the user's sources that were never delivered to them, best first per source."""
    actor = actor_for(user)
    found: list[Found] = []
    if alert_settings.profile_matches and actor.organisation_ids:
        own = Profile.objects.filter(organisation_id__in=actor.organisation_ids, status=Status.PUBLISHED)
        for profile in own.order_by("pk")[:50]:
            for m in match_service._materialise(match_service.rank_for_profile(profile=profile, k=PER_SOURCE),
                                                limit=PER_SOURCE):
                if m.score >= alert_settings.min_score:
                    found.append(Found(source=f"profile:{profile.pk}", label=profile.title, match=m))
    for search in SavedSearch.objects.filter(user=user):
        kinds = {search.kind} if search.kind else None
        allowed = None
        if search.country:
            allowed = {str(pk) for pk in Profile.objects.filter(status=Status.PUBLISHED, country_id=search.country)
                       .values_list("pk", flat=True)}
        ranked = match_service.rank_text(text=search.query, allowed=allowed, kinds=kinds, k=PER_SOURCE)
        for m in match_service._materialise(ranked, limit=PER_SOURCE):
            if m.profile.organisation_id not in actor.organisation_ids and m.score >= alert_settings.min_score:
                found.append(Found(source=f"search:{search.pk}", label=search.name, match=m))
    seen = set(AlertDelivery.objects.filter(user=user).values_list("source", "match_id"))
    return [f for f in found if (f.source, f.match.profile.pk) not in seen]


def send_digest(*, user_id: int) -> int:
    """Mail one person the matches they have not been told about; returns how many were sent."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    alert_settings = settings_for(user=user)
    if alert_settings.frequency == Frequency.OFF:
        return 0
    candidates = find_new(user=user, alert_settings=alert_settings)
    if not candidates:
        return 0
    now = timezone.now()
    with transaction.atomic():
        fresh: list[Found] = []
        for item in candidates:
            try:
                with transaction.atomic():
                    AlertDelivery.objects.create(user=user, source=item.source, match=item.match.profile,
                                                 score=item.match.score, sent_at=now)
            except IntegrityError:
                continue  # told already by a concurrent run
            fresh.append(item)
        if not fresh:
            return 0
        AlertSettings.objects.filter(pk=alert_settings.pk).update(last_sent_at=now)
        groups: dict[str, dict] = {}
        for item in fresh:
            groups.setdefault(item.source, {"label": item.label, "matches": []})["matches"].append(item.match)
        url = unsubscribe_url(user=user)
        notify(recipients=[user.email],
               subject=_("[TechBridge] %(n)d new matches for you") % {"n": len(fresh)},
               template="matching/mail/digest.txt",
               context={"user": user, "groups": list(groups.values()), "unsubscribe_url": url,
                        "settings_url": settings.SITE_URL + reverse("matching:alerts")},
               headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    return len(fresh)


def due_users(*, frequency: str) -> list[int]:
    """Users subscribed at this frequency."""
    return list(AlertSettings.objects.filter(frequency=frequency, unsubscribed_at__isnull=True,
                                             user__is_active=True).values_list("user_id", flat=True))


def send_due_digests(*, frequency: str) -> int:
    """Run every digest of one frequency in this process (the periodic task enqueues one task per person)."""
    total = 0
    for user_id in due_users(frequency=frequency):
        total += send_digest(user_id=user_id)
    return total
