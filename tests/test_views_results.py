"""The check form's target, the share page, delete and feedback, through the real engine."""

import re

import pytest
from django.utils.html import escape

from checker.models import Feedback, Result
from checker.privacy import PLACEHOLDER
from checker.views.results import DELETE_COOKIE
from tests.samples import HIGH, ID_NUMBER, LOW, MOBILE

pytestmark = pytest.mark.django_db


def post_check(client, text, **extra):
    return client.post("/check", {"text": text}, **extra)


def htmx(client, url, data):
    return client.post(url, data, HTTP_HX_REQUEST="true")


# --- Without JavaScript --------------------------------------------------------------------------


def test_without_javascript_the_form_redirects_to_the_share_page(client):
    response = post_check(client, HIGH)
    assert response.status_code == 302
    result = Result.objects.get()
    assert response["Location"] == f"/r/{result.token}"
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "高风险" in html
    assert '<mark class="ev">' in html


def test_the_verdict_shows_each_pattern_with_its_warning_advice_law_and_page(client):
    html = client.get(post_check(client, HIGH)["Location"]).content.decode()
    assert 'id="pattern-1"' in html
    assert 'href="#pattern-1"' in html  # the highlight points to its pattern
    assert "/patterns/id-photo-collection/" in html
    assert 'class="advice' in html
    assert 'class="law-line' in html  # the law is there, folded
    assert 'href="tel:110"' in html and 'href="tel:96110"' in html


def test_a_low_result_says_it_is_no_guarantee(client):
    html = client.get(post_check(client, LOW)["Location"]).content.decode()
    assert "verdict--low" in html
    assert "不等于保证安全" in html


def test_only_the_redacted_text_is_stored(client):
    post_check(client, f"{HIGH} 我的身份证{ID_NUMBER}，手机{MOBILE}")
    result = Result.objects.get()
    assert ID_NUMBER not in result.redacted_text and MOBILE not in result.redacted_text
    assert result.redacted_text.count(PLACEHOLDER) == 2
    assert result.redactions == {"id_card": 1, "mobile": 1}
    # Nothing of the raw text hides in the stored assessment either.
    assert ID_NUMBER not in str(result.assessment)


def test_the_person_is_told_what_was_removed_and_a_reader_that_it_was_hidden(client):
    url = post_check(client, f"{HIGH} 手机{MOBILE}")["Location"]
    html = client.get(url).content.decode()
    assert "为了保护你，我们删掉了手机号 1 个" in html
    assert MOBILE not in html
    # Opened again (a relative with the link): the page no longer talks to the writer.
    shared = client.get(url).content.decode()
    assert "原文里的手机号 1 个已经隐去" in shared and "为了保护你" not in shared
    assert MOBILE not in shared


def test_evidence_spans_point_into_the_redacted_text(client):
    post_check(client, f"手机{MOBILE}，{HIGH}")
    result = Result.objects.get()
    for match in result.assessment["patterns"]:
        for start, end in match["evidence"]:
            assert 0 <= start < end <= len(result.redacted_text)
    # The phone number shifted everything after it; the evidence must still land on the offer.
    quoted = "".join(result.redacted_text[s:e] for m in result.assessment["patterns"] for s, e in m["evidence"])
    assert quoted and PLACEHOLDER not in quoted


def test_submitted_text_is_never_logged(client, caplog):
    caplog.set_level("DEBUG")
    post_check(client, f"{HIGH}{MOBILE}")
    post_check(client, "")
    for record in caplog.records:
        message = record.getMessage()
        assert MOBILE not in message and "手持身份证" not in message


# --- With htmx ------------------------------------------------------------------------------------


def test_with_htmx_the_partial_is_returned_and_the_url_pushed(client):
    response = htmx(client, "/check", {"text": HIGH})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'class="verdict verdict--' in html
    result = Result.objects.get()
    assert response["HX-Push-Url"] == f"/r/{result.token}"
    assert "HX-Request" in response["Vary"]
    assert "no-store" in response["Cache-Control"]


