"""The web process's side of the OCR service: start it once, send it an image, get back what it read.

gunicorn's master starts the service at boot (gunicorn.conf.py calls :func:`start`), so its workers,
forked afterwards, share that one bounded pool of ``CHECKER_OCR_WORKERS`` processes. Anywhere else
(``runserver``, tests, a management command) the first image starts it, owned by that process::

    >>> reading = read(png_bytes)            # at most CHECKER_OCR_WAIT seconds' wait for a free process
    >>> reading.lines[0].text, reading.qr
    ('兼职招聘：…', ['https://…'])

When every OCR process is busy past that wait, :class:`OcrBusy` (the views answer 503 with
``Retry-After``). The image goes over the socket as bytes and nowhere else.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from checker.ocr import service
from checker.ocr.cleanup import Line, Reading

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent.parent
# Loading the models takes a second or two; on a busy machine allow much more before giving up.
START_TIMEOUT = 90.0
# One image takes about a second; this only bounds a stuck process.
READ_TIMEOUT = 30.0


class OcrBusy(Exception):
    """Every OCR process stayed busy for the whole wait."""

    retry_after = 5


class OcrUnavailable(Exception):
    """The OCR service is not running and cannot be started here."""


class OcrRefused(Exception):
    """The OCR process could not use the image (damaged pixel data …). ``code`` and ``message`` as ImageRefused."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message


@dataclass
class Service:
    process: subprocess.Popen
    socket_path: str
    directory: str
    # Only the process that started the service stops it: gunicorn's workers inherit this object.
    owner: int

    def alive(self) -> bool:
        if os.getpid() == self.owner:
            return self.process.poll() is None
        # A forked gunicorn worker cannot wait on its master's child (poll() would call it dead).
        try:
            os.kill(self.process.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


_service: Service | None = None
_lock = threading.Lock()


def start(workers: int | None = None) -> Service:
    """Start the OCR service (once per process) and wait until its models are loaded."""
    global _service
    with _lock:
        if _service is not None and _service.alive():
            return _service
        _service = _spawn(workers or settings.CHECKER_OCR_WORKERS)
        return _service


def _spawn(workers: int) -> Service:
    directory = tempfile.mkdtemp(prefix="checker-ocr-")  # mode 0700: only this user may connect
    socket_path = os.path.join(directory, "ocr.sock")
    command = [
        sys.executable,
        "-m",
        "checker.ocr.service",
        f"--socket={socket_path}",
        f"--workers={workers}",
        f"--parent={os.getpid()}",
        f"--max-bytes={settings.CHECKER_IMAGE_MAX_BYTES}",
        f"--max-pixels={settings.CHECKER_IMAGE_MAX_PIXELS}",
    ]
    process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)  # noqa: S603
    deadline = time.monotonic() + START_TIMEOUT
    line = b""
    while time.monotonic() < deadline and process.poll() is None:
        readable, _, _ = select.select([process.stdout], [], [], 0.5)
        if readable:
            line = process.stdout.readline()
            break
    if line.strip() != b"ready":
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        shutil.rmtree(directory, ignore_errors=True)
        raise OcrUnavailable("the OCR service did not start (see its messages above)")
    process.stdout.close()
    started = Service(process, socket_path, directory, os.getpid())
    atexit.register(_stop, started)
    log.info("OCR service started: %d process(es)", workers)
    return started


def _stop(started: Service) -> None:
    if os.getpid() != started.owner:
        return
    if started.alive():
        started.process.terminate()
        try:
            started.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            started.process.kill()
    shutil.rmtree(started.directory, ignore_errors=True)


def stop() -> None:
    global _service
    with _lock:
        if _service is not None:
            _stop(_service)
            _service = None


def _current() -> Service:
    started = _service
    if started is not None and started.alive():
        return started
    if started is not None and os.getpid() != started.owner:
        # A gunicorn worker: the master owns the service; starting another here would double the pool.
        raise OcrUnavailable("the OCR service started by the server has stopped")
    return start()


def read(data: bytes, *, wait: float | None = None) -> Reading:
    """Read one image; raise OcrBusy, OcrUnavailable or OcrRefused."""
    started = _current()
    wait = settings.CHECKER_OCR_WAIT if wait is None else wait
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(wait)
        try:
            conn.connect(started.socket_path)
            ready = conn.recv(1)
        except TimeoutError:
            raise OcrBusy() from None
        except OSError as exc:
            raise OcrUnavailable(f"cannot reach the OCR service ({exc.__class__.__name__})") from None
        if ready != service.READY:
            raise OcrUnavailable("the OCR process closed the connection")
        conn.settimeout(READ_TIMEOUT)
        try:
            service.send_frame(conn, data)
            reply = json.loads(service.recv_frame(conn, service.MAX_REPLY))
        except (OSError, ValueError) as exc:
            raise OcrUnavailable(f"the OCR process did not answer ({exc.__class__.__name__})") from None
    finally:
        conn.close()
    if not reply.get("ok"):
        raise OcrRefused(reply.get("code", "ocr_failed"), reply.get("message", ""))
    lines = tuple(Line(str(item["text"]), tuple(item["box"]), float(item.get("score", 1))) for item in reply["lines"])
    return Reading(int(reply["width"]), int(reply["height"]), lines, tuple(reply.get("qr", ())))
