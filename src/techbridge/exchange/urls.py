from django.urls import path

from techbridge.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("new/", views.create, name="create"),
    path("queue/", views.queue, name="queue"),
    path("countries/", views.countries, name="countries"),
    path("countries/<str:iso2>/", views.country_portal, name="country"),
    path("open-data/", views.open_data, name="open_data"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/<str:name>/", views.transition, name="transition"),
]
