"""The one write path for profiles: creation, edits, attachments and every workflow transition.

Views, the API, tasks and commands call these functions with keyword arguments. Each call checks the actor's
permission, validates everything before writing, runs in one transaction and leaves an audit entry.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.countries import UnknownCountry, resolve_country
from techbridge.core.models import SDG, Country, Organisation, PartnershipType, Sector
from techbridge.core.notify import notify
from techbridge.core.permissions import Actor, require, require_signed_in
from techbridge.core.sanitize import clean_html
from techbridge.core.uploads import check_upload
from techbridge.exchange import permissions as perms
from techbridge.exchange.models import REFERENCE_PREFIX, Attachment, Kind, Profile, ReferenceSequence, Status
from techbridge.exchange.signals import profile_changed
from techbridge.exchange.workflow import TRANSITIONS

#: Plain fields a caller may set through create/update.
EDITABLE_FIELDS = [
    "title",
    "summary",
    "description",
    "advantages",
    "technical_spec",
    "stage",
    "trl",
    "ipr_status",
    "ipr_notes",
    "keywords",
    "contact_name",
    "contact_email",
    "contact_phone",
    "item",
    "specification",
    "capacity",
    "quantity",
    "budget_min_usd",
    "budget_max_usd",
    "needed_by",
    "hs_code",
]
EQUIPMENT_ONLY = {
    "item",
    "specification",
    "capacity",
    "quantity",
    "budget_min_usd",
    "budget_max_usd",
    "needed_by",
    "hs_code",
}
RELATIONS = {
    "sectors": Sector,
    "sdgs": SDG,
    "partnership_types": PartnershipType,
    "target_countries": Country,
}


def create_profile(*, actor: Actor, kind: str, organisation_id: int, values: dict) -> Profile:
    """Create a draft profile for an organisation the actor belongs to (staff: any organisation)."""
    require_signed_in(actor)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Unknown profile type %(kind)s.") % {"kind": kind}})
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise ValidationError({"organisation": _("Unknown organisation.")})
    require(perms.can_create_for(actor, organisation.pk), _("You are not a member of this organisation."))
    profile = Profile(kind=kind, organisation=organisation, created_by_id=actor.user_id)
    values = dict(values)
    values.setdefault("country", organisation.country_id)
    relations = _apply_values(profile, values)
    with transaction.atomic():
        profile.reference = _next_reference(kind=kind, country=profile.country_id)
        profile.save()
        _set_relations(profile, relations)
        audit.record(actor=actor, action="create", obj=profile, to_state=profile.status)
    _announce(profile)
    return profile


def update_profile(*, actor: Actor, profile: Profile, values: dict) -> Profile:
    """Edit a profile's content. Editing a rejected profile returns it to draft for another submission."""
    require(perms.can_edit(actor, profile), _("You may not edit this profile."))
    relations = _apply_values(profile, dict(values))
    with transaction.atomic():
        locked = Profile.objects.select_for_update().get(pk=profile.pk)
        require(perms.can_edit(actor, locked), _("You may not edit this profile."))
        before = locked.status
        if before == Status.REJECTED:
            profile.status = Status.DRAFT
        profile.updated_at = timezone.now()
        profile.save()
        _set_relations(profile, relations)
        audit.record(
            actor=actor,
            action="update",
            obj=profile,
            from_state=before,
            to_state=profile.status,
            detail={"fields": sorted(values)},
        )
    _announce(profile)
    return profile


def run_transition(*, actor: Actor, profile: Profile, name: str, reason: str = "") -> Profile:
    """Move a profile along its workflow; refuse transitions the state or the actor's role does not allow."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError({"transition": _("Unknown transition %(name)s.") % {"name": name}})
    if not perms.can_view(actor, profile):
        require(False, _("You may not change this profile."))
    with transaction.atomic():
        locked = Profile.objects.select_for_update().get(pk=profile.pk)
        require(
            transition.allowed(actor, locked), _("You may not %(action)s this profile.") % {"action": name}
        )
        if locked.status not in transition.sources:
            raise ValidationError(
                {
                    "status": _("A %(status)s profile cannot be %(action)s.")
                    % {"status": locked.get_status_display().lower(), "action": name}
                }
            )
        before = locked.status
        now = timezone.now()
        _TRANSITION_EFFECTS[name](locked, actor=actor, now=now, reason=reason)
        locked.status = transition.target
        locked.updated_at = now
        locked.save()
        audit.record(
            actor=actor,
            action=name,
            obj=locked,
            from_state=before,
            to_state=locked.status,
            detail={"reason": reason} if reason else {},
        )
        _notify_transition(locked, name=name)
    profile.refresh_from_db()
    _announce(profile)
    return profile


def submit_profile(*, actor: Actor, profile: Profile) -> Profile:
    return run_transition(actor=actor, profile=profile, name="submit")


def validate_profile(*, actor: Actor, profile: Profile, publish: bool = True) -> Profile:
    """Validate a submitted profile; by default publish it straight away, as focal points expect."""
    profile = run_transition(actor=actor, profile=profile, name="validate")
    if publish:
        profile = run_transition(actor=actor, profile=profile, name="publish")
    return profile


def reject_profile(*, actor: Actor, profile: Profile, reason: str) -> Profile:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the owner a reason for the rejection.")})
    return run_transition(actor=actor, profile=profile, name="reject", reason=reason.strip())


def extend_profile(*, actor: Actor, profile: Profile) -> Profile:
    if profile.extended:
        raise ValidationError({"status": _("This profile has already been extended once.")})
    return run_transition(actor=actor, profile=profile, name="extend")


def archive_profile(*, actor: Actor, profile: Profile) -> Profile:
    return run_transition(actor=actor, profile=profile, name="archive")


def add_attachment(*, actor: Actor, profile: Profile, upload, private: bool = False) -> Attachment:
    """Attach a PDF or image; the type is proven by the file's content and the size is capped."""
    require(perms.can_edit(actor, profile), _("You may not add files to this profile."))
    checked = check_upload(upload, field="file")
    upload.name = checked.name
    with transaction.atomic():
        attachment = Attachment.objects.create(
            profile=profile,
            file=upload,
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            private=private,
        )
        audit.record(
            actor=actor, action="attach", obj=profile, detail={"file": checked.name, "private": private}
        )
    return attachment


