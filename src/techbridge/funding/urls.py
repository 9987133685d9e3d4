from django.urls import path

from techbridge.funding import views

app_name = "funding"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("new/", views.create, name="create"),
    path("import/", views.import_view, name="import"),
]
