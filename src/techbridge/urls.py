"""URL map: one include per app, the JSON API under /api/v1/, accounts by django-allauth."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from techbridge.api import api

urlpatterns = [
    path("", include("techbridge.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("exchange/", include("techbridge.exchange.urls")),
    path("matching/", include("techbridge.matching.urls")),
    path("events/", include("techbridge.events.urls")),
    path("programme/", include("techbridge.programme.urls")),
    path("tech-monitor/", include("techbridge.periodical.urls")),
    path("contributions/", include("techbridge.funding.urls")),
    path("reports/", include("techbridge.reports.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "techbridge.core.views.bad_request"
handler403 = "techbridge.core.views.permission_denied"
handler404 = "techbridge.core.views.page_not_found"
handler500 = "techbridge.core.views.server_error"
