"""gunicorn settings: `gunicorn checker.wsgi -c gunicorn.conf.py`.

A missing, stale or corrupt model stops the server at start-up with the reason, instead of every
worker failing on its first request. The master also starts the OCR service (checker/ocr/pool.py)
before forking the workers, so every worker shares its one bounded pool of CHECKER_OCR_WORKERS
processes and no worker loads an OCR model.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(2, multiprocessing.cpu_count())))
# Requests are short and CPU-bound; a slow client must not hold a worker for long.
timeout = 30
graceful_timeout = 20
# Access log off by default: it would hold nothing sensitive (paths only), but it is noise.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None


def on_starting(server):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "checker.settings")
    import django

    django.setup()
    from pathlib import Path

    from django.conf import settings

    from checker.analysis.model import ModelError, verify

    try:
        verify(Path(settings.CHECKER_MODEL_PATH))
    except ModelError as exc:
        server.log.error("cannot start: %s", exc)
        raise SystemExit(3) from None

    from checker.ocr import pool

    try:
        pool.start()
    except pool.OcrUnavailable as exc:
        # Text checks still work; screenshots answer 503 until the server is restarted.
        server.log.error("OCR unavailable: %s", exc)


def on_exit(server):
    from checker.ocr import pool

    pool.stop()


def post_worker_init(worker):
    # Load the engine before the first request, so no visitor pays for it.
    from checker.analysis.engine import get_engine

    get_engine()
