from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "techbridge.programme"
    label = "programme"
    verbose_name = _("Capacity building")

    def ready(self) -> None:
        from techbridge.core.navigation import register

        register(label=_("Capacity building"), url_name="programme:activity_list", order=30)
        register(label=_("Programme dashboard"), url_name="programme:dashboard",
                 visible=lambda actor: actor.is_staff, order=80)
