from django.conf import settings

from techbridge.core.navigation import items_for
from techbridge.core.permissions import actor_for


def platform(request):
    """Expose the current Actor, the menu and platform flags to templates."""
    actor = actor_for(getattr(request, "user", None))
    return {
        "actor": actor,
        "nav_items": items_for(actor),
        "site_url": settings.SITE_URL,
        "htmx_available": settings.HTMX_AVAILABLE,
    }
