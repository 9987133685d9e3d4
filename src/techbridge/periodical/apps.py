from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeriodicalConfig(AppConfig):
    name = "techbridge.periodical"
    label = "periodical"
    verbose_name = _("Tech Monitor")
