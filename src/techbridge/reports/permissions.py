"""Who may do what with reports: figures are public aggregates; dashboards, builds and narrative are staff work."""

from __future__ import annotations

from techbridge.core.permissions import Actor


def can_see_staff_dashboard(actor: Actor) -> bool:
    return actor.is_staff


def can_build_report(actor: Actor) -> bool:
    return actor.is_staff


def can_edit_narrative(actor: Actor) -> bool:
    return actor.is_staff
