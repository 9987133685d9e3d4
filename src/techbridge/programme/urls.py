from django.urls import path

from techbridge.programme import staff_views, views

app_name = "programme"
urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("calendar/", views.activity_calendar, name="activity_calendar"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/export.<str:fmt>", views.activity_export, name="activity_export"),
    path("partners/", views.institution_list, name="institution_list"),
    path("partners/<int:pk>/", views.institution_detail, name="institution_detail"),
    path("participants/", staff_views.participant_list, name="participant_list"),
    path("participants/export.<str:fmt>", staff_views.participant_export, name="participant_export"),
    path("dashboard/", staff_views.dashboard, name="dashboard"),
    path("dashboard/charts/<slug:name>.<str:fmt>", staff_views.chart_image, name="chart"),
    path("import/", staff_views.import_start, name="import_start"),
    path("import/template/<slug:kind>.csv", staff_views.import_template, name="import_template"),
    path("import/<int:pk>/", staff_views.import_preview, name="import_preview"),
    path("import/<int:pk>/problems.csv", staff_views.import_errors, name="import_errors"),
    path("import/<int:pk>/run/", staff_views.import_run, name="import_run"),
]
