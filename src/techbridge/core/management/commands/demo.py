"""`techbridge demo`: load a platform that looks alive (idempotent: running it twice changes nothing)."""

from __future__ import annotations

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

#: Each app may ship a `demo` module with `load(*, stdout) -> None`; they run in this order.
DEMO_MODULES = [
    "techbridge.core.demo",
    "techbridge.exchange.demo",
    "techbridge.programme.demo",
    "techbridge.events.demo",
    "techbridge.periodical.demo",
    "techbridge.funding.demo",
    "techbridge.matching.demo",
]


class Command(BaseCommand):
    help = (
        "Load demo data: the centre's organisations, people, profiles, activities, events and publications."
    )

    def handle(self, *args, **options):
        from django.test.utils import override_settings
        from huey.contrib.djhuey import HUEY

        # Demo content is loaded inline: tasks (indexing, mail) run immediately and no demo mail leaves the machine.
        was_immediate = HUEY.immediate
        HUEY.immediate = True
        try:
            with override_settings(
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend", TECHBRIDGE_DEFER_INDEXING=True
            ):
                self._load()
        finally:
            HUEY.immediate = was_immediate

    def _load(self):
        for path in DEMO_MODULES:
            try:
                module = importlib.import_module(path)
            except ModuleNotFoundError as exc:
                if exc.name == path:
                    continue
                raise
            with transaction.atomic():
                module.load(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Sign in as staff@techbridge.local / techbridge-demo")
        )
