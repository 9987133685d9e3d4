"""Registering for an event, the organiser's approval, and the slots a participant blocks."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.models import Organisation
from techbridge.core.notify import notify
from techbridge.core.permissions import Actor, require, require_signed_in
from techbridge.events import permissions as perms
from techbridge.events.models import Event, MeetingSeat, Registration, Slot, Unavailability
from techbridge.exchange.models import Profile
from techbridge.exchange.models import Status as ProfileStatus

PROFILE_FIELDS = ["headline", "offers", "needs", "max_meetings", "participation_type_id", "profile_ids"]


def _clean(*, event: Event, organisation_id: int, values: dict, errors: dict) -> dict:
    """Check the participant-editable values; return them normalised."""
    out: dict = {}
    for name in sorted(set(values) - set(PROFILE_FIELDS)):
        errors.setdefault(name, []).append(_("Unknown field."))
    for name, limit in (("headline", 200), ("offers", 2000), ("needs", 2000)):
        if name in values:
            text = (values[name] or "").strip()
            if len(text) > limit:
                errors.setdefault(name, []).append(_("At most %(n)d characters.") % {"n": limit})
            out[name] = text
    if "max_meetings" in values:
        cap = values["max_meetings"]
        if cap is not None and (not isinstance(cap, int) or not 1 <= cap <= 100):
            errors.setdefault("max_meetings", []).append(_("Between 1 and 100, or empty."))
        out["max_meetings"] = cap
    if values.get("participation_type_id") is not None:
        if not event.participation_types.filter(pk=values["participation_type_id"]).exists():
            errors.setdefault("participation_type", []).append(_("Unknown participation type."))
        out["participation_type_id"] = values["participation_type_id"]
    elif "participation_type_id" in values:
        out["participation_type_id"] = None
    if "profile_ids" in values:
        ids = [int(i) for i in values["profile_ids"] or []]
        found = Profile.objects.filter(pk__in=ids, organisation_id=organisation_id, status=ProfileStatus.PUBLISHED)
        if found.count() != len(set(ids)):
            errors.setdefault("profiles", []).append(_("Link only your organisation's published profiles."))
        out["profile_ids"] = sorted(set(ids))
    return out


def register(*, actor: Actor, event: Event, organisation_id: int, values: dict) -> Registration:
    """Sign up for an event on behalf of one of the actor's organisations; organisers then approve."""
    require_signed_in(actor)
    errors: dict[str, list[str]] = {}
    if not event.registration_open and not perms.can_manage(actor, event):
        errors["event"] = [_("Registration for this event is closed.")]
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        errors["organisation"] = [_("Unknown organisation.")]
    elif not (actor.is_staff or organisation.pk in actor.organisation_ids):
        errors["organisation"] = [_("You are not a member of this organisation.")]
    if Registration.objects.filter(event=event, user_id=actor.user_id).exists():
        errors["event"] = [_("You are registered for this event already.")]
    clean = _clean(event=event, organisation_id=organisation_id, values=values, errors=errors)
    if errors:
        raise ValidationError(errors)
    profile_ids = clean.pop("profile_ids", [])
    try:
        with transaction.atomic():
            reg = Registration.objects.create(event=event, user_id=actor.user_id, organisation=organisation, **clean)
            reg.profiles.set(profile_ids)
            audit.record(actor=actor, action="register", obj=reg, to_state=reg.status)
    except IntegrityError:
        raise ValidationError({"event": [_("You are registered for this event already.")]}) from None
    organisers = [u.email for u in event.organisers.all()]
    notify(recipients=organisers, subject=_("New registration for %(event)s") % {"event": event.name},
           template="events/mail/registration_received.txt", context={"registration": reg, "event": event})
    return reg


def update_registration(*, actor: Actor, registration: Registration, values: dict) -> Registration:
    """Participants keep their offers, needs and linked profiles up to date."""
    require(registration.user_id == actor.user_id or perms.can_manage(actor, registration.event),
            _("This is not your registration."))
    errors: dict[str, list[str]] = {}
    clean = _clean(event=registration.event, organisation_id=registration.organisation_id, values=values,
                   errors=errors)
    if errors:
        raise ValidationError(errors)
    profile_ids = clean.pop("profile_ids", None)
    with transaction.atomic():
        for name, value in clean.items():
            setattr(registration, name, value)
        registration.save()
        if profile_ids is not None:
            registration.profiles.set(profile_ids)
        audit.record(actor=actor, action="update", obj=registration, detail={"fields": sorted(values)})
    return registration


def decide_registration(*, actor: Actor, registration: Registration, approve: bool, reason: str = "") -> Registration:
    """The organiser admits a participant to the marketplace, or turns them away with a reason."""
    require(perms.can_manage(actor, registration.event), _("You do not manage this event."))
    target = Registration.Status.APPROVED if approve else Registration.Status.REJECTED
    if not approve and not (reason or "").strip():
        raise ValidationError({"reason": [_("Tell the participant why.")]})
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        before = locked.status
        if before == target:
            return locked
        if not approve and MeetingSeat.objects.filter(registration=locked).exists():
            raise ValidationError({"status": [_("This participant has scheduled meetings; cancel them first.")]})
        locked.status = target
        locked.rejection_reason = "" if approve else reason.strip()[:500]
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "rejection_reason", "decided_at"])
        audit.record(actor=actor, action="approve" if approve else "reject", obj=locked, from_state=before,
                     to_state=target)
        notify(recipients=[locked.user.email],
               subject=_("Your registration for %(event)s") % {"event": locked.event.name},
               template="events/mail/registration_decided.txt",
               context={"registration": locked, "event": locked.event})
    registration.refresh_from_db()
    return registration


def set_unavailable(*, actor: Actor, registration: Registration, slot_ids: list[int]) -> list[int]:
    """Replace the participant's blocked slots; a slot with a meeting already in it cannot be blocked."""
    require(registration.user_id == actor.user_id or perms.can_manage(actor, registration.event),
            _("This is not your registration."))
    wanted = {int(s) for s in slot_ids}
    known = set(Slot.objects.filter(event_id=registration.event_id, pk__in=wanted).values_list("pk", flat=True))
    if known != wanted:
        raise ValidationError({"slots": [_("Unknown slot.")]})
    with transaction.atomic():
        Registration.objects.select_for_update().get(pk=registration.pk)
        busy = set(MeetingSeat.objects.filter(registration=registration, slot_id__in=wanted)
                   .values_list("slot_id", flat=True))
        if busy:
            raise ValidationError({"slots": [_("You have a meeting in %(n)d of these slots; cancel or move it "
                                               "first.") % {"n": len(busy)}]})
        Unavailability.objects.filter(registration=registration).exclude(slot_id__in=wanted).delete()
        have = set(Unavailability.objects.filter(registration=registration).values_list("slot_id", flat=True))
        Unavailability.objects.bulk_create([Unavailability(registration=registration, slot_id=s)
                                            for s in sorted(wanted - have)])
        audit.record(actor=actor, action="availability", obj=registration, detail={"blocked": sorted(wanted)})
    return sorted(wanted)
