"""`techbridge send-mailing ID`: queue a draft mailing (if needed) and deliver its outbox here, with a progress bar.

Safe to interrupt and run again: copies already sent are not sent twice, and a copy the previous run may have been
sending when it was stopped is reported as uncertain instead of being re-sent (see services.outbox).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from techbridge.core.jobs import cli_progress
from techbridge.core.permissions import Actor
from techbridge.periodical.models import Mailing
from techbridge.periodical.services import mailings, outbox

#: The command line acts for the centre (audit entries carry no person).
COMMAND_LINE = Actor(user=None, is_staff=True, focal_countries=frozenset(), organisation_ids=frozenset(),
                     admin_organisation_ids=frozenset())


class Command(BaseCommand):
    help = "Send a Tech Monitor mailing to its audience through the outbox (resumable, at most one copy each)."

    def add_arguments(self, parser):
        parser.add_argument("mailing_id", type=int)
        parser.add_argument("--batch-size", type=int, default=50)
        parser.add_argument("--stale-after", type=float, default=None,
                            help="seconds after which a copy left 'sending' by a stopped worker counts as uncertain "
                                 "(default: setting TECHBRIDGE_OUTBOX_STALE_AFTER, 600)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, mailing_id: int, batch_size: int, stale_after: float, no_progress: bool, **options):
        mailing = Mailing.objects.filter(pk=mailing_id).first()
        if mailing is None:
            raise CommandError(f"no mailing {mailing_id}")
        if mailing.status == Mailing.Status.DRAFT:
            try:
                count = mailings.queue_mailing(actor=COMMAND_LINE, mailing=mailing, dispatch=False)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
            self.stdout.write(f"Queued for {count} subscribers.")
        progress = None if no_progress else cli_progress(description=f"mailing {mailing_id}", stream=self.stderr)
        result = outbox.process_outbox(mailing_id=mailing_id, batch_size=batch_size, stale_after=stale_after,
                                       progress=progress)
        self.stdout.write(
            f"sent {result.sent}, retry later {result.retried}, failed {result.failed}, skipped {result.skipped}, "
            f"uncertain {result.uncertain} (+{result.marked_stale} left by a stopped run), waiting {result.remaining}")
