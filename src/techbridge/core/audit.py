"""The audit trail: one call per state change, inside the same transaction as the change itself."""

from __future__ import annotations

from techbridge.core.models import AuditEntry
from techbridge.core.permissions import Actor


def record(
    *,
    actor: Actor | None,
    action: str,
    obj,
    from_state: str = "",
    to_state: str = "",
    detail: dict | None = None,
) -> AuditEntry:
    """Append an audit entry for `obj`; callers run it in the transaction that made the change."""
    return AuditEntry.objects.create(
        actor_id=actor.user_id if actor else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        from_state=from_state,
        to_state=to_state,
        detail=detail or {},
    )


def history(obj):
    """Audit entries of one object, newest first."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related(
        "actor"
    )
