"""gunicorn's threaded worker with a deadline for reading each request (gunicorn.conf.py uses it).

gunicorn bounds how *much* a request may send (``limit_request_line``, ``limit_request_fields``,
``limit_request_field_size``) but not how *slowly*: a client that sends its headers a byte a second,
or its headers and then never the body, keeps a worker thread waiting on its socket for as long as
it likes. Behind the production proxy that cannot happen (nginx buffers the whole request before
passing it on, README "Reliability"); this bounds it when gunicorn is reached directly.

Each connection a thread takes gets :data:`READ_SECONDS` to be read and answered. A watchdog
thread shuts the reading side of an overdue socket: the blocked read returns at once, gunicorn sees
the client gone and the thread is free. An answer still being computed is unaffected (the writing
side stays open), and a check takes milliseconds, so only a client still sending is cut.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time

from gunicorn.workers.gthread import ThreadWorker as GunicornThreadWorker

# Plenty for a request from the proxy (loopback or a LAN, the body already buffered) or from a
# person's phone sending a text; an 8 MB screenshot sent straight from a slow phone needs the proxy.
READ_SECONDS = float(os.environ.get("GUNICORN_READ_TIMEOUT", "10"))
WATCH_EVERY = 0.5


class ThreadWorker(GunicornThreadWorker):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._deadlines: dict[object, float] = {}  # connection → when its reading is cut
        self._deadlines_lock = threading.Lock()

    def init_process(self) -> None:
        # In the forked worker, before gunicorn's loop starts (init_process does not return).
        threading.Thread(target=self._cut_overdue_reads, name="read-deadline", daemon=True).start()
        super().init_process()

    def handle(self, conn):
        with self._deadlines_lock:
            self._deadlines[conn] = time.monotonic() + READ_SECONDS
        try:
            return super().handle(conn)
        finally:
            with self._deadlines_lock:
                self._deadlines.pop(conn, None)

    def _cut_overdue_reads(self) -> None:
        while True:
            time.sleep(WATCH_EVERY)
            now = time.monotonic()
            with self._deadlines_lock:
                overdue = [conn for conn, deadline in self._deadlines.items() if deadline <= now]
                for conn in overdue:
                    del self._deadlines[conn]
            for conn in overdue:
                self.log.warning("closing a connection still sending its request after %.0f s", READ_SECONDS)
                with contextlib.suppress(OSError):  # already closed
                    conn.sock.shutdown(socket.SHUT_RD)
