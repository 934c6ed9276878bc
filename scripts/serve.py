"""Start and stop a local gunicorn for benchmarks and load tests (loopback only)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-" + "k" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_STATIC_MANIFEST": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra)
    return env


def migrate(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)


@dataclass
class Server:
    """A running gunicorn: its base URL, its master process and what it has logged so far."""

    base: str
    proc: subprocess.Popen
    _log: IO[bytes]

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    def worker_pids(self) -> list[int]:
        return [pid for pid, fields in _workers() if int(fields["PPid"]) == self.proc.pid]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int = 2, port: int | None = None) -> Iterator[str]:
    """Yields the base URL of a gunicorn serving the project; stops it afterwards."""
    with gunicorn_server(env, workers, port) as server:
        yield server.base


@contextlib.contextmanager
def gunicorn_server(env: dict[str, str], workers: int = 2, port: int | None = None) -> Iterator[Server]:
    """:func:`gunicorn`, yielding the :class:`Server` for tests that signal its processes or read its log."""
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "checker.wsgi", "-c", "gunicorn.conf.py",
             "--workers", str(workers), "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=log, stderr=log,
        )  # fmt: skip
        try:
            wait_until_up(base, proc, log)
            yield Server(base, proc, log)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def wait_until_up(base: str, proc: subprocess.Popen, log, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn exited: {log.read().decode(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:  # noqa: S310 - loopback only
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def _workers() -> Iterator[tuple[int, dict[str, str]]]:
    """(pid, /proc status fields) of every gunicorn worker of this project (children of a gunicorn master)."""
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
            cmd = (status.parent / "cmdline").read_bytes()
            fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
            parent_cmd = Path(f"/proc/{int(fields['PPid'])}/cmdline").read_bytes()
        except (OSError, KeyError, ValueError):
            continue
        if b"checker.wsgi" in cmd and b"gunicorn" in parent_cmd:
            yield int(status.parent.name), fields


def worker_rss_mb() -> list[float]:
    """RSS of every gunicorn worker of this project on the machine."""
    return [int(fields["VmRSS"].split()[0]) / 1024 for _, fields in _workers()]


def worker_cpu_seconds() -> float:
    """CPU time (user + system) the workers have used so far, from /proc/<pid>/stat."""
    total = 0
    for pid, _ in _workers():
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")
