from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "techbridge.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from techbridge.core import navigation

        navigation.register(label=_("Impact"), url_name="reports:impact", order=70)
        navigation.register(label=_("Reports"), url_name="reports:dashboard",
                            visible=lambda actor: actor.is_staff, order=80)
