"""A frozen PostgreSQL cannot hold a request (checker/db/postgresql/base.py).

"Frozen" is played by a TCP relay between the app and the machine's PostgreSQL that stops passing
bytes but keeps every connection open, as a stopped (SIGSTOP) server or a hung host does; the real
server stays untouched for the other tests. The server's statement_timeout never fires then; the
client-side deadline must.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from tests.test_multi_server import admin_sql, services_or_skip

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from serve import gunicorn, migrate, server_env  # noqa: E402

pytestmark = pytest.mark.slow
DB_NAME = "checker_db_deadline"


class FreezableRelay:
    """127.0.0.1:<port> → 127.0.0.1:5432; ``frozen`` stops the bytes, never the connections."""

    def __init__(self) -> None:
        self.frozen = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", 5432))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                while self.frozen.is_set():
                    time.sleep(0.05)
                target.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.listener.close()


@pytest.fixture(autouse=True)
def own_connections(django_db_blocker):
    # These tests open their own connections through the relay, not the test database's.
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def relay():
    services_or_skip()
    relay = FreezableRelay()
    yield relay
    relay.frozen.clear()
    relay.close()


def through(relay: FreezableRelay):
    return ConnectionHandler(
        {
            "default": {
                "ENGINE": "checker.db.postgresql",
                "NAME": "postgres",
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": relay.port,
                "OPTIONS": {"connect_timeout": 3, "options": "-c statement_timeout=1000"},
            }
        }
    )["default"]


def test_a_query_to_a_frozen_server_fails_within_its_deadline(relay, settings):
    settings.DATABASE_STATEMENT_TIMEOUT = 1  # the deadline: 1 s + the margin
    connection = through(relay)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        relay.frozen.set()
        started = time.monotonic()
        with pytest.raises(OperationalError), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        elapsed = time.monotonic() - started
        assert 1.0 <= elapsed < 3.5, elapsed
        # The health check Django runs before reusing a connection is bounded the same way.
        started = time.monotonic()
        assert connection.is_usable() is False
        assert time.monotonic() - started < 3.5
    finally:
        relay.frozen.clear()
        connection.close()


def test_a_slow_query_the_server_can_still_cancel_is_cancelled_by_the_server(relay, settings):
    # The deadline leaves the server's own statement_timeout room to act first.
    settings.DATABASE_STATEMENT_TIMEOUT = 1
    connection = through(relay)
    try:
        with pytest.raises(OperationalError, match="statement timeout"), connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(5)")
    finally:
        connection.close()


def get(url: str, timeout: float = 20) -> tuple[int, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - loopback
            status = r.status
    except urllib.error.HTTPError as err:
        status = err.code
    return status, time.monotonic() - started


def test_a_server_with_a_frozen_database_answers_503_quickly_and_recovers(relay):
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)", f"CREATE DATABASE {DB_NAME}")
    env = server_env(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{relay.port}/{DB_NAME}",
        DATABASE_STATEMENT_TIMEOUT="1",
        GUNICORN_THREADS="4",
    )
    migrate(env)
    try:
        with gunicorn(env, workers=1) as base:
            body = json.dumps({"text": "有人高价收购银行卡和电话卡，一套给两千", "save": True}).encode()
            request = urllib.request.Request(base + "/api/v1/check", body, {"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=20) as r:  # noqa: S310 - loopback
                share = json.load(r)["url"]
            assert get(share)[0] == 200

            relay.frozen.set()
            # More requests than the worker has threads: none may wait for the frozen server for long.
            answers: list[tuple[int, float]] = []
            threads = [threading.Thread(target=lambda: answers.append(get(share))) for _ in range(6)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
            assert len(answers) == 6
            assert all(status == 503 for status, _ in answers), answers
            assert max(seconds for _, seconds in answers) < 12, answers
            assert get(base + "/healthz")[0] == 200

            relay.frozen.clear()
            deadline = time.monotonic() + 15
            while get(share)[0] != 200:
                assert time.monotonic() < deadline, "the server did not recover once the database answered"
                time.sleep(0.5)
    finally:
        relay.frozen.clear()
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
