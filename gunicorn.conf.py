"""gunicorn settings: `gunicorn checker.wsgi -c gunicorn.conf.py`.

A missing, stale, corrupt or malformed model never stops the server: the master logs the reason
(it names the command to run) and serves, checks answer a kind 503 ("model unavailable"),
``/healthz`` (alive) answers 200 and ``/readyz`` (ready) 503 until the model is fixed and the workers
restarted. A worker that cannot load the model still boots, so a worker restarted under a stale
model cannot halt the master ("Worker failed to boot").

The master also starts the OCR service (checker/ocr/pool.py) before forking the workers, so every
worker shares its one bounded pool of CHECKER_OCR_WORKERS processes and no worker loads an OCR model.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(2, multiprocessing.cpu_count())))
# Threads, so two slow clients cannot hold both workers; checker/gunicorn_worker.py adds a deadline
# for reading each request (GUNICORN_READ_TIMEOUT, 10 s), which gunicorn itself does not have.
worker_class = "checker.gunicorn_worker.ThreadWorker"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A worker takes a connection only when one of its threads is free: a connection never waits in a
# worker whose threads are all held (by slow clients, say) while another worker is idle; the rest
# wait in the kernel's backlog for whichever worker frees a thread first. It also turns keep-alive
# off (gunicorn keeps none alive beyond its thread count), which costs nothing behind the proxy.
worker_connections = threads
keepalive = 0
timeout = 30
graceful_timeout = 20
# What one request may send before it is a 400: our URLs are short and no form has many fields.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
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
        # Serve anyway: checks answer 503 and /readyz says why, so nothing routes checks here.
        server.log.error("model unavailable, checks will answer 503 until it is fixed: %s", exc)

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
    # Load the engine before the first request, so no visitor pays for it. A failure must not stop
    # the worker from booting: gunicorn's master halts when a worker fails to boot.
    from checker.analysis.engine import get_engine
    from checker.analysis.model import ModelError

    try:
        get_engine()
    except ModelError as exc:
        worker.log.error("model unavailable, checks will answer 503: %s", exc)
    except Exception:
        worker.log.exception("the engine did not load; each check will try again")
