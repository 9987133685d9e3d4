"""Background tasks of the core app."""

from __future__ import annotations

from django.core.mail import EmailMessage
from huey.contrib.djhuey import task


@task(retries=3, retry_delay=60)
def deliver_mail(*, to: str, subject: str, body: str, headers: dict) -> None:
    """Send one plain-text email; huey retries on SMTP failure."""
    EmailMessage(subject=subject, body=body, to=[to], headers=headers).send()


from techbridge.core.security.retention import purge_expired_task  # noqa: E402,F401 - registers the periodic task
