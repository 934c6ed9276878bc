"""Readiness (`GET /readyz`, checker/health.py): 200 only with a current model and a database that answers."""

from __future__ import annotations

import json
import threading
import time

import pytest
from django.db import OperationalError

from checker import health
from checker.analysis import engine


@pytest.fixture
def fresh_engine():
    engine.reset_engine()
    yield
    engine.reset_engine()


@pytest.mark.django_db
def test_readyz_answers_ok_with_a_model_and_a_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_without_a_model_readyz_is_503_and_says_so_in_a_fixed_sentence(client, settings, tmp_path, fresh_engine):
    settings.CHECKER_MODEL_PATH = tmp_path / "missing.npz"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["problems"] == {"model": health.MODEL_REASON}
    assert str(tmp_path) not in response.content.decode()  # no path of the server's
    assert client.get("/healthz").status_code == 200  # still alive


@pytest.mark.django_db
def test_a_model_gone_stale_on_disk_makes_a_serving_process_unready(client, settings, tmp_path, fresh_engine):
    import shutil

    from checker.analysis import model

    path = tmp_path / "engine.npz"
    shutil.copy(settings.CHECKER_MODEL_PATH, path)
    settings.CHECKER_MODEL_PATH = path
    assert client.get("/readyz").status_code == 200
    payload = model.read_meta(path)
    meta = json.loads(payload["meta"])
    meta["content_hash"] = "0" * 64
    model.save(payload | {"meta": json.dumps(meta)}, path)
    # The loaded engine still answers checks; a worker restarted now would not.
    assert client.post("/api/v1/check", {"text": "有人收购银行卡"}, content_type="application/json").status_code == 200
    assert client.get("/readyz").json()["problems"] == {"model": health.MODEL_REASON}


@pytest.mark.django_db
def test_with_the_database_unreachable_readyz_is_503(client, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 10.1.2.3, port 5432 failed: password authentication failed")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["problems"] == {"database": health.DATABASE_REASON}
    assert "10.1.2.3" not in response.content.decode() + caplog.text


@pytest.mark.django_db
def test_a_frozen_database_costs_readyz_its_short_wait_and_one_thread_at_most(client, monkeypatch):
    release = threading.Event()
    calls = []

    def hang(*args, **kwargs):
        calls.append(1)
        release.wait(10)  # a frozen PostgreSQL: the query is accepted and never answered
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", hang)
    monkeypatch.setattr(health, "DATABASE_WAIT", 0.5)
    try:
        started = time.monotonic()
        first = client.get("/readyz")
        took = time.monotonic() - started
        again = [client.get("/readyz") for _ in range(3)]
        again_took = time.monotonic() - started - took
    finally:
        release.set()
    assert first.status_code == 503 and first.json()["problems"] == {"database": health.DATABASE_SLOW_REASON}
    assert 0.5 <= took < 3, took
    # While the first probe still waits, later ones answer at once and start no new probe.
    assert [r.status_code for r in again] == [503] * 3
    assert again_took < 1, again_took
    assert len(calls) == 1
