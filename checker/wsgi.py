"""WSGI entry point, used by gunicorn: ``gunicorn checker.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "checker.settings")

from checker.bodies import ChunkedBodies  # noqa: E402 - needs the settings module named first

# Chunked bodies get a length before Django reads them (checker/bodies.py).
application = ChunkedBodies(get_wsgi_application())
