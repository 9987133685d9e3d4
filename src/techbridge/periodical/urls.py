from django.urls import path  # noqa: F401

app_name = "periodical"
urlpatterns: list = []
