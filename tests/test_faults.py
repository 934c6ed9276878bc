"""Faults: the verdict survives a database outage. (A broken model at start-up: tests/test_gunicorn.py.)"""

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


# --- The database down: share pages, feedback and delete answer 503, never 500 -----------------

DB_ROUTES = [
    ("get", "/r/{token}"),
    ("post", "/r/{token}/feedback"),
    ("post", "/r/{token}/delete"),
    ("post", "/widget/r/{token}/delete"),
]


@pytest.fixture
def saved_token():
    from checker.analysis import assess
    from checker.results import save_result

    result, _ = save_result("有人收购银行卡", assess("有人收购银行卡"))
    return result.token


@pytest.fixture
def database_unreachable(monkeypatch):
    """Every query fails as it does when PostgreSQL is stopped or the network to it is gone."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", refuse)
    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.executemany", refuse)


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "route"), DB_ROUTES)
def test_with_the_database_unreachable_result_routes_answer_a_kind_503(
    client, saved_token, database_unreachable, caplog, method, route
):
    path = route.format(token=saved_token)
    response = getattr(client, method)(path, {"key": "x", "comment": "不对"} if method == "post" else None)
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "暂时打不开" in response.content.decode()
    assert saved_token not in caplog.text  # the route is logged, not the token


def test_postgresql_gets_connect_and_statement_timeouts():
    env = {**__import__("os").environ, "DATABASE_URL": "postgres://u@db:5432/x", "DJANGO_DEBUG": "1"}
    code = "import json, checker.settings as s; print(json.dumps(s.DATABASES['default']['OPTIONS']))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    options = __import__("json").loads(out.stdout)
    assert 0 < options["connect_timeout"] <= 5
    assert "statement_timeout=5000" in options["options"]


@pytest.mark.slow
def test_a_server_whose_postgresql_is_stopped_answers_503_not_500(tmp_path, settings):
    """A real gunicorn pointed at a PostgreSQL port where nothing listens (a stopped server)."""
    import re
    import urllib.error
    import urllib.request

    sys.path.insert(0, str(ROOT / "scripts"))
    from serve import free_port, gunicorn, server_env

    env = server_env(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/gone",
        CHECKER_MODEL_PATH=str(settings.CHECKER_MODEL_PATH),
    )
    cookies = {}

    def call(url, data=None):
        request = urllib.request.Request(url, data, {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
        try:
            with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310 - loopback
                for header in r.headers.get_all("Set-Cookie") or []:
                    name, value = header.split(";", 1)[0].split("=", 1)
                    cookies[name] = value  # the CSRF cookie is marked Secure; this is plain loopback HTTP
                return r.status, r.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    token = "A" * 32
    with gunicorn(env, workers=1) as base:
        status, home = call(base + "/")
        assert status == 200
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home).group(1)
        form = f"csrfmiddlewaretoken={csrf}&key=x&comment=x".encode()
        answers = {
            "share page": call(f"{base}/r/{token}"),
            "feedback": call(f"{base}/r/{token}/feedback", form),
            "delete": call(f"{base}/r/{token}/delete", form),
            "widget delete": call(f"{base}/widget/r/{token}/delete", b"key=x"),
        }
        check = call(base + "/api/v1/check", '{"text": "有人收购银行卡", "save": true}'.encode())
    for name, (status, body) in answers.items():
        assert status == 503, (name, status, body[:300])
        assert "暂时打不开" in body, name
    assert check[0] == 200 and '"saved": false' in check[1]
