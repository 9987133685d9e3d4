from django.urls import path

from techbridge.core import audit_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.dashboard, name="dashboard"),
    path("me/organisations/new/", views.organisation_create, name="organisation_create"),
    path("me/tokens/", views.tokens, name="tokens"),
    path("me/organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
]
