"""The embeddable widget: a check inside the frame without cookies, its options, the origin it talks to."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DatabaseError
from django.test import Client

from checker.models import Result
from checker.ratelimits import describe_rate
from checker.widget import WidgetOptions, clean_org, origin_allowed, parse_origin, widget_options
from tests.samples import HIGH, LOW, MOBILE

pytestmark = pytest.mark.django_db

DEFAULT_SOURCES = ["https:", "http://localhost:*", "http://127.0.0.1:*", "'self'"]


@pytest.fixture
def strict_client():
    # Enforces CSRF like a real browser would, and starts with no cookies (a third-party frame).
    return Client(enforce_csrf_checks=True)


def widget_check(client, text, **fields):
    return client.post("/widget/check", {"text": text, **fields})


# --- The form and the check ----------------------------------------------------------------------


def test_the_widget_form_needs_no_csrf_cookie_and_sets_none(strict_client):
    page = strict_client.get("/widget/")
    assert page.status_code == 200
    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert not page.cookies
    response = widget_check(strict_client, HIGH)
    assert response.status_code == 200
    assert not response.cookies


def test_a_check_shows_the_verdict_inside_the_frame(client):
    html = widget_check(client, HIGH).content.decode()
    assert "verdict--high" in html
    assert "手持证件照采集" in html
    assert 'action="/widget/check"' in html  # the form is there again for the next check


def test_each_result_links_to_its_saved_share_page_in_a_new_tab(client):
    html = widget_check(client, HIGH).content.decode()
    result = Result.objects.get()
    link = re.search(r'<a class="button widget-open" href="([^"]+)" target="_blank" rel="noopener">', html)
    assert link, html
    assert link.group(1) == f"http://testserver/r/{result.token}"
    assert client.get(f"/r/{result.token}").status_code == 200


def test_numbers_are_redacted_before_anything_is_stored_or_shown(client):
    html = widget_check(client, f"{HIGH} 手机{MOBILE}").content.decode()
    assert MOBILE not in html
    assert MOBILE not in Result.objects.get().redacted_text
    assert "手机号 1 个" in html


def test_compact_mode_is_short_and_full_mode_uses_the_sites_result_partial(client):
    compact = widget_check(client, HIGH).content.decode()
    full = widget_check(client, HIGH, mode="full").content.decode()
    assert "verdict--compact" in compact and 'class="law-line' not in compact
    assert 'class="law-line' in full and '<mark class="ev">' in full
    # The main site's forms need its CSRF cookie: none of them appear in the frame.
    for html in (compact, full):
        assert "csrfmiddlewaretoken" not in html
        assert "/feedback" not in html


def test_an_empty_text_is_answered_in_the_frame_with_the_message(client):
    response = widget_check(client, "   ")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and 'aria-invalid="true"' in html


def test_a_too_long_text_keeps_what_was_written(client, settings):
    settings.CHECKER_MAX_CHARS = 100
    response = widget_check(client, "兼" * 101)
    assert response.status_code == 400
    assert "兼" * 101 in response.content.decode()


def test_the_widget_is_rate_limited_per_client_with_retry_after(client, settings):
    settings.RATELIMIT_CHECKS = "2/m"
    assert widget_check(client, LOW).status_code == 200
    assert widget_check(client, LOW).status_code == 200
    response = widget_check(client, LOW)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "提交太频繁了" in response.content.decode()
    assert Result.objects.count() == 2


def test_with_the_database_down_the_verdict_still_shows_without_a_link(client, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr("checker.results.save_result", broken)
    response = widget_check(client, HIGH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "verdict--high" in html
    assert "widget-open" not in html and "没能保存结果" in html


# --- Delete from the frame -----------------------------------------------------------------------


def delete_form(html):
    action = re.search(r'action="(/widget/r/[^"]+/delete)"', html).group(1)
    key = re.search(r'name="key" value="([^"]+)"', html).group(1)
    return action, key


def test_the_one_time_delete_works_inside_the_frame_without_cookies(strict_client):
    action, key = delete_form(widget_check(strict_client, HIGH).content.decode())
    response = strict_client.post(action, {"key": key})
    assert response.status_code == 200
    assert "已经删除" in response.content.decode()
    assert Result.objects.count() == 0


def test_a_wrong_delete_key_deletes_nothing(client):
    action, _key = delete_form(widget_check(client, HIGH).content.decode())
    assert client.post(action, {"key": "wrong"}).status_code == 403
    assert Result.objects.count() == 1


def test_deleting_an_unknown_result_says_it_is_gone(client):
    response = client.post("/widget/r/" + "x" * 32 + "/delete", {"key": "k"})
    assert response.status_code == 404
    assert "已经删除或过期" in response.content.decode()


# --- Options -------------------------------------------------------------------------------------


def test_the_options_are_shown_and_carried_through_the_check(client):
    query = {"mode": "full", "accent": "#C00", "org": "某某派出所", "origin": "https://police.example.cn"}
    html = client.get("/widget/", query).content.decode()
    assert "由 某某派出所 提供" in html
    assert 'data-accent="#c00"' in html and 'data-accent-ink="#ffffff"' in html
    assert 'data-parent-origin="https://police.example.cn"' in html
    assert 'name="mode" value="full"' in html and 'name="org" value="某某派出所"' in html
    after = widget_check(client, HIGH, **query).content.decode()
    assert "由 某某派出所 提供" in after and "widget--full" in after
    assert 'data-parent-origin="https://police.example.cn"' in after


def test_bad_options_fall_back_to_their_defaults(client):
    query = {"mode": "evil", "accent": "red;background:url(x)", "org": "<script>x</script>" + "长" * 60}
    html = client.get("/widget/", query).content.decode()
    assert "widget--compact" in html
    assert "data-accent" not in html
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html
    assert "长" * 41 not in html


def test_an_origin_not_allowed_to_frame_the_widget_is_never_echoed(client, settings):
    settings.WIDGET_FRAME_ANCESTORS = ["https://police.example.cn"]
    html = client.get("/widget/", {"origin": "https://evil.example"}).content.decode()
    assert "evil.example" not in html
    assert "data-parent-origin" not in html
    allowed = client.get("/widget/", {"origin": "https://police.example.cn"}).content.decode()
    assert 'data-parent-origin="https://police.example.cn"' in allowed


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://police.example.cn", True),
        ("http://localhost:8000", True),
        ("http://localhost", True),
        ("http://127.0.0.1:5123", True),
        ("http://evil.example", False),
        ("http://localhost.evil.example:80", False),
        ("javascript:alert(1)", False),
        ("https://police.example.cn/path", False),
        ("https://user@police.example.cn", False),
        ("null", False),
        ("", False),
    ],
)
def test_origin_allowed_follows_the_default_frame_ancestors(origin, allowed):
    assert origin_allowed(origin, DEFAULT_SOURCES) is allowed


@pytest.mark.parametrize(
    ("origin", "sources", "allowed"),
    [
        ("https://a.police.example.cn", ["https://*.police.example.cn"], True),
        ("https://police.example.cn", ["https://*.police.example.cn"], False),
        ("https://evilpolice.example.cn", ["https://*.police.example.cn"], False),
        ("https://police.example.cn:8443", ["https://police.example.cn"], False),
        ("https://police.example.cn:8443", ["https://police.example.cn:8443"], True),
        ("https://police.example.cn", ["http://police.example.cn"], True),  # CSP lets http upgrade to https
        ("http://police.example.cn", ["https://police.example.cn"], False),
        ("https://police.example.cn", ["police.example.cn"], True),
        ("https://anything.example", ["'none'"], False),
        ("http://testserver", ["'self'"], False),
    ],
)
def test_origin_allowed_reads_csp_host_sources(origin, sources, allowed):
    assert origin_allowed(origin, sources, own_origin="https://checker.example") is allowed


def test_self_is_the_sites_own_origin():
    assert origin_allowed("https://checker.example", ["'self'"], own_origin="https://checker.example")


def test_parse_origin_normalises_case_and_default_ports():
    assert parse_origin("HTTPS://Police.Example.CN:443") == "https://police.example.cn"
    assert parse_origin("http://[::1]:8000") == "http://[::1]:8000"
    assert parse_origin("ftp://example.org") is None


def test_org_names_lose_control_characters_and_extra_space():
    assert clean_org("  某某\n派出所\u200b ") == "某某 派出所"


def test_a_light_accent_gets_dark_text_and_a_dark_accent_light_text():
    assert WidgetOptions(accent="#ffeb3b").accent_ink == "#000000"
    assert WidgetOptions(accent="#0b5cad").accent_ink == "#ffffff"


def test_widget_options_drop_the_defaults_from_the_hidden_fields():
    options = widget_options({"mode": "compact"}, sources=DEFAULT_SOURCES, own_origin="")
    assert options.as_params() == {}


# --- The partner page ----------------------------------------------------------------------------


def test_the_embed_page_has_the_snippet_the_options_a_preview_and_the_privacy_promise(client):
    html = client.get("/embed/").content.decode()
    assert "&lt;script src=&quot;http://testserver/embed.js&quot; data-mode=&quot;compact&quot;" in html
    for option in ("data-mode", "data-accent", "data-org"):
        assert option in html
    assert '<script src="/embed.js" data-mode="compact" async></script>' in html
    assert "隐私承诺" in html and "不用 Cookie" in html


def test_the_snippet_points_at_a_stable_script_address_without_a_hash(client):
    html = client.get("/embed/").content.decode()
    src = re.search(r"&lt;script src=&quot;([^&]+)&quot;", html).group(1)
    assert src == "http://testserver/embed.js"
    assert "/static/" not in src


def test_the_stable_script_address_sends_the_browser_to_the_current_embed_js(client):
    response = client.get("/embed.js")
    assert response.status_code == 302
    assert response["Location"] == "/static/js/embed.js"
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    script = client.get(response["Location"])
    assert script.status_code == 200
    assert "javascript" in script["Content-Type"]
    assert b"fangpian-widget-frame" in b"".join(script.streaming_content)


def test_after_a_release_the_snippet_stays_and_the_script_address_follows_the_new_hash(client, settings, tmp_path):
    # What collectstatic leaves behind in production: hashed names in a manifest.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    names = [name for finder in finders.get_finders() for name, _storage in finder.list([])]
    for release in ("0123456789ab", "ba9876543210"):
        paths = {name: re.sub(r"(\.\w+)$", rf".{release}\1", name) for name in names}
        manifest = {"version": "1.1", "paths": paths, "hash": release}
        (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
        # Reread the manifest, as a restarted server would.
        staticfiles_storage.hashed_files, staticfiles_storage.manifest_hash = staticfiles_storage.load_manifest()
        assert client.get("/embed.js")["Location"] == f"/static/js/embed.{release}.js"
        assert "&lt;script src=&quot;http://testserver/embed.js&quot;" in client.get("/embed/").content.decode()


def test_the_embed_page_says_the_partner_page_needs_https_and_what_to_do_otherwise(client):
    html = client.get("/embed/").content.decode()
    assert "你的网页要用 HTTPS 打开" in html
    assert "开启 HTTPS" in html
    assert "&lt;a href=&quot;http://testserver/&quot;&gt;打开防骗体检&lt;/a&gt;" in html


def test_the_embed_page_gives_the_rate_limit_in_words(client, settings):
    settings.RATELIMIT_CHECKS = "100/h"
    html = client.get("/embed/").content.decode()
    assert "每小时 100 次" in html and "100/h" not in html


@pytest.mark.parametrize(
    ("rate", "words"),
    [
        ("30/m", "每分钟 30 次"),
        ("100/h", "每小时 100 次"),
        ("5/s", "每秒 5 次"),
        ("1000/d", "每天 1000 次"),
        ("10/5m", "每 5 分钟 10 次"),
        ("10/1m", "每分钟 10 次"),
        ("3/30s", "每 30 秒 3 次"),
    ],
)
def test_describe_rate_says_a_rate_in_words(rate, words):
    assert describe_rate(rate) == words


def test_describe_rate_refuses_what_is_not_a_rate():
    with pytest.raises(ValueError):
        describe_rate("thirty a minute")


def test_the_embed_page_snippet_follows_the_chosen_options_escaped(client):
    html = client.get("/embed/", {"mode": "full", "accent": "#c00", "org": '某"所'}).content.decode()
    # Escaped once for the attribute in the snippet, once more to show it as text.
    assert "data-org=&quot;某&amp;quot;所&quot;" in html
    assert 'data-mode="full" data-accent="#c00" data-org="某&quot;所"' in html
