"""WSGI entry point (gunicorn techbridge.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techbridge.settings")
application = get_wsgi_application()
