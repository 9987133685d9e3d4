"""The day itself and after: check-in of meetings held, and follow-up outcomes that feed the statistics."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.permissions import Actor, require
from techbridge.events import permissions as perms
from techbridge.events.models import Meeting


def check_in(*, actor: Actor, meeting: Meeting, attendance: str) -> Meeting:
    """Organisers (at the tables) or either participant confirm a scheduled meeting was held, or a no-show."""
    require(perms.can_manage(actor, meeting.event) or perms.is_party(actor, meeting.request),
            _("This is not your meeting."))
    if attendance not in Meeting.Attendance.values:
        raise ValidationError({"attendance": [_("Unknown attendance.")]})
    if not meeting.scheduled and attendance:
        raise ValidationError({"attendance": [_("The meeting has no slot.")]})
    with transaction.atomic():
        before = meeting.attendance
        meeting.attendance = attendance
        meeting.checked_in_at = timezone.now() if attendance else None
        meeting.save(update_fields=["attendance", "checked_in_at"])
        audit.record(actor=actor, action="check_in", obj=meeting, from_state=before, to_state=attendance)
    return meeting


def record_outcome(*, actor: Actor, meeting: Meeting, outcome: str, notes: str = "") -> Meeting:
    """Either participant (or an organiser) reports what came of a meeting; it counts as held."""
    require(perms.can_manage(actor, meeting.event) or perms.is_party(actor, meeting.request),
            _("This is not your meeting."))
    errors: dict[str, list[str]] = {}
    if outcome not in Meeting.Outcome.values or not outcome:
        errors["outcome"] = [_("Choose an outcome.")]
    if len(notes or "") > 2000:
        errors["notes"] = [_("At most 2,000 characters.")]
    if meeting.attendance == Meeting.Attendance.NO_SHOW:
        errors["outcome"] = [_("This meeting was recorded as a no-show.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = meeting.outcome
        meeting.outcome = outcome
        meeting.outcome_notes = (notes or "").strip()
        meeting.outcome_at = timezone.now()
        fields = ["outcome", "outcome_notes", "outcome_at"]
        if meeting.scheduled and not meeting.attendance:
            meeting.attendance = Meeting.Attendance.HELD
            meeting.checked_in_at = meeting.outcome_at
            fields += ["attendance", "checked_in_at"]
        meeting.save(update_fields=fields)
        audit.record(actor=actor, action="outcome", obj=meeting, from_state=before, to_state=outcome)
    return meeting
