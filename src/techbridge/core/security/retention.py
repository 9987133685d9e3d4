"""Retention: personal data of programme participants and periodical subscribers is kept for
`settings.TECHBRIDGE_RETENTION_DAYS` and then erased by a daily task (`techbridge purge_expired` by hand).

Participants of activities that ended before the cut-off lose their name and organisation (country, gender and
stakeholder type stay: the programme's figures count them). Subscribers who unsubscribed, or never confirmed,
before the cut-off are deleted through the periodical's own erasure service.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


def cutoff(*, now: dt.datetime | None = None, days: int | None = None) -> dt.datetime:
    days = settings.TECHBRIDGE_RETENTION_DAYS if days is None else days
    return (now or timezone.now()) - dt.timedelta(days=days)


def purge_expired(*, now: dt.datetime | None = None, days: int | None = None) -> dict[str, int]:
    """Erase personal data older than the retention period; returns how many records per kind. Idempotent."""
    limit = cutoff(now=now, days=days)
    installed = {config.label for config in apps.get_app_configs()}
    counts = {"participants": 0, "subscribers": 0}
    if "programme" in installed:
        participant = apps.get_model("programme", "Participant")
        with transaction.atomic():
            counts["participants"] = (
                participant.objects.filter(activity__end_date__lt=limit.date())
                .exclude(name="", organisation="")
                .update(name="", organisation="")
            )
    if "periodical" in installed:
        from django.db.models import Q

        from techbridge.periodical.services.subscriptions import delete_subscriber

        subscriber = apps.get_model("periodical", "Subscriber")
        gone = subscriber.objects.filter(
            Q(status=subscriber.Status.UNSUBSCRIBED, unsubscribed_at__lt=limit)
            | Q(status=subscriber.Status.PENDING, confirmed_at__isnull=True, created_at__lt=limit)
        )
        for row in gone.iterator():
            delete_subscriber(subscriber=row)
            counts["subscribers"] += 1
    return counts


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_expired_task() -> dict[str, int]:
    """Daily retention run (the consumer must import this module: techbridge.core.tasks does)."""
    return purge_expired()
