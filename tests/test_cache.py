"""Redis down or frozen: rate limits fail open with a logged warning, never a 500 or a long stall.

Against real Redis servers this test starts itself (never the machine's shared one on :6379).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
TEXT = "有人高价收购银行卡，一张给两千"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own, on a free port; yields (process, url)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("CI must provide redis-server")
        pytest.skip("redis-server is not installed here")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    import redis

    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url, socket_connect_timeout=0.2).ping()
            break
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    try:
        yield proc, url
    finally:
        os.kill(proc.pid, signal.SIGCONT)
        proc.terminate()
        proc.wait(timeout=10)


def use_cache(settings, url: str, rate: str = "3/m") -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "checker.cache.FailSoftRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.RATELIMIT_CHECKS = rate


def check_everywhere(client) -> list[int]:
    return [
        client.post("/api/v1/check", {"text": TEXT}, content_type="application/json").status_code,
        client.post("/check", {"text": TEXT}).status_code,
        client.post("/widget/check", {"text": TEXT}).status_code,
    ]


def test_with_redis_up_the_limit_holds(client, settings, own_redis):
    use_cache(settings, own_redis[1])
    statuses = [client.post("/api/v1/check", {"text": TEXT}, content_type="application/json").status_code]
    statuses += [
        client.post("/api/v1/check", {"text": TEXT}, content_type="application/json").status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_with_redis_down_checks_go_on_and_a_warning_is_logged(client, settings, caplog):
    use_cache(settings, f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="checker.cache"):
        for _ in range(5):  # beyond the 3/m limit: the limit is lifted, not enforced
            assert check_everywhere(client) == [200, 302, 200]
    assert "cache unavailable" in caplog.text


def test_a_frozen_redis_costs_at_most_a_timeout_then_nothing(client, settings, own_redis, caplog):
    proc, url = own_redis
    use_cache(settings, url)
    assert check_everywhere(client) == [200, 302, 200]
    os.kill(proc.pid, signal.SIGSTOP)
    with caplog.at_level(logging.WARNING, logger="checker.cache"):
        started = time.monotonic()
        first = check_everywhere(client)
        first_took = time.monotonic() - started
        started = time.monotonic()
        later = [check_everywhere(client) for _ in range(3)]
        later_took = time.monotonic() - started
    assert first == [200, 302, 200]
    assert later == [[200, 302, 200]] * 3
    # One socket timeout (0.2 s) then Redis is left alone for a few seconds; generous for a busy machine.
    assert first_took < 2.0, first_took
    assert later_took < 2.0, later_took
    assert "cache unavailable (TimeoutError" in caplog.text


def test_redis_timeouts_in_the_settings_are_at_most_a_fifth_of_a_second():
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/0", "DJANGO_DEBUG": "1"}
    code = "import json, checker.settings as s; print(json.dumps(s.CACHES['default']))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    cache = json.loads(out.stdout)
    assert cache["BACKEND"] == "checker.cache.FailSoftRedisCache"
    assert 0 < cache["OPTIONS"]["socket_connect_timeout"] <= 0.2
    assert 0 < cache["OPTIONS"]["socket_timeout"] <= 0.2


# --- Without Redis: one machine's workers share a file cache -------------------------------------


def test_without_redis_the_default_cache_is_a_directory_every_worker_shares():
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"} | {"DJANGO_DEBUG": "1"}
    code = "import json, checker.settings as s; print(json.dumps(s.CACHES['default']))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["BACKEND"] == "checker.cache.FailSoftFileCache"


@pytest.mark.slow
def test_without_redis_a_clients_limit_holds_whichever_worker_answers(tmp_path):
    """Two gunicorns of one worker each, as two workers of one: same SQLite, same cache directory."""
    import urllib.error
    import urllib.request

    sys.path.insert(0, str(ROOT / "scripts"))
    from serve import gunicorn, migrate, server_env

    env = server_env(
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        CHECKER_CACHE_DIR=str(tmp_path / "cache"),
        RATELIMIT_CHECKS="5/m",
    )
    migrate(env)

    def post(base: str) -> int:
        body = json.dumps({"text": TEXT, "save": False}).encode()
        request = urllib.request.Request(base + "/api/v1/check", body, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=20) as r:  # noqa: S310 - loopback
                return r.status
        except urllib.error.HTTPError as err:
            return err.code

    with gunicorn(env, workers=1) as a, gunicorn(env, workers=1) as b:
        statuses = [post((a, b)[k % 2]) for k in range(8)]
    # 5 per minute for this client in all: the 6th is refused whichever process gets it.
    assert statuses == [200] * 5 + [429] * 3


def test_a_broken_cache_directory_lifts_the_limit_with_a_warning(client, settings, tmp_path, caplog):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")  # the cache cannot create its directory here
    settings.CACHES = {"default": {"BACKEND": "checker.cache.FailSoftFileCache", "LOCATION": str(blocker / "cache")}}
    settings.RATELIMIT_CHECKS = "2/m"
    with caplog.at_level(logging.WARNING, logger="checker.cache"):
        statuses = [
            client.post("/api/v1/check", {"text": TEXT}, content_type="application/json").status_code for _ in range(4)
        ]
    assert statuses == [200] * 4
    assert "cache unavailable" in caplog.text


def test_the_file_cache_sweeps_only_expired_counters(tmp_path):
    from checker.cache import FailSoftFileCache

    cache = FailSoftFileCache(str(tmp_path), {})
    cache.set("live", 1, 60)
    cache.set("gone", 1, 60)
    path = cache._key_to_file("gone")
    cache.set("gone", 1, -1)  # expired at once
    assert os.path.exists(path)
    cache._swept_at -= cache.SWEEP_SECONDS
    cache.set("another", 1, 60)  # a write sweeps, at most once a minute
    assert not os.path.exists(path)
    assert cache.get("live") == 1 and cache.get("another") == 1
