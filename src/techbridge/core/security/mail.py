"""Account mail (password reset, address confirmation) through the task queue, like every other mail.

django-allauth sends synchronously inside the request: a mail server that is down turned a password-reset
request into a 500 for known addresses (mail attempted) but not always for unknown ones, which both broke the
page and let an observer tell accounts apart. Queued after commit, the answer is the same redirect every time
and the task retries delivery.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction


class QueuedMailAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from techbridge.core.tasks import deliver_mail

        request = allauth_context.request
        message = self.render_mail(
            template_prefix, email, {"request": request, "email": email,
                                     "current_site": get_current_site(request), **context}
        )
        subject, body, headers = str(message.subject), str(message.body), dict(message.extra_headers or {})
        for recipient in message.to:
            transaction.on_commit(
                lambda r=recipient: deliver_mail(to=r, subject=subject, body=body, headers=headers)
            )
