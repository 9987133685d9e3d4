"""Email notifications: rendered from templates, sent by a background task once the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string


def notify(
    *, recipients: list[str], subject: str, template: str, context: dict, headers: dict | None = None
) -> None:
    """Queue one email per recipient after commit, so a rolled-back change never sends mail."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    from techbridge.core.tasks import deliver_mail

    for recipient in recipients:
        transaction.on_commit(
            lambda r=recipient: deliver_mail(to=r, subject=str(subject), body=body, headers=headers or {})
        )
