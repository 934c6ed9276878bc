"""Django's PostgreSQL backend with a deadline on every wait for the server, kept by the client.

``statement_timeout`` is enforced by the server, so a server that has stopped answering (frozen by
SIGSTOP, a hung host, a network that keeps the TCP connection open) never enforces it, and a request
waits for it forever: with threaded workers, enough such requests hold every thread of the server.

Here every query, health check, commit and rollback registers a deadline with one watchdog thread
per process. A wait still going past its deadline has its socket shut down, so psycopg raises
``OperationalError`` at once, and the site answers with its usual 503 (checker/middleware.py) or,
for a check, the verdict marked "not saved". The deadline is DATABASE_STATEMENT_TIMEOUT plus a
margin, so the server's own timeout, when it can answer, always comes first.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import socket
import threading
import time
from collections.abc import Iterator

from django.conf import settings
from django.db.backends.postgresql import base

# How often the watchdog looks: a frozen query is cut within its deadline plus this.
TICK_SECONDS = 0.25
# After the server's statement_timeout, how long to wait for its own answer before giving up on it.
MARGIN_SECONDS = 1.0


class _Watchdog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waits: dict[int, tuple[float, int]] = {}  # key → (deadline, socket fd)
        self._keys = itertools.count()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def _start(self) -> None:
        # After a fork (gunicorn workers) the parent's thread is gone: each process starts its own.
        if self._thread is None or self._pid != os.getpid():
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._watch, name="db-deadline", daemon=True)
            self._thread.start()

    @contextlib.contextmanager
    def deadline(self, fd: int, seconds: float) -> Iterator[None]:
        with self._lock:
            self._start()
            key = next(self._keys)
            self._waits[key] = (time.monotonic() + seconds, fd)
        try:
            yield
        finally:
            with self._lock:
                self._waits.pop(key, None)

    def _watch(self) -> None:
        while True:
            time.sleep(TICK_SECONDS)
            now = time.monotonic()
            with self._lock:
                overdue = [k for k, (deadline, _) in self._waits.items() if deadline <= now]
                fds = [self._waits.pop(k)[1] for k in overdue]
            for fd in fds:
                _cut(fd)


def _cut(fd: int) -> None:
    """Shut the connection's socket down (not close it: psycopg still owns the descriptor)."""
    with contextlib.suppress(OSError):
        sock = socket.socket(fileno=os.dup(fd))
        try:
            sock.shutdown(socket.SHUT_RDWR)
        finally:
            sock.close()


WATCHDOG = _Watchdog()


def deadline_seconds() -> float | None:
    timeout = settings.DATABASE_STATEMENT_TIMEOUT
    return timeout + MARGIN_SECONDS if timeout else None


class DatabaseWrapper(base.DatabaseWrapper):
    @contextlib.contextmanager
    def _guarded(self) -> Iterator[None]:
        seconds = deadline_seconds()
        raw = self.connection
        if seconds is None or raw is None or raw.closed:
            yield
            return
        with WATCHDOG.deadline(raw.pgconn.socket, seconds):
            yield

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if self._guard not in self.execute_wrappers:
            self.execute_wrappers.append(self._guard)
        return connection

    def _guard(self, execute, sql, params, many, context):
        with self._guarded():
            return execute(sql, params, many, context)

    def is_usable(self) -> bool:
        with self._guarded():
            return super().is_usable()

    def _commit(self):
        with self._guarded():
            return super()._commit()

    def _rollback(self):
        with self._guarded():
            return super()._rollback()
