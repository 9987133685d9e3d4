"""Periodic work of the exchange: expiring profiles and reminding owners before they expire."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from techbridge.exchange import services


@db_periodic_task(crontab(minute="15", hour="*"))
def expire_profiles() -> int:
    return services.expire_due_profiles()


@db_periodic_task(crontab(minute="30", hour="6"))
def remind_expiring_profiles() -> int:
    return services.send_expiry_reminders()
