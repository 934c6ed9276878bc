"""Faults: the verdict survives a database outage; a broken model is refused at start-up."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("checker.models.Result.objects.create", refuse)


@pytest.mark.django_db
def test_a_check_still_returns_its_verdict_when_the_database_is_down(client, database_down, caplog):
    text = "有人高价收购银行卡，一张给两千，身份证号110101199003071234"
    response = client.post("/check", {"text": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "高风险" in html
    assert "没能保存" in html
    assert "/r/" not in html  # no share link to a result that does not exist
    assert "110101199003071234" not in caplog.text


@pytest.mark.django_db
def test_the_htmx_check_also_survives_the_database_being_down(client, database_down):
    response = client.post("/check", {"text": "陌生人让我把验证码报给他"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "没能保存" in response.content.decode()


def gunicorn_boot(model_path: Path) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "CHECKER_MODEL_PATH": str(model_path),
    }
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", "checker.wsgi", "-c", "gunicorn.conf.py", "--bind", "127.0.0.1:0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_corrupt_model_stops_gunicorn_at_start_up_with_a_clear_message(tmp_path):
    bad = tmp_path / "engine.npz"
    bad.write_bytes(b"not a model at all")
    proc = gunicorn_boot(bad)
    assert proc.returncode != 0
    assert "cannot be read" in proc.stderr and "manage.py train" in proc.stderr


def test_a_stale_model_stops_gunicorn_at_start_up_with_a_clear_message(tmp_path):
    import json

    from checker.analysis import model

    payload = model.read_meta(Path(__import__("django.conf").conf.settings.CHECKER_MODEL_PATH))
    meta = json.loads(payload["meta"])
    meta["content_hash"] = "0" * 64
    model.save(payload | {"meta": json.dumps(meta)}, tmp_path / "engine.npz")
    proc = gunicorn_boot(tmp_path / "engine.npz")
    assert proc.returncode != 0
    assert "stale" in proc.stderr
