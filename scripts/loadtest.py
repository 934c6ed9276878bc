#!/usr/bin/env python
"""Bounded load test (`make loadtest`): a local gunicorn on loopback, N closed-loop clients for D seconds.

Every check asks to be saved (save=true), so afterwards each returned share URL is read back: a
result the API said it saved (it returned a url) whose page then answers 404 is *lost*. Reports the
sustained rate, p50/p99 latency, the answers by status and the lost results. Loopback only; it
stops by itself.

With PostgreSQL and Redis (``--database-url``/``--redis-url``, or DATABASE_URL and REDIS_URL in the
environment) it also restarts Redis once, a third of the way in, and PostgreSQL once, two thirds of
the way in, the way an operator or a crash would: the checks must go on (a verdict marked "not
saved" while PostgreSQL is away), and whatever fails must fail as a clean 503, never a 500::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/checker_loadtest REDIS_URL=redis://127.0.0.1:6379/4 \\
        make loadtest

The PostgreSQL database is created (and dropped afterwards) when it does not exist.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import ROOT, gunicorn, migrate, server_env  # noqa: E402

sys.path.insert(0, str(ROOT))  # the corpus is read with the project's own content loader


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
            status = resp.status
            payload = json.loads(data) if status == 200 else {}
        except (OSError, http.client.HTTPException, ValueError):
            status, payload = "connection", {}
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        local.append((time.perf_counter() - start, status, payload.get("url"), payload.get("risk_level")))
    conn.close()
    with lock:
        results.extend(local)


def read_back(base: str, saved: list[tuple[str, str]]) -> tuple[int, int]:
    """(lost, unreadable): saved results whose page is a 404, and those answering anything else but their verdict."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    words = {"high": "高风险", "medium": "需警惕", "low": "暂未发现已知套路"}
    lost = unreadable = 0
    for url, level in saved:
        conn.request("GET", urlsplit(url).path)
        resp = conn.getresponse()
        html = resp.read().decode("utf-8", "replace")
        if resp.status == 404:
            lost += 1
        elif resp.status != 200 or words[level] not in html:
            unreadable += 1
    conn.close()
    return lost, unreadable


# --- Restarting the machine's services ------------------------------------------------------------


def restart_redis(url: str) -> float:
    """Shut Redis down and start it again with the settings it ran with; returns the seconds it was away."""
    import redis

    parts = urlsplit(url)
    r = redis.Redis(host=parts.hostname or "127.0.0.1", port=parts.port or 6379, socket_timeout=5)
    config = {k: r.config_get(k)[k] for k in ("bind", "port", "dir", "logfile", "save", "appendonly")}
    started = time.monotonic()
    with contextlib.suppress(redis.exceptions.ConnectionError):  # it closes the connection as it goes
        r.shutdown(nosave=True)
    args = ["redis-server", "--daemonize", "yes", "--port", config["port"], "--dir", config["dir"]]
    args += ["--save", config["save"], "--appendonly", config["appendonly"], "--bind", *config["bind"].split()]
    if config["logfile"]:
        args += ["--logfile", config["logfile"]]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    _wait(lambda: r.ping())
    return time.monotonic() - started


def restart_postgresql(url: str) -> float:
    """``pg_ctlcluster … restart -m fast`` on the cluster listening on the URL's port; the seconds it took."""
    port = str(urlsplit(url).port or 5432)
    lines = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout
    version, cluster = next(line.split()[:2] for line in lines.splitlines() if line.split()[2] == port)
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "restart", "-m", "fast"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    _wait(lambda: subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", port], check=True))
    return time.monotonic() - started


def _wait(ready, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            ready()
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def ensure_database(url: str) -> bool:
    """Create the PostgreSQL database of ``url`` if it is missing; True if it was created."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def drop_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


# --- The run --------------------------------------------------------------------------------------


def run(
    duration: float,
    clients: int,
    workers: int = 2,
    database_url: str | None = None,
    redis_url: str | None = None,
    restarts: bool = True,
) -> dict:
    postgres = bool(database_url and database_url.startswith(("postgres://", "postgresql://")))
    restarts = restarts and postgres and bool(redis_url)
    created = ensure_database(database_url) if postgres else False
    try:
        with tempfile.TemporaryDirectory() as tmp:
            extra = {"REDIS_URL": redis_url} if redis_url else {}
            env = server_env(
                DATABASE_URL=database_url or f"sqlite:///{tmp}/load.sqlite3",
                CHECKER_CACHE_DIR=f"{tmp}/cache",
                RATELIMIT_CHECKS="1000000/s",
                **extra,
            )
            migrate(env)
            corpus = texts()
            restarted: dict[str, float] = {}
            with gunicorn(env, workers=workers) as base:
                results: list = []
                lock = threading.Lock()
                started = time.monotonic()
                stop_at = started + duration
                threads = [
                    threading.Thread(target=client, args=(base, corpus, stop_at, k, results, lock))
                    for k in range(clients)
                ]
                if restarts:
                    threads.append(
                        threading.Thread(target=_restarts, args=(started, duration, database_url, redis_url, restarted))
                    )
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                elapsed = time.monotonic() - started
                saved = [(url, level) for _, status, url, level in results if status == 200 and url]
                lost, unreadable = read_back(base, saved)
    finally:
        if created:
            drop_database(database_url)
    latencies = sorted(r[0] for r in results)
    statuses = Counter(str(r[1]) for r in results)
    return {
        "database": "postgresql" if postgres else "sqlite",
        "cache": "redis" if redis_url else "file",
        "restarted_s": {k: round(v, 1) for k, v in restarted.items()},
        "duration_s": round(elapsed, 1),
        "clients": clients,
        "requests": len(results),
        "rate_per_s": round(len(results) / elapsed, 1),
        "statuses": dict(sorted(statuses.items())),
        "errors": sum(n for s, n in statuses.items() if s not in ("200", "503")),
        "clean_503": statuses.get("503", 0),
        "not_saved": sum(1 for _, status, url, _ in results if status == 200 and not url),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1) if latencies else None,
        "saved": len(saved),
        "lost": lost,
        "unreadable": unreadable,
    }


def _restarts(started: float, duration: float, database_url: str, redis_url: str, restarted: dict) -> None:
    time.sleep(max(0.0, started + duration / 3 - time.monotonic()))
    restarted["redis"] = restart_redis(redis_url)
    time.sleep(max(0.0, started + 2 * duration / 3 - time.monotonic()))
    restarted["postgresql"] = restart_postgresql(database_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="e.g. postgres://postgres@127.0.0.1:5432/checker_loadtest (default: DATABASE_URL, else SQLite)",
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL"), help="default: REDIS_URL, else the file cache"
    )
    parser.add_argument(
        "--no-restarts", action="store_true", help="with PostgreSQL and Redis, do not restart them during the run"
    )
    args = parser.parse_args()
    figures = run(
        args.duration,
        args.clients,
        database_url=args.database_url,
        redis_url=args.redis_url,
        restarts=not args.no_restarts,
    )
    print(json.dumps(figures, indent=2))
    if figures["errors"] or figures["lost"] or figures["unreadable"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
