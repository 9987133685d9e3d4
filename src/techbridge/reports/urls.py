from django.urls import path

from techbridge.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("impact/", views.impact, name="impact"),
    path("charts/<slug:name>.<str:fmt>", views.chart, name="chart"),
    path("data/<slug:name>.csv", views.chart_csv, name="chart_csv"),
    path("build/", views.build, name="build"),
    path("<int:year>/narrative/", views.narrative, name="narrative"),
]
