#!/usr/bin/env python
"""Where a check's time goes without HTTP: Django's WSGI handler called in process (`make breakdown`).

Reports the per-request cost of GET /healthz; of POST /api/v1/check; of the same check with the
engine's answers computed beforehand (for measurement only: what the API costs around the engine —
rate limit, parsing, redaction, the answer's JSON); and of the engine alone in a tight loop. The
engine costs more inside a request than alone, because Django's work in between evicts its data
from the CPU caches. Together with `make bench` this says how far speeding up one part can move the
check/healthz throughput ratio.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import ROOT, migrate, server_env  # noqa: E402

REQUESTS = 3000
ROUNDS = 3


def wsgi_caller(app):
    def call(path: str, body: bytes | None = None) -> str:
        environ = {
            "REQUEST_METHOD": "POST" if body else "GET",
            "PATH_INFO": path,
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "HTTP_HOST": "localhost",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body or b"")),
            "wsgi.input": io.BytesIO(body or b""),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        status: list[str] = []
        b"".join(app(environ, lambda s, headers, exc=None: status.append(s)))
        return status[0]

    return call


def per_call_ms(fn, n: int) -> float:
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return (time.perf_counter() - start) / n * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = server_env(DATABASE_URL=f"sqlite:///{tmp}/breakdown.sqlite3", RATELIMIT_CHECKS="1000000/s")
        migrate(env)
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "checker.settings"
        sys.path.insert(0, str(ROOT))
        from django.core.wsgi import get_wsgi_application

        app = get_wsgi_application()
        from checker.analysis.engine import get_engine
        from checker.analysis.model import load_training_examples

        engine = get_engine()
        texts = [e.text for e in load_training_examples()][::10][:300]
        bodies = [json.dumps({"text": t}, ensure_ascii=False).encode() for t in texts]
        call = wsgi_caller(app)
        assert call("/healthz").startswith("200") and call("/api/v1/check", bodies[0]).startswith("200")

        import checker.views.api as api_view
        from checker.privacy import redact

        real_assess = api_view.assess
        answers = {redact(t).text: engine.assess(redact(t).text) for t in texts}
        rows = []
        for _ in range(ROUNDS):
            healthz = per_call_ms(lambda i: call("/healthz"), REQUESTS)
            check = per_call_ms(lambda i: call("/api/v1/check", bodies[i % len(bodies)]), REQUESTS)
            api_view.assess = answers.__getitem__
            try:
                precomputed = per_call_ms(lambda i: call("/api/v1/check", bodies[i % len(bodies)]), REQUESTS)
            finally:
                api_view.assess = real_assess
            alone = per_call_ms(lambda i: engine.assess(texts[i % len(texts)]), REQUESTS)
            rows.append((healthz, check, precomputed, alone))
    healthz, check, precomputed, alone = (statistics.median(r[k] for r in rows) for k in range(4))
    print(f"{'in process, median of ' + str(ROUNDS) + ' rounds × ' + str(REQUESTS):44} ms per request")
    print(f"{'GET /healthz':44} {healthz:.3f}")
    print(f"{'POST /api/v1/check':44} {check:.3f}")
    print(f"{'  the same, engine answers precomputed':44} {precomputed:.3f}")
    print(f"{'  so the API around the engine adds':44} {precomputed - healthz:.3f}")
    print(f"{'  and the engine inside a request costs':44} {check - precomputed:.3f}")
    print(f"{'the engine alone, in a tight loop':44} {alone:.3f}")


if __name__ == "__main__":
    main()
