"""`techbridge personal_data export|erase EMAIL [--name NAME]`: a person's data across every app."""

import json

from django.core.management.base import BaseCommand, CommandError

from techbridge.core.models import User
from techbridge.core.permissions import actor_for
from techbridge.core.security.personal_data import erase_person, export_person


class Command(BaseCommand):
    help = "Export (JSON) or erase everything TechBridge holds about one person, as a staff user."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="also match records kept by name (programme participants)")
        parser.add_argument("--as", dest="staff_email", required=True, help="the staff account doing this")
        parser.add_argument("--yes", action="store_true", help="confirm an erasure")

    def handle(self, *args, action, email, name, staff_email, yes, **options):
        staff = User.objects.filter(email__iexact=staff_email, is_staff=True).first()
        if staff is None:
            raise CommandError("--as must name a staff account")
        actor = actor_for(staff)
        if action == "export":
            self.stdout.write(json.dumps(export_person(actor=actor, email=email, name=name), indent=2, default=str))
            return
        if not yes:
            raise CommandError("erasure cannot be undone; add --yes")
        counts = erase_person(actor=actor, email=email, name=name)
        self.stdout.write(json.dumps({"erased": counts}))
