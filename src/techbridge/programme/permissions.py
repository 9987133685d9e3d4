"""Who may see and change what in the programme. Activities and partners are public; people's data is not.

Why: participant lists hold personal data (names, organisations, gender), so only the centre's staff see
them; the public sees activities, partner institutions and aggregate figures only.
"""

from __future__ import annotations

from django.db.models import QuerySet

from techbridge.core.permissions import Actor
from techbridge.programme.models import Activity, Expert, ImportUpload, Institution, Participant


def visible_activities(actor: Actor) -> QuerySet:
    """Every activity is public (the programme is reported publicly)."""
    return Activity.objects.all()


def visible_institutions(actor: Actor) -> QuerySet:
    return Institution.objects.all()


def can_manage(actor: Actor) -> bool:
    """Imports, edits, exports of personal data and the dashboard: staff only."""
    return actor.is_staff


def can_see_people(actor: Actor) -> bool:
    """Participant records and the names of resource persons: staff only."""
    return actor.is_staff


def visible_participants(actor: Actor) -> QuerySet:
    return Participant.objects.all() if can_see_people(actor) else Participant.objects.none()


def visible_experts(actor: Actor) -> QuerySet:
    return Expert.objects.all() if can_see_people(actor) else Expert.objects.none()


def visible_uploads(actor: Actor) -> QuerySet:
    """Web import uploads: staff see them all (a colleague may finish an import another began)."""
    return ImportUpload.objects.all() if can_manage(actor) else ImportUpload.objects.none()
