from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "techbridge.matching"
    label = "matching"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        """Plug the matching app into the exchange, the events marketplace and the menu (they never import it)."""
        from django.test.signals import setting_changed

        from techbridge.core import navigation
        from techbridge.events import recommend
        from techbridge.exchange import extensions, signals
        from techbridge.matching import hooks

        signals.profile_changed.connect(hooks.on_profile_changed, dispatch_uid="matching.profile_changed")
        signals.profiles_bulk_changed.connect(hooks.on_profiles_bulk_changed, dispatch_uid="matching.bulk_changed")
        setting_changed.connect(hooks.on_setting_changed, dispatch_uid="matching.setting_changed")
        extensions.register_tab(key="matches", label=_("Matches"), url_name="matching:profile_matches",
                                visible=hooks.matches_tab_visible)
        extensions.register_panel(key="similar", template="matching/partials/similar_panel.html",
                                  context=hooks.similar_panel)
        extensions.register_panel(key="interest", template="matching/partials/interest_panel.html",
                                  context=hooks.interest_panel)
        extensions.register_search_ranker(hooks.search_ranker)
        extensions.register_private_access(hooks.private_access, many=hooks.private_access_many)
        recommend.register_ranker(hooks.events_ranker)
        navigation.register(label=_("Expressions of interest"), url_name="matching:interests",
                            visible=lambda actor: actor.is_authenticated, order=40)
        navigation.register(label=_("Match alerts"), url_name="matching:alerts",
                            visible=lambda actor: actor.is_authenticated, order=41)
        navigation.register(label=_("Matching index"), url_name="matching:staff_index",
                            visible=lambda actor: actor.is_staff, order=90)
