"""Views that meet a database error, mounted by tests/core/test_database_unavailable.py only."""

from django.db import OperationalError
from django.urls import include, path


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def broken(request):
    raise RuntimeError("a bug, not the database")


urlpatterns = [
    path("api/v1/gone", database_gone),
    path("gone/", database_gone),
    path("broken/", broken),
    path("", include("techbridge.urls")),
]