def test_the_htmx_partial_and_the_full_page_render_the_same_verdict(client):
    partial = htmx(client, "/check", {"text": HIGH}).content.decode()
    page = client.get(Result.objects.get().get_absolute_url()).content.decode()

    def verdict(html):
        return re.search(r'<p class="submitted-text">.*?</p>', html, re.S).group(0)

    assert verdict(partial) == verdict(page)


def test_the_creator_sees_the_delete_button_in_the_htmx_answer(client):
    html = htmx(client, "/check", {"text": HIGH}).content.decode()
    assert 'action="/r/' in html and "/delete" in html
    assert 'name="key"' in html


# --- Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "请先写下"),
        ({"text": "   \n "}, "请先写下"),
        ({}, "请先写下"),
        ({"text": "a\x00b"}, "无法识别的字符"),
        ({"text": "骗" * 5001}, "超过了 5000 字"),
    ],
)
def test_bad_input_gets_a_clear_message_and_a_400(client, data, message):
    response = client.post("/check", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "<textarea" in html  # the form comes back to try again
    assert not Result.objects.exists()


def test_bad_input_over_htmx_gets_the_error_partial(client):
    response = htmx(client, "/check", {"text": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" not in html and 'role="alert"' in html and "请先写下" in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script><b>兼职</b>拍手持身份证照片",
        "兼職拍手持身份證照片，給你100元",
        "Part-time job: send a selfie holding your ID card, earn 50 yuan",
        "😀🎁 扫码领礼品 🎁😀",
        "'; DROP TABLE checker_result; --",
    ],
)
def test_odd_but_valid_text_gets_a_result_and_html_is_escaped(client, text):
    response = post_check(client, text)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "<script>alert" not in html
    assert "<b>兼职</b>" not in html


def test_a_binary_body_gets_a_4xx_not_a_500(client):
    response = client.post("/check", data=b"\xff\xfe\x00\x01" * 100, content_type="application/octet-stream")
    assert 400 <= response.status_code < 500


def test_a_json_body_is_not_mistaken_for_the_form(client):
    response = client.post("/check", data={"text": HIGH}, content_type="application/json")
    assert response.status_code == 400


def test_a_huge_body_gets_a_4xx_not_a_500(client):
    response = client.post("/check", {"text": "骗" * 200_000})
    assert 400 <= response.status_code < 500


def test_check_accepts_only_post(client):
    assert client.get("/check").status_code == 405


# --- Share page, delete, 404 -----------------------------------------------------------------------------


def test_the_share_page_has_open_graph_tags_a_qr_code_and_no_indexing(client):
    url = post_check(client, HIGH)["Location"]
    response = client.get(url)
    html = response.content.decode()
    assert '<meta property="og:title" content="防骗体检结果：' in html
    assert f'<meta property="og:url" content="http://testserver{url}">' in html
    assert '<svg viewBox="0 0 ' in html and 'class="qr"' in html
    assert 'media="print"' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag
    assert "style=" not in html


def test_the_delete_key_is_shown_once_then_the_cookie_is_gone(client):
    url = post_check(client, HIGH)["Location"]
    first = client.get(url)
    assert 'name="key"' in first.content.decode()
    assert "no-store" in first["Cache-Control"]
    assert first.cookies[DELETE_COOKIE]["max-age"] == 0  # dropped
    second = client.get(url)
    assert 'name="key"' not in second.content.decode()


def test_someone_with_only_the_share_link_sees_no_delete_button(client):
    from django.test import Client

    url = post_check(client, HIGH)["Location"]
    html = Client().get(url).content.decode()
    assert "高风险" in html
    assert 'name="key"' not in html


def test_the_delete_link_removes_the_result_and_the_share_link_then_404s(client):
    url = post_check(client, HIGH)["Location"]
    key = re.search(r'name="key" value="([^"]+)"', client.get(url).content.decode()).group(1)
    # The first post asks to confirm and deletes nothing; the confirmation deletes.
    response = client.post(f"{url}/delete", {"key": key})
    assert response.status_code == 200 and "确定删除" in response.content.decode()
    assert Result.objects.exists()
    response = client.post(f"{url}/delete", {"key": key, "confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert not Result.objects.exists()
    assert client.get(url).status_code == 404
    assert "已经删除" in client.get("/").content.decode()


def test_a_wrong_delete_key_is_refused_with_a_403(client):
    url = post_check(client, HIGH)["Location"]
    response = client.post(f"{url}/delete", {"key": "guess"})
    assert response.status_code == 403
    assert "没有删除" in response.content.decode()
    assert Result.objects.exists()


def test_an_unknown_token_gets_the_styled_404(client):
    response = client.get("/r/this-token-does-not-exist")
    assert response.status_code == 404
    html = response.content.decode()
    assert "找不到这个页面" in html and 'class="site-header"' in html


def test_an_expired_result_is_gone_even_before_the_purge(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    url = post_check(client, HIGH)["Location"]
    Result.objects.update(created_at=timezone.now() - timedelta(days=settings.RESULT_RETENTION_DAYS + 1))
    assert client.get(url).status_code == 404


# --- Feedback --------------------------------------------------------------------------------------------


def test_feedback_is_stored_redacted_for_review(client):
    url = post_check(client, HIGH)["Location"]
    response = client.post(f"{url}/feedback", {"comment": f"这是正规的，我电话{MOBILE}"})
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert MOBILE not in feedback.comment and PLACEHOLDER in feedback.comment
    # Without JavaScript the thanks replaces the form where the page lands, not only at the top.
    landed = client.get(response["Location"]).content.decode()
    assert "谢谢你的反馈" in landed and '<summary id="feedback-title">' not in landed


def test_feedback_without_a_comment_is_fine_and_htmx_gets_a_thank_you(client):
    url = post_check(client, HIGH)["Location"]
    response = htmx(client, f"{url}/feedback", {})
    assert response.status_code == 200
    assert "谢谢你的反馈" in response.content.decode()
    assert Feedback.objects.get().comment == ""


def test_too_long_feedback_gets_a_400(client):
    url = post_check(client, HIGH)["Location"]
    response = client.post(f"{url}/feedback", {"comment": "长" * 1001})
    assert response.status_code == 400
    assert "最多 1000 个字" in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_on_an_unknown_result_is_a_404(client):
    assert client.post("/r/nope/feedback", {"comment": "x"}).status_code == 404


# --- Rate limit ------------------------------------------------------------------------------------------


def test_too_many_checks_from_one_address_get_a_friendly_429(client, settings):
    settings.RATELIMIT_CHECKS = "2/m"
    assert post_check(client, LOW).status_code == 302
    assert post_check(client, LOW).status_code == 302
    response = post_check(client, LOW)
    assert response.status_code == 429
    assert "提交太频繁了" in response.content.decode()
    assert htmx(client, "/check", {"text": LOW}).status_code == 429
    assert Result.objects.count() == 2


# --- Review in the admin ---------------------------------------------------------------------------------


def test_feedback_is_listed_in_the_admin_for_review(client, admin_client, settings):
    url = post_check(client, HIGH)["Location"]
    client.post(f"{url}/feedback", {"comment": "漏掉了刷脸"})
    feedback = Feedback.objects.get()
    listing = admin_client.get(f"/{settings.ADMIN_PATH}checker/feedback/")
    assert listing.status_code == 200 and "漏掉了刷脸" in listing.content.decode()
    detail = admin_client.get(f"/{settings.ADMIN_PATH}checker/feedback/{feedback.pk}/change/")
    assert detail.status_code == 200
    assert admin_client.get(f"/{settings.ADMIN_PATH}checker/result/").status_code == 200


def test_the_admin_shows_the_verdicts_reasons_next_to_feedback(client, admin_client, settings):
    url = post_check(client, HIGH)["Location"]
    client.post(f"{url}/feedback", {"comment": "不对"})
    feedback = Feedback.objects.get()
    reasons = feedback.result.assessment["reasons"]
    assert reasons
    html = admin_client.get(f"/{settings.ADMIN_PATH}checker/feedback/{feedback.pk}/change/").content.decode()
    assert "判断的理由" in html
    assert all(escape(r) in html for r in reasons)


def test_the_htmx_result_is_kept_out_of_the_browser_history_cache(client):
    html = htmx(client, "/check", {"text": HIGH}).content.decode()
    assert 'hx-history="false"' in html
