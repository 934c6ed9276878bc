"""A form posted in another charset is a 400 with the site's own page on every POST route, never a 500."""

from urllib.parse import quote

import pytest
from django.test import Client

from checker.analysis import assess
from checker.results import save_result

pytestmark = pytest.mark.django_db

CHARSETS = ["gbk", "gb18030", "latin-1", "utf-16", "big5"]
ROUTES = ["/check", "/r/{token}/delete", "/r/{token}/feedback", "/widget/check", "/widget/r/{token}/delete"]


@pytest.fixture
def token():
    result, _ = save_result("有人收购银行卡", assess("有人收购银行卡"))
    return result.token


def body_in(charset: str) -> bytes:
    text = {"latin-1": "caf\xe9 bank card", "big5": "有人高價收購銀行卡"}.get(charset, "有人高价收购银行卡")
    if charset == "utf-16":
        return f"text={text}&comment={text}&key=x".encode("utf-16")
    return f"text={quote(text.encode(charset))}&comment=x&key=x".encode("ascii")


@pytest.mark.parametrize("enforce_csrf", [False, True], ids=["no-csrf-check", "csrf-checked"])
@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("charset", CHARSETS)
def test_a_form_in_another_charset_gets_the_sites_own_400_page(charset, route, enforce_csrf, token, settings):
    settings.RATELIMIT_CHECKS = "1000/m"
    client = Client(enforce_csrf_checks=enforce_csrf)
    # A CSRF cookie but the token in the (unreadable) form: the middleware must read the body.
    client.cookies["csrftoken"] = "x" * 32
    response = client.generic(
        "POST",
        route.format(token=token),
        body_in(charset),
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "没能读懂这次提交" in html and "防骗体检" in html


@pytest.mark.parametrize("charset", CHARSETS)
def test_the_admin_login_also_answers_400(charset, settings):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "x" * 32
    response = client.generic(
        "POST",
        "/" + settings.ADMIN_PATH + "login/",
        body_in(charset),
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 400


def test_a_utf8_charset_is_still_read_normally(settings):
    settings.RATELIMIT_CHECKS = "1000/m"
    response = Client().post(
        "/check",
        f"text={quote('有人高价收购银行卡')}".encode(),
        content_type="application/x-www-form-urlencoded; charset=utf-8",
    )
    assert response.status_code == 302


def test_an_unexpected_error_gets_the_sites_own_500_page(client, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("checker.views.pages.render", boom)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "出错了" in response.content.decode()
