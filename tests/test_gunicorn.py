"""The real server (gunicorn.conf.py, checker/gunicorn_worker.py): a broken model, a dead worker, slow clients.

Each test starts its own gunicorn on loopback, on a SQLite database and a copy of the model of its own.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from serve import gunicorn_server, migrate, server_env  # noqa: E402

pytestmark = pytest.mark.slow

TEXT = "有人高价收购银行卡，一张给两千"
KIND_MESSAGE = "检测服务暂时不可用"


def call(url: str, data: bytes | None = None, timeout: float = 20) -> tuple[int, str]:
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:  # noqa: S310 - loopback
            return r.status, r.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def api_check(base: str, timeout: float = 20) -> tuple[int, str]:
    return call(base + "/api/v1/check", json.dumps({"text": TEXT, "save": False}).encode(), timeout)


@pytest.fixture
def own_model(tmp_path, settings) -> Path:
    path = tmp_path / "engine.npz"
    shutil.copy(settings.CHECKER_MODEL_PATH, path)
    return path


@pytest.fixture
def env(tmp_path, own_model) -> dict[str, str]:
    env = server_env(
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        CHECKER_CACHE_DIR=str(tmp_path / "cache"),
        CHECKER_MODEL_PATH=str(own_model),
        RATELIMIT_CHECKS="1000/m",
    )
    migrate(env)
    return env


def make_stale(path: Path) -> None:
    from checker.analysis import model

    payload = model.read_meta(path)
    meta = json.loads(payload["meta"])
    meta["content_hash"] = "0" * 64  # as if content/ had changed since training
    model.save(payload | {"meta": json.dumps(meta)}, path)


def wait_for_new_workers(server, old: set[int], count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = set(server.worker_pids())
        if len(pids) == count and not pids & old and call(server.base + "/healthz", timeout=5)[0] == 200:
            return
        assert server.proc.poll() is None, server.log()[-3000:]
        time.sleep(0.2)
    raise AssertionError(f"no new worker in {timeout} s: {server.log()[-3000:]}")


def assert_serving_without_a_model(server) -> None:
    assert server.proc.poll() is None, server.log()[-3000:]
    assert call(server.base + "/healthz")[0] == 200
    status, body = call(server.base + "/readyz")
    assert status == 503
    problems = json.loads(body)["problems"]
    assert "manage.py train" in problems["model"]
    assert "/" not in problems["model"].split("`")[0]  # a fixed sentence, not a path on the server
    status, body = api_check(server.base)
    assert status == 503 and json.loads(body)["error"] == "model_unavailable"
    assert KIND_MESSAGE in json.loads(body)["message"]
    status, page = call(server.base + "/check", b"text=x")
    assert status in (403, 503)  # a form post without its CSRF token may stop earlier; never a 500


# --- A broken model never stops the server ------------------------------------------------------


def test_a_corrupt_model_does_not_stop_gunicorn_checks_answer_503_and_the_log_says_why(env, own_model):
    own_model.write_bytes(b"not a model at all")
    with gunicorn_server(env, workers=1) as server:
        assert_serving_without_a_model(server)
        log = server.log()
    assert "cannot be read" in log and "manage.py train" in log


def test_a_stale_model_and_a_killed_or_reloaded_worker_leave_the_master_serving(env, own_model):
    with gunicorn_server(env, workers=1) as server:
        assert call(server.base + "/readyz")[0] == 200
        assert api_check(server.base)[0] == 200

        make_stale(own_model)
        # The loaded worker still answers checks, but is no longer ready: a restart would lose its model.
        assert call(server.base + "/readyz")[0] == 503
        old = set(server.worker_pids())
        for pid in old:
            os.kill(pid, signal.SIGKILL)
        wait_for_new_workers(server, old, 1)
        time.sleep(1)  # gunicorn's master halts just after a worker that failed to boot exits
        assert_serving_without_a_model(server)
        assert "stale" in server.log()

        # Missing altogether, and every worker reloaded (SIGHUP) rather than killed.
        own_model.unlink()
        old = set(server.worker_pids())
        server.proc.send_signal(signal.SIGHUP)
        wait_for_new_workers(server, old, 1)
        time.sleep(1)
        assert_serving_without_a_model(server)
        assert "no model at" in server.log()


# --- Slow clients -----------------------------------------------------------------------------------


REQUEST_HEAD = b"POST /api/v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"


def slow_client(base: str, stop: threading.Event, mode: str, closed_after: list[float]) -> None:
    """``trickle``: the request head one byte every 0.2 s; ``no_body``: the whole head, then no body."""
    host, port = base.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        try:
            if mode == "no_body":
                sock.sendall(REQUEST_HEAD + b"Content-Length: 1000\r\n\r\n{")
                sock.settimeout(0.2)
                while not stop.is_set():
                    try:
                        if sock.recv(1024) == b"":
                            break  # the server closed it
                    except TimeoutError:
                        continue
                    else:
                        break  # the server answered (and will close)
            else:
                head = REQUEST_HEAD * 50  # never ends within the test
                for byte in head:
                    if stop.is_set():
                        return
                    sock.sendall(bytes([byte]))
                    time.sleep(0.2)
        except OSError:
            pass  # the server cut it off
        else:
            if stop.is_set():
                return
        closed_after.append(time.monotonic() - started)


def test_four_slow_clients_do_not_hold_up_ten_checks(env):
    stop = threading.Event()
    cut: list[float] = []
    with gunicorn_server(env, workers=2) as server:
        slow = [
            threading.Thread(target=slow_client, args=(server.base, stop, mode, cut))
            for mode in ("trickle", "trickle", "no_body", "no_body")
        ]
        for thread in slow:
            thread.start()
        time.sleep(1)  # the slow clients are connected and sending
        try:
            took = []
            for _ in range(10):
                started = time.monotonic()
                status, _ = api_check(server.base, timeout=10)
                took.append(time.monotonic() - started)
                assert status == 200
        finally:
            stop.set()
            for thread in slow:
                thread.join()
    # Each within a few seconds on a busy machine; they take milliseconds when it is idle.
    assert max(took) < 3, took
    assert sum(took) < 8, took


def test_a_client_still_sending_after_the_read_deadline_is_cut_off(env):
    stop = threading.Event()
    cut: list[float] = []
    with gunicorn_server(env | {"GUNICORN_READ_TIMEOUT": "2"}, workers=1) as server:
        slow = [
            threading.Thread(target=slow_client, args=(server.base, stop, mode, cut)) for mode in ("trickle", "no_body")
        ]
        for thread in slow:
            thread.start()
        for thread in slow:
            thread.join(timeout=15)
        stop.set()
        log = server.log()
    assert len(cut) == 2, (cut, log[-2000:])
    assert all(2 <= t < 8 for t in cut), cut
    assert "still sending its request" in log
    assert "Traceback" not in log, log[-3000:]
