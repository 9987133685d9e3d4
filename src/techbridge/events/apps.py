from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "techbridge.events"
    label = "events"
    verbose_name = _("Brokerage events")

    def ready(self):
        from techbridge.core.navigation import register

        register(label=_("Events"), url_name="events:list", order=30)
