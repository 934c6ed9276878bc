"""WSGI entry point, used by gunicorn: ``gunicorn checker.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "checker.settings")

application = get_wsgi_application()
