#!/usr/bin/env python
"""Bounded load test (`make loadtest`): a local gunicorn on loopback, N closed-loop clients for D seconds.

Every check is saved (save=true), so afterwards each returned share URL is read back: nothing may be
lost. Reports the sustained rate, p50/p99 latency and errors. Loopback only; it stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import ROOT, gunicorn, migrate, server_env  # noqa: E402


def texts() -> list[str]:
    import yaml

    out = []
    from checker.analysis import layout

    for path in layout.training_files(ROOT / "content"):
        out += [e["text"] for e in yaml.safe_load(path.read_text(encoding="utf-8"))["examples"]]
    return out


def client(base: str, corpus: list[str], stop_at: float, offset: int, results: list, lock: threading.Lock) -> None:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    i = offset
    local = []
    while time.monotonic() < stop_at:
        text = corpus[i % len(corpus)]
        i += 7
        body = json.dumps({"text": text, "save": True}, ensure_ascii=False).encode()
        start = time.perf_counter()
        try:
            conn.request("POST", "/api/v1/check", body, {"Content-Type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
            ok = resp.status == 200
            payload = json.loads(data) if ok else {}
        except (OSError, http.client.HTTPException, ValueError):
            ok, payload = False, {}
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        local.append((time.perf_counter() - start, ok, payload.get("url"), payload.get("risk_level")))
    conn.close()
    with lock:
        results.extend(local)


def read_back(base: str, saved: list[tuple[str, str]]) -> int:
    """How many saved results cannot be read back with the verdict they were saved with."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    words = {"high": "高风险", "medium": "需警惕", "low": "暂未发现已知套路"}
    missing = 0
    for url, level in saved:
        conn.request("GET", urlsplit(url).path)
        resp = conn.getresponse()
        html = resp.read().decode("utf-8", "replace")
        if resp.status != 200 or words[level] not in html:
            missing += 1
    conn.close()
    return missing


def run(duration: float, clients: int, workers: int = 2, database_url: str | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = server_env(DATABASE_URL=database_url or f"sqlite:///{tmp}/load.sqlite3", RATELIMIT_CHECKS="1000000/s")
        migrate(env)
        corpus = texts()
        with gunicorn(env, workers=workers) as base:
            results: list = []
            lock = threading.Lock()
            stop_at = time.monotonic() + duration
            threads = [
                threading.Thread(target=client, args=(base, corpus, stop_at, k, results, lock)) for k in range(clients)
            ]
            started = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - started
            saved = [(url, level) for _, ok, url, level in results if ok and url]
            lost = read_back(base, saved)
    latencies = sorted(r[0] for r in results)
    return {
        "duration_s": round(elapsed, 1),
        "clients": clients,
        "requests": len(results),
        "rate_per_s": round(len(results) / elapsed, 1),
        "errors": sum(1 for r in results if not r[1]),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1) if latencies else None,
        "saved": len(saved),
        "lost": lost,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--database-url", help="e.g. postgres://postgres@127.0.0.1:5432/loadtest (default: SQLite)")
    args = parser.parse_args()
    figures = run(args.duration, args.clients, database_url=args.database_url)
    print(json.dumps(figures, indent=2))
    if figures["errors"] or figures["lost"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
