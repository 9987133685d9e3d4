from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "techbridge.funding"
    label = "funding"
    verbose_name = _("Member contributions")

    def ready(self) -> None:
        from techbridge.core.navigation import register

        register(label=_("Contributions"), url_name="funding:overview", visible=lambda actor: actor.is_staff,
                 order=85)