def remove_attachment(*, actor: Actor, attachment: Attachment) -> None:
    require(perms.can_edit(actor, attachment.profile), _("You may not remove files from this profile."))
    with transaction.atomic():
        audit.record(actor=actor, action="detach", obj=attachment.profile, detail={"file": attachment.name})
        attachment.file.delete(save=False)
        attachment.delete()


def expire_due_profiles(*, now=None) -> int:
    """Expire every published profile past its validity (periodic task); returns how many."""
    now = now or timezone.now()
    count = 0
    for profile in Profile.objects.filter(status=Status.PUBLISHED, expires_at__lte=now).only("pk"):
        with transaction.atomic():
            locked = Profile.objects.select_for_update().get(pk=profile.pk)
            if locked.status != Status.PUBLISHED or locked.expires_at > now:
                continue
            locked.status = Status.EXPIRED
            locked.save(update_fields=["status"])
            audit.record(
                actor=None, action="expire", obj=locked, from_state=Status.PUBLISHED, to_state=Status.EXPIRED
            )
            _notify_transition(locked, name="expire")
        _announce(locked)
        count += 1
    return count


def send_expiry_reminders(*, now=None) -> int:
    """Remind owners two weeks before a profile expires, once per validity period."""
    now = now or timezone.now()
    horizon = now + timedelta(days=settings.TECHBRIDGE_EXPIRY_REMINDER_DAYS)
    due = Profile.objects.filter(
        status=Status.PUBLISHED, expires_at__lte=horizon, expires_at__gt=now, reminder_sent_at__isnull=True
    )
    count = 0
    for profile in due.select_related("organisation"):
        with transaction.atomic():
            updated = Profile.objects.filter(pk=profile.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if not updated:
                continue
            notify(
                recipients=_owner_emails(profile),
                subject=_("Your profile %(ref)s expires soon") % {"ref": profile.reference},
                template="exchange/mail/expiry_reminder.txt",
                context={"profile": profile},
            )
        count += 1
    return count


# --- helpers ------------------------------------------------------------------------------------------------


def _apply_values(profile: Profile, values: dict) -> dict:
    """Copy values onto the (unsaved) profile and validate; return the many-to-many values to set."""
    errors: dict[str, list[str]] = {}
    unknown = set(values) - set(EDITABLE_FIELDS) - set(RELATIONS) - {"country"}
    for name in sorted(unknown):
        errors.setdefault(name, []).append(_("Unknown field."))
    if "country" in values:
        try:
            profile.country_id = resolve_country(str(values["country"] or ""))
        except UnknownCountry as exc:
            errors.setdefault("country", []).append(str(exc))
    for name in EDITABLE_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name in EQUIPMENT_ONLY and profile.kind != Kind.EQUIPMENT and value not in (None, ""):
            errors.setdefault(name, []).append(_("Only equipment requests have this field."))
            continue
        if name in {"description", "advantages", "technical_spec"}:
            value = clean_html(value or "")
        elif name in {"budget_min_usd", "budget_max_usd"}:
            value = _decimal(value, name, errors)
        elif isinstance(value, str):
            value = value.strip()
        if value is None and name not in {"trl", "quantity", "needed_by", "budget_min_usd", "budget_max_usd"}:
            value = ""
        setattr(profile, name, value)
    relations = {}
    for name, model in RELATIONS.items():
        if name in values:
            relations[name] = _resolve_relation(name, model, values[name] or [], errors)
    try:
        profile.full_clean(exclude=["reference", "organisation", "created_by", "validated_by"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    _check_rules(profile, errors)
    if errors:
        raise ValidationError(errors)
    return relations


def _check_rules(profile: Profile, errors: dict) -> None:
    for field in Profile._meta.get_fields():
        limit = getattr(field, "max_length", None)
        if field.get_internal_type() == "TextField" and limit:
            value = getattr(profile, field.name) or ""
            if len(value) > limit:
                errors.setdefault(field.name, []).append(
                    _("At most %(limit)d characters (it has %(n)d).") % {"limit": limit, "n": len(value)}
                )
    if profile.kind == Kind.EQUIPMENT and not profile.item:
        errors.setdefault("item", []).append(_("Name the machine or equipment you need."))
    low, high = profile.budget_min_usd, profile.budget_max_usd
    if low is not None and high is not None and low > high:
        errors.setdefault("budget_max_usd", []).append(_("The upper budget must not be below the lower one."))
    for name in ("budget_min_usd", "budget_max_usd"):
        value = getattr(profile, name)
        if value is not None and value < 0:
            errors.setdefault(name, []).append(_("A budget cannot be negative."))
    if profile.hs_code and not profile.hs_code.replace(".", "").isdigit():
        errors.setdefault("hs_code", []).append(_("An HS code has digits only (e.g. 8438.10)."))


def _decimal(value, name: str, errors: dict):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.setdefault(name, []).append(_("Enter a number."))
        return None


def _resolve_relation(name: str, model, codes, errors: dict) -> list:
    if isinstance(codes, str):
        codes = [c for c in codes.replace(";", ",").split(",") if c.strip()]
    wanted = []
    for code in codes:
        code = str(code).strip()
        if name == "target_countries":
            try:
                code = resolve_country(code)
            except UnknownCountry as exc:
                errors.setdefault(name, []).append(str(exc))
                continue
        wanted.append(int(code) if name == "sdgs" and code.isdigit() else code)
    found = {str(pk) for pk in model.objects.filter(pk__in=wanted).values_list("pk", flat=True)}
    missing = [str(code) for code in wanted if str(code) not in found]
    if missing:
        errors.setdefault(name, []).append(_("Unknown value(s): %(codes)s.") % {"codes": ", ".join(missing)})
    return list(dict.fromkeys(wanted))


def _set_relations(profile: Profile, relations: dict) -> None:
    for name, values in relations.items():
        getattr(profile, name).set(values)


def _next_reference(*, kind: str, country: str) -> str:
    """EEN-style reference: type prefix, country, date and a daily sequence, e.g. TOBT20261125001."""
    day = timezone.now().strftime("%Y%m%d")
    key = f"{REFERENCE_PREFIX[kind]}{country}{day}"
    sequence, _created = ReferenceSequence.objects.select_for_update().get_or_create(key=key)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{key}{sequence.last:03d}"


def _effect_none(profile: Profile, **kwargs) -> None:
    return None


def _effect_submit(profile: Profile, *, now, **kwargs) -> None:
    profile.submitted_at = now
    profile.rejection_reason = ""


def _effect_validate(profile: Profile, *, actor: Actor, now, **kwargs) -> None:
    profile.validated_by_id = actor.user_id
    profile.validated_at = now


def _effect_reject(profile: Profile, *, reason: str, **kwargs) -> None:
    profile.rejection_reason = reason


def _effect_publish(profile: Profile, *, now, **kwargs) -> None:
    profile.published_at = now
    profile.expires_at = now + timedelta(days=settings.TECHBRIDGE_PROFILE_VALIDITY_DAYS)
    profile.reminder_sent_at = None


def _effect_extend(profile: Profile, *, now, **kwargs) -> None:
    if profile.extended:
        raise ValidationError({"status": _("This profile has already been extended once.")})
    base = max(profile.expires_at or now, now)
    profile.expires_at = base + timedelta(days=settings.TECHBRIDGE_PROFILE_VALIDITY_DAYS)
    profile.extended = True
    profile.reminder_sent_at = None


_TRANSITION_EFFECTS = {
    "submit": _effect_submit,
    "validate": _effect_validate,
    "reject": _effect_reject,
    "publish": _effect_publish,
    "expire": _effect_none,
    "extend": _effect_extend,
    "archive": _effect_none,
    "withdraw": _effect_none,
}


def _owner_emails(profile: Profile) -> list[str]:
    from techbridge.core.models import Membership

    emails = list(
        Membership.objects.filter(organisation_id=profile.organisation_id).values_list(
            "user__email", flat=True
        )
    )
    return emails + ([profile.contact_email] if profile.contact_email else [])


def _notify_transition(profile: Profile, *, name: str) -> None:
    from techbridge.core.models import FocalPoint

    if name == "submit":
        recipients = list(
            FocalPoint.objects.filter(country_id=profile.country_id).values_list("user__email", flat=True)
        )
        template = "exchange/mail/submitted.txt"
    elif name in {"validate", "reject", "publish", "expire"}:
        recipients = _owner_emails(profile)
        template = "exchange/mail/status_changed.txt"
    else:
        return
    notify(
        recipients=recipients,
        subject=f"[TechBridge] {profile.reference}: {profile.get_status_display()}",
        template=template,
        context={"profile": profile},
    )


def _announce(profile: Profile) -> None:
    transaction.on_commit(
        lambda: profile_changed.send(sender=Profile, profile_id=profile.pk, status=profile.status)
    )
