from django.urls import path

from techbridge.matching import views

app_name = "matching"
urlpatterns = [
    path("profiles/<int:pk>/", views.profile_matches, name="profile_matches"),
    path("profiles/<int:pk>/interest/", views.interest_create, name="interest_create"),
    path("interests/", views.interest_list, name="interests"),
    path("interests/<int:pk>/", views.interest_detail, name="interest"),
    path("interests/<int:pk>/<str:decision>/", views.interest_decide, name="interest_decide"),
    path("alerts/", views.alert_settings, name="alerts"),
    path("alerts/searches/", views.saved_search_create, name="saved_search_create"),
    path("alerts/searches/<int:pk>/delete/", views.saved_search_delete, name="saved_search_delete"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("staff/index/", views.staff_index, name="staff_index"),
]
