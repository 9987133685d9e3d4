from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeriodicalConfig(AppConfig):
    name = "techbridge.periodical"
    label = "periodical"
    verbose_name = _("Tech Monitor")

    def ready(self) -> None:
        from techbridge.core.navigation import register

        register(label=_("Tech Monitor"), url_name="periodical:archive", order=40)
        register(label=_("Tech Monitor list"), url_name="periodical:staff_dashboard",
                 visible=lambda actor: actor.is_staff, order=80)
