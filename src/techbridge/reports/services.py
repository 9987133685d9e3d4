"""The reports app's one write path: staff edits of the report's narrative, and report builds as jobs.

Why so little: figures are never stored — they are computed from the other apps' data every time — so the only
state this app owns is the wording staff chose for a paragraph of a given year.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techbridge.core import audit
from techbridge.core.jobs import start_job
from techbridge.core.models import Job
from techbridge.core.permissions import Actor, require
from techbridge.reports import permissions as perms
from techbridge.reports.export import FORMATS
from techbridge.reports.figures import FIRST_YEAR, LAST_YEAR
from techbridge.reports.models import NarrativeOverride

KEY_PATTERN = re.compile(r"(introduction|exchange|publications|contributions|area:[a-z_]{1,40}|"
                         r"activity:[A-Za-z0-9][A-Za-z0-9._\-]{0,39})")
MAX_TEXT = 5000


def _check_year(year: int) -> None:
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": [_("Choose a year between %(first)d and %(last)d.")
                                        % {"first": FIRST_YEAR, "last": LAST_YEAR}]})


def save_narrative(*, actor: Actor, year: int, key: str, text: str) -> NarrativeOverride | None:
    """Replace one paragraph of `year`'s report with staff wording; empty text goes back to the generated one.

    Returns the override, or None when the paragraph was reverted.
    """
    require(perms.can_edit_narrative(actor), _("Only centre staff may edit the report."))
    _check_year(year)
    if not KEY_PATTERN.fullmatch(key or ""):
        raise ValidationError({"key": [_("Unknown paragraph.")]})
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": [_("At most %(n)d characters.") % {"n": MAX_TEXT}]})
    with transaction.atomic():
        current = NarrativeOverride.objects.select_for_update().filter(year=year, key=key).first()
        before = current.text if current else ""
        if not text:
            if current is not None:
                current.delete()
                audit.record(actor=actor, action="narrative-revert", obj=current, detail={"year": year, "key": key})
            return None
        if current is None:
            current = NarrativeOverride(year=year, key=key)
        current.text = text
        current.updated_by_id = actor.user_id
        current.updated_at = timezone.now()
        current.save()
        audit.record(actor=actor, action="narrative-edit", obj=current,
                     detail={"year": year, "key": key, "changed": before != text})
    return current


def start_report_build(*, actor: Actor, year: int, fmt: str) -> Job:
    """Queue the annual report of `year` in `fmt` as a background job whose result is the file."""
    require(perms.can_build_report(actor), _("Only centre staff may build reports."))
    _check_year(year)
    if fmt not in FORMATS:
        raise ValidationError({"fmt": [_("Choose one of %(formats)s.") % {"formats": ", ".join(FORMATS)}]})
    from techbridge.reports.tasks import build_report_task

    return start_job(actor=actor, kind=f"annual-report-{fmt}", task=build_report_task,
                     params={"year": year, "fmt": fmt})
