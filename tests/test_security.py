"""Security properties across every route: framing, CSP, public URLs, the admin's path, the logs."""

import logging
import re

import pytest
from django.urls import URLPattern, get_resolver

from checker.analysis import assess
from checker.results import save_result

pytestmark = pytest.mark.django_db

WIDGET_ROUTES = {"widget", "widget_check", "widget_delete_result"}


def named_routes():
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLPattern) and entry.name:
            yield entry


@pytest.fixture
def saved_token():
    result, _ = save_result("有人收购银行卡", assess("有人收购银行卡"))
    return result.token


def sample_path(route: URLPattern, token: str) -> str:
    path = "/" + str(route.pattern)
    return path.replace("<slug:token>", token).replace("<slug:pattern_id>", "gift-qr-lure")


def test_every_route_except_the_widget_refuses_to_be_framed(client, saved_token):
    checked = 0
    for route in named_routes():
        response = client.get(sample_path(route, saved_token))
        csp = response.get("Content-Security-Policy", "")
        if route.name in WIDGET_ROUTES:
            continue
        assert response.get("X-Frame-Options") == "DENY", route.name
        if csp:
            assert "frame-ancestors 'none'" in csp, route.name
        checked += 1
    assert checked >= 10


def test_the_widget_may_be_framed_only_by_the_configured_ancestors(client):
    response = client.get("/widget/")
    assert "X-Frame-Options" not in response
    assert "frame-ancestors https: http://localhost:* http://127.0.0.1:*" in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/patterns/", "/laws/", "/report/", "/embed/", "/widget/"])
def test_csp_forbids_inline_script_and_pages_use_none(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
        assert "src=" in tag, f"inline script on {path}: {tag}"
    assert not re.search(r"\son[a-z]+=", response.content.decode()), f"inline event handler on {path}"


def test_public_result_urls_carry_no_sequential_ids(client):
    first, _ = save_result("a", assess("有人收购银行卡"))
    second, _ = save_result("b", assess("有人收购银行卡"))
    for result in (first, second):
        url = result.get_absolute_url()
        assert str(result.pk) not in url.split("/")
        assert len(result.token) >= 22  # 128 bits in URL-safe base64
    assert first.token != second.token


def test_the_admin_lives_at_the_configured_path_only(client, settings):
    assert settings.ADMIN_PATH == "staff-admin/"
    assert client.get("/admin/").status_code == 404
    assert client.get("/staff-admin/").status_code == 302  # to its login page


def test_a_bad_admin_path_setting_is_refused():
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "1", "DJANGO_ADMIN_PATH": "/admin"}
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='checker.settings'; django.setup()",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0 and "DJANGO_ADMIN_PATH" in proc.stderr


def test_logs_never_contain_submitted_text_or_personal_numbers(client, caplog):
    id_number = "11010519491231002X"
    phone = "13912345678"
    text = f"有人让我发身份证号{id_number}和手机号{phone}给他，说是兼职注册APP给50元"
    with caplog.at_level(logging.DEBUG):
        client.post("/check", {"text": text})
        client.post("/api/v1/check", {"text": text, "save": True}, content_type="application/json")
        client.post("/widget/check", {"text": text})
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert id_number not in logged
    assert phone not in logged
    assert "兼职注册" not in logged


# --- The admin login is throttled (django-axes) ----------------------------------------------------


@pytest.fixture
def boss(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.com", "the-right-password-42")


def admin_login(client, settings, username: str, password: str, **headers) -> int:
    return client.post(
        f"/{settings.ADMIN_PATH}login/", {"username": username, "password": password}, **headers
    ).status_code


def test_five_wrong_admin_passwords_lock_that_login_out_and_checks_go_on(client, settings, boss):
    import time

    statuses = [admin_login(client, settings, "boss", f"wrong-{k}") for k in range(6)]
    assert statuses == [200] * 4 + [429] * 2  # the form again, then locked out at the fifth failure
    response = client.post(f"/{settings.ADMIN_PATH}login/", {"username": "boss", "password": "the-right-password-42"})
    assert response.status_code == 429  # even the right password, for 15 minutes
    assert "锁定 15 分钟" in response.content.decode()
    # Per username and address: the same address may still try another name.
    assert admin_login(client, settings, "someone-else", "x") == 200
    started = time.monotonic()
    check = client.post("/api/v1/check", {"text": "有人收购银行卡"}, content_type="application/json")
    assert check.status_code == 200
    assert time.monotonic() - started < 1.0


def test_behind_the_proxy_the_admin_lockout_is_per_client_address(client, settings, boss):
    settings.AXES_CLIENT_IP_CALLABLE = "checker.client_ip.client_ip"
    attacker = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"}
    for k in range(5):
        admin_login(client, settings, "boss", f"wrong-{k}", **attacker)
    assert admin_login(client, settings, "boss", "wrong", **attacker) == 429
    # The real admin, from another address through the same balancer, still logs in.
    assert admin_login(client, settings, "boss", "the-right-password-42", HTTP_X_FORWARDED_FOR="198.51.100.7") == 302


def test_axes_records_nothing_about_visitors_and_no_successful_login(client, settings, boss):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    text = "有人收购银行卡"
    client.post("/api/v1/check", {"text": text, "save": True}, content_type="application/json")
    client.post("/check", {"text": text})
    client.post("/widget/check", {"text": text})
    client.get("/")
    assert admin_login(client, settings, "boss", "the-right-password-42") == 302
    assert AccessAttempt.objects.count() == 0
    assert AccessLog.objects.count() == 0
    assert AccessFailureLog.objects.count() == 0
