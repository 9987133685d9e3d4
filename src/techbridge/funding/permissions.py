"""Contributions are the Centre's financial records: staff only."""

from __future__ import annotations

from django.db.models import QuerySet

from techbridge.core.permissions import Actor
from techbridge.funding.models import Contribution


def can_view(actor: Actor) -> bool:
    return actor.is_staff


def visible_contributions(actor: Actor) -> QuerySet:
    """All contributions for staff, none for anybody else."""
    return Contribution.objects.all() if actor.is_staff else Contribution.objects.none()
