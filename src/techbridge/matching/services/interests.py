"""Expressions of interest: a signed-in user writes to a profile's owner, who accepts or declines.

Why contact details wait for acceptance: owners publish to find partners, not to be harvested; the sender
states who they are and why, and only an accepted EoI opens both sides' contact details (the exchange asks
`permissions.accepted_counterpart` through its private-access hook).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.notify import notify
from techbridge.core.permissions import Actor, require, require_signed_in
from techbridge.core.security.ratelimit import check_rate
from techbridge.exchange.models import Profile, Status
from techbridge.exchange.permissions import is_owner
from techbridge.matching import permissions as perms
from techbridge.matching.models import ExpressionOfInterest

EoI = ExpressionOfInterest
TEXT_LIMITS = {"message": 2000, "offer_or_seek": 1000, "why_this": 1000, "next_step": 1000}


def _rate_limits() -> tuple[int, int]:
    """(EoIs per user per hour, per user per day), overridable in settings."""
    return (int(getattr(settings, "TECHBRIDGE_EOI_PER_HOUR", 10)), int(getattr(settings, "TECHBRIDGE_EOI_PER_DAY", 30)))


def send_interest(*, actor: Actor, profile: Profile, values: dict) -> ExpressionOfInterest:
    """Send an EoI on a published profile of another organisation; the owner is told by mail."""
    require_signed_in(actor)
    errors: dict[str, list[str]] = {}
    clean = {}
    for name, limit in TEXT_LIMITS.items():
        text = str(values.get(name) or "").strip()
        if not text:
            errors.setdefault(name, []).append(_("This field is required."))
        elif len(text) > limit:
            errors.setdefault(name, []).append(_("At most %(n)d characters.") % {"n": limit})
        clean[name] = text
    if profile.status != Status.PUBLISHED:
        errors.setdefault("profile", []).append(_("Only published profiles receive expressions of interest."))
    if is_owner(actor, profile):
        errors.setdefault("profile", []).append(_("This is your own organisation's profile."))
    sender_profile = None
    sender_profile_id = values.get("sender_profile")
    if sender_profile_id:
        sender_profile = Profile.objects.filter(pk=sender_profile_id,
                                                organisation_id__in=actor.organisation_ids).first()
        if sender_profile is None:
            errors.setdefault("sender_profile", []).append(_("Choose one of your organisation's profiles."))
    if EoI.objects.filter(profile=profile, sender_id=actor.user_id).exists():
        errors.setdefault("profile", []).append(_("You have already expressed interest in this profile."))
    if errors:
        raise ValidationError(errors)
    per_hour, per_day = _rate_limits()
    check_rate(key=f"eoi:user:{actor.user_id}:h", limit=per_hour, period=3600)
    check_rate(key=f"eoi:user:{actor.user_id}:d", limit=per_day, period=86400)
    organisation_id = sender_profile.organisation_id if sender_profile else min(actor.organisation_ids, default=None)
    try:
        with transaction.atomic():
            eoi = EoI.objects.create(profile=profile, sender_id=actor.user_id,
                                     sender_organisation_id=organisation_id, sender_profile=sender_profile, **clean)
            audit.record(actor=actor, action="eoi_send", obj=eoi, to_state=eoi.status,
                         detail={"profile": profile.pk})
            notify(recipients=_owner_emails(profile),
                   subject=_("[TechBridge] Expression of interest in %(ref)s") % {"ref": profile.reference},
                   template="matching/mail/eoi_received.txt", context={"eoi": eoi, "profile": profile})
    except IntegrityError as exc:  # a double click racing the check above
        raise ValidationError({"profile": [_("You have already expressed interest in this profile.")]}) from exc
    return eoi


def decide_interest(*, actor: Actor, eoi: ExpressionOfInterest, accept: bool, note: str = "") -> ExpressionOfInterest:
    """The owner accepts (both sides then see each other's contact details) or declines; the sender is told."""
    require(perms.is_recipient(actor, eoi) or actor.is_staff,
            _("Only the profile's owners answer this expression of interest."))
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"decision_note": [_("At most %(n)d characters.") % {"n": 500}]})
    with transaction.atomic():
        locked = EoI.objects.select_for_update().select_related("profile").get(pk=eoi.pk)
        require(perms.is_recipient(actor, locked) or actor.is_staff,
                _("Only the profile's owners answer this expression of interest."))
        if locked.status != EoI.Status.PENDING:
            raise ValidationError({"status": [_("This expression of interest has already been answered.")]})
        before = locked.status
        locked.status = EoI.Status.ACCEPTED if accept else EoI.Status.DECLINED
        locked.decided_at = timezone.now()
        locked.decided_by_id = actor.user_id
        locked.decision_note = note
        locked.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
        audit.record(actor=actor, action="eoi_accept" if accept else "eoi_decline", obj=locked,
                     from_state=before, to_state=locked.status)
        notify(recipients=[locked.sender.email],
               subject=_("[TechBridge] Your expression of interest in %(ref)s: %(status)s")
               % {"ref": locked.profile.reference, "status": locked.get_status_display().lower()},
               template="matching/mail/eoi_decided.txt", context={"eoi": locked, "profile": locked.profile})
    return locked


def contact_of_sender(*, actor: Actor, eoi: ExpressionOfInterest) -> dict | None:
    """The sender's contact details for whoever may see them (after acceptance for the owner), else None."""
    if not perms.can_see_sender_contact(actor, eoi):
        return None
    user = eoi.sender
    org = eoi.sender_organisation
    return {"name": user.full_name or user.email, "email": user.email, "phone": getattr(user, "phone", ""),
            "organisation": org.name if org else "", "position": getattr(user, "position", "")}


def contact_of_profile(*, actor: Actor, eoi: ExpressionOfInterest) -> dict | None:
    """The profile's contact details for the sender once accepted (owners and staff always see them)."""
    from techbridge.exchange.permissions import can_see_private

    p = eoi.profile
    if not can_see_private(actor, p):
        return None
    return {"name": p.contact_name, "email": p.contact_email, "phone": p.contact_phone,
            "organisation": p.organisation.name}


def _owner_emails(profile: Profile) -> list[str]:
    from techbridge.core.models import Membership

    emails = list(Membership.objects.filter(organisation_id=profile.organisation_id)
                  .values_list("user__email", flat=True))
    return emails + ([profile.contact_email] if profile.contact_email else [])
