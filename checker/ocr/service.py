"""The OCR service: a few processes, outside the web workers, that hold the models and read images.

``python -m checker.ocr.service --socket PATH --workers N`` binds a Unix socket (mode 0600, in a
private directory), forks N OCR processes that each load the models once and then take one
connection at a time from that socket, restarts any that dies, and exits when the process that
started it does. :mod:`checker.ocr.pool` starts it (from gunicorn's master at boot, or lazily) and
is its client.

The protocol, per connection, which is what bounds the pool::

    OCR process → client   b"R"                      it is free and has taken this image
    client → OCR process   8-byte length, the image  bytes only, never a file
    OCR process → client   8-byte length, JSON       {"ok": true, ...} or {"ok": false, "code", "message"}

A client that does not get the ``R`` within its short wait gives up (every process is busy) and
closes; a process that later takes that connection finds it closed and moves on. Only the standard
library is imported here: the supervisor stays small, and only the forked OCR processes load models.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import select
import signal
import socket
import struct
import sys
import time
from typing import Any

READY = b"R"
HEADER = struct.Struct("!Q")
# An image is at most 8 MB (checker/ocr/images.py); a client that claims more is not ours.
MAX_REQUEST = 16 * 1024 * 1024
MAX_REPLY = 16 * 1024 * 1024
# How long an OCR process waits for a client to send the image it was promised.
SEND_TIMEOUT = 10.0


class ProtocolError(ConnectionError):
    pass


def recv_exact(conn: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = conn.recv(min(left, 1 << 20))
        if not chunk:
            raise ProtocolError("connection closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def send_frame(conn: socket.socket, payload: bytes) -> None:
    conn.sendall(HEADER.pack(len(payload)) + payload)


def recv_frame(conn: socket.socket, limit: int) -> bytes:
    (size,) = HEADER.unpack(recv_exact(conn, HEADER.size))
    if size > limit:
        raise ProtocolError("frame too large")
    return recv_exact(conn, size)


# --- One OCR process ------------------------------------------------------------------------


def _answer(reader: Any, data: bytes, limits: dict[str, int]) -> dict[str, Any]:
    from checker.ocr.images import ImageRefused

    try:
        return {"ok": True, **reader.read(data, **limits)}
    except ImageRefused as refused:
        return {"ok": False, "code": refused.code, "message": refused.message}
    except Exception as exc:  # noqa: BLE001 - one bad image must not take the process down
        # The class only: a message could quote the image's bytes.
        print(f"ocr: reading failed ({exc.__class__.__name__})", file=sys.stderr, flush=True)
        return {
            "ok": False,
            "code": "ocr_failed",
            "message": "这张图片没能读出来，请换一张更清楚的截图，或直接粘贴文字。",
        }


def serve(listener: socket.socket, ready_fd: int, limits: dict[str, int]) -> None:
    from checker.ocr.reader import Reader

    reader = Reader.load()
    os.write(ready_fd, b"1")
    os.close(ready_fd)
    while True:
        conn, _ = listener.accept()
        with conn:
            try:
                conn.settimeout(SEND_TIMEOUT)
                conn.sendall(READY)
                data = recv_frame(conn, MAX_REQUEST)
            except OSError:  # the client gave up waiting, or sent nothing usable
                continue
            reply = json.dumps(_answer(reader, data, limits), ensure_ascii=False).encode()
            del data
            with contextlib.suppress(OSError):
                send_frame(conn, reply)


def _die_with_parent() -> None:
    # Linux: the kernel sends SIGKILL to this OCR process when the supervisor goes, however it goes.
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _fork_worker(listener: socket.socket, ready_w: int, limits: dict[str, int]) -> int:
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            _die_with_parent()
            serve(listener, ready_w, limits)
        except BaseException as exc:  # noqa: BLE001 - reported, then the supervisor starts another
            print(f"ocr: OCR process stopped ({exc.__class__.__name__}: {exc})", file=sys.stderr, flush=True)
            code = 1
        finally:
            os._exit(code)
    return pid


# --- The supervisor --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The OCR service (started by checker.ocr.pool).")
    parser.add_argument("--socket", required=True, help="path of the Unix socket to listen on")
    parser.add_argument("--workers", type=int, default=1, help="OCR processes")
    parser.add_argument("--parent", type=int, default=os.getppid(), help="exit when this process is gone")
    parser.add_argument("--max-bytes", type=int, default=8 * 1024 * 1024)
    parser.add_argument("--max-pixels", type=int, default=40_000_000)
    args = parser.parse_args(argv)
    limits = {"max_bytes": args.max_bytes, "max_pixels": args.max_pixels}

    with contextlib.suppress(FileNotFoundError):
        os.unlink(args.socket)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)
    try:
        listener.bind(args.socket)
    finally:
        os.umask(old_umask)
    listener.listen(64)

    ready_r, ready_w = os.pipe()
    stopping = False

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    workers = {_fork_worker(listener, ready_w, limits) for _ in range(max(1, args.workers))}
    announced, loaded, failures = False, 0, 0
    try:
        while not stopping:
            readable, _, _ = select.select([ready_r], [], [], 0.5)
            if readable:
                loaded += len(os.read(ready_r, 64))
                if not announced and loaded >= len(workers):
                    print("ready", flush=True)
                    announced = True
            for pid in list(workers):
                done, _ = os.waitpid(pid, os.WNOHANG)
                if done:
                    failures += 1
                    if not announced and failures >= 3:
                        # Never got as far as loading the models: give up, and the starter says so.
                        print("ocr: the OCR processes cannot start; giving up", file=sys.stderr, flush=True)
                        stopping = True
                        workers.discard(pid)
                        break
                    print("ocr: an OCR process exited; starting another", file=sys.stderr, flush=True)
                    workers.discard(pid)
                    time.sleep(0.5)  # a process that cannot start must not spin
                    workers.add(_fork_worker(listener, ready_w, limits))
            if os.getppid() != args.parent:
                break
    finally:
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in workers:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        listener.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(args.socket)
    return 0


if __name__ == "__main__":
    sys.exit(main())
