"""Only the widget may be framed: per-route X-Frame-Options and CSP frame-ancestors."""

import pytest
from django.core.cache import cache

from checker.models import Result
from tests.samples import HIGH

pytestmark = pytest.mark.django_db


def frame_ancestors(response) -> list[str]:
    for directive in response["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        if name == "frame-ancestors":
            return values
    raise AssertionError("no frame-ancestors directive")


def assert_frameable_by_partners(response):
    assert "X-Frame-Options" not in response
    assert frame_ancestors(response) == ["https:", "http://localhost:*", "http://127.0.0.1:*", "'self'"]


def assert_never_framed(response):
    assert response["X-Frame-Options"] == "DENY"
    assert frame_ancestors(response) == ["'none'"]


def test_the_widget_form_may_be_framed_by_https_pages_and_localhost(client):
    assert_frameable_by_partners(client.get("/widget/"))


def test_every_widget_answer_may_be_framed_a_result_an_error_and_a_rate_limit(client, settings):
    settings.RATELIMIT_CHECKS = "1/m"
    ok = client.post("/widget/check", {"text": HIGH})
    limited = client.post("/widget/check", {"text": HIGH})
    assert (ok.status_code, limited.status_code) == (200, 429)
    cache.clear()
    bad = client.post("/widget/check", {"text": ""})
    assert bad.status_code == 400
    gone = client.post("/widget/r/" + "x" * 32 + "/delete", {"key": "k"})
    for response in (ok, limited, bad, gone):
        assert_frameable_by_partners(response)


def test_the_widget_follows_the_configured_frame_ancestors(client, settings):
    settings.WIDGET_FRAME_ANCESTORS = ["https://police.example.cn", "https://*.gov.cn"]
    response = client.get("/widget/")
    assert frame_ancestors(response) == ["https://police.example.cn", "https://*.gov.cn", "'self'"]
    assert "X-Frame-Options" not in response


@pytest.mark.parametrize(
    "url", ["/", "/embed/", "/patterns/", "/laws/", "/report/", "/healthz", "/api/v1/openapi.json", "/no-such-page"]
)
def test_every_other_page_refuses_to_be_framed(client, url):
    assert_never_framed(client.get(url))


def test_the_share_page_a_widget_result_links_to_refuses_to_be_framed(client):
    client.post("/widget/check", {"text": HIGH})
    assert_never_framed(client.get(Result.objects.get().get_absolute_url()))


def test_the_main_check_and_the_api_refuse_to_be_framed(client):
    assert_never_framed(client.post("/check", {"text": HIGH}))
    assert_never_framed(client.post("/api/v1/check", {"text": HIGH}, content_type="application/json"))
