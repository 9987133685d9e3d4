from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "techbridge.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from techbridge.core.reference_sync import sync_reference_data

        post_migrate.connect(sync_reference_data, sender=self)
