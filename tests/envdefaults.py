"""Loaded with ``-p`` before Django reads its settings: the suite runs production-like settings.

Debug off (so the security settings are the real ones), but no HTTPS redirect, no static manifest
(no collectstatic needed) and a throwaway key. DATABASE_URL and REDIS_URL pass through, so CI can
run the same suite against PostgreSQL.
"""

import os

os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
os.environ["DJANGO_STATIC_MANIFEST"] = "0"
# Playwright's sync API keeps an event loop running in the test thread; the ORM calls made by
# fixtures there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
