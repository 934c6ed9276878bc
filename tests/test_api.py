"""POST /api/v1/check: the assessment contract, every refusal as JSON, CORS, and the rate limit."""

import json

import pytest
from django.db import DatabaseError

from checker.analysis.types import PATTERN_IDS, RISK_LEVELS
from checker.api import ApiError, parse_check_request
from checker.models import Result
from checker.privacy import PLACEHOLDER
from checker.ratelimits import rate_period
from tests.samples import HIGH, LOW, MOBILE

pytestmark = pytest.mark.django_db

URL = "/api/v1/check"


def post_json(client, data, **extra):
    return client.post(URL, json.dumps(data), content_type="application/json", **extra)


def post_raw(client, body: bytes, content_type="application/json", **extra):
    return client.generic("POST", URL, body, content_type=content_type, **extra)


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body


# --- The contract --------------------------------------------------------------------------------


def test_a_check_returns_the_assessment_contract_of_the_taxonomy(client):
    response = post_json(client, {"text": HIGH})
    assert response.status_code == 200
    body = response.json()
    assert body["risk_level"] in RISK_LEVELS
    assert 0 <= body["score"] <= 1
    assert body["risk_level"] == "high"
    assert [p["id"] for p in body["patterns"]][0] == "id-photo-collection"
    for pattern in body["patterns"]:
        assert pattern["id"] in PATTERN_IDS
        assert 0 <= pattern["confidence"] <= 1
        for start, end in pattern["evidence"]:
            assert 0 <= start < end <= len(body["text"])


def test_each_pattern_carries_its_title_warning_advice_and_legal_references(client):
    pattern = post_json(client, {"text": HIGH}).json()["patterns"][0]
    assert pattern["title"] == "手持证件照采集"
    assert pattern["warning"]
    assert pattern["advice"]["before"] and pattern["advice"]["after"]
    assert pattern["legal_refs"] and {"law", "article", "text", "applies_to", "why"} <= set(pattern["legal_refs"][0])
    assert pattern["url"] == "http://testserver/patterns/id-photo-collection/"


def test_numbers_are_redacted_before_assessing_and_evidence_points_into_the_returned_text(client):
    body = post_json(client, {"text": f"{HIGH}我的手机{MOBILE}"}).json()
    assert MOBILE not in json.dumps(body, ensure_ascii=False)
    assert body["text"].endswith(PLACEHOLDER)
    assert body["redactions"] == [
        {"kind": "mobile", "label": "手机号", "count": 1, "why": body["redactions"][0]["why"]}
    ]
    quotes = [body["text"][s:e] for s, e in body["patterns"][0]["evidence"]]
    assert any("身份证" in quote for quote in quotes)


def test_nothing_is_saved_and_no_url_is_given_unless_asked(client):
    body = post_json(client, {"text": HIGH}).json()
    assert body["saved"] is False and "url" not in body
    assert Result.objects.count() == 0


def test_with_save_the_redacted_result_is_stored_and_its_share_page_opens(client):
    body = post_json(client, {"text": f"{HIGH}{MOBILE}", "save": True}).json()
    result = Result.objects.get()
    assert body["saved"] is True
    assert body["url"] == f"http://testserver/r/{result.token}"
    assert MOBILE not in result.redacted_text
    assert result.assessment["risk_level"] == body["risk_level"]
    assert client.get(f"/r/{result.token}").status_code == 200


def test_a_saved_api_check_returns_its_delete_key_once_and_the_key_deletes(client):
    body = post_json(client, {"text": HIGH, "save": True}).json()
    result = Result.objects.get()
    assert body["delete_key"] and body["delete_key"] != result.delete_key_hash
    assert "delete_key" not in post_json(client, {"text": HIGH}).json()
    client.post(f"/r/{result.token}/delete", {"key": body["delete_key"], "confirm": "yes"})
    assert not Result.objects.filter(pk=result.pk).exists()


def test_with_the_database_down_a_save_still_returns_the_verdict_marked_unsaved(client, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr("checker.results.save_result", broken)
    response = post_json(client, {"text": HIGH, "save": True})
    assert response.status_code == 200
    body = response.json()
    assert body["risk_level"] == "high"
    assert body["saved"] is False and "url" not in body


def test_a_lawful_text_is_low_with_no_patterns(client):
    body = post_json(client, {"text": LOW}).json()
    assert body["risk_level"] == "low"
    assert body["patterns"] == []


def test_answers_are_not_cached_and_chinese_is_not_escaped(client):
    response = post_json(client, {"text": HIGH})
    assert "no-store" in response["Cache-Control"]
    assert "手持证件照采集".encode() in response.content


def test_a_text_plain_body_is_read_as_json_so_browsers_can_skip_the_preflight(client):
    response = post_raw(client, json.dumps({"text": HIGH}).encode(), content_type="text/plain")
    assert response.status_code == 200


# --- Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"not json", "invalid_json"),
        (b"", "invalid_json"),
        (b"\xff\xfe{}", "invalid_json"),
        (b"[" * 100_000 + b"]" * 100_000, "invalid_json"),
        (b'["text"]', "invalid_json"),
        (b'"just a string"', "invalid_json"),
        (b"null", "invalid_json"),
        (b"{}", "missing_text"),
        (b'{"txt": "hello"}', "missing_text"),
        (b'{"text": 42}', "wrong_type"),
        (b'{"text": null}', "wrong_type"),
        (b'{"text": ["a"]}', "wrong_type"),
        (b'{"text": "hello", "save": "yes"}', "wrong_type"),
        (b'{"text": "hello", "save": 1}', "wrong_type"),
        (b'{"text": ""}', "empty"),
        (b'{"text": "   \\n\\t "}', "empty"),
        (b'{"text": "\\u200b\\u200b"}', "empty"),
        (b'{"text": "abc\\u0000def"}', "invalid_characters"),
        (b'{"text": "abc\\ud800def"}', "invalid_characters"),
    ],
)
def test_a_bad_body_gets_400_json_with_a_code_and_a_message(client, body, code):
    assert_error(post_raw(client, body), 400, code)


def test_a_text_over_the_limit_gets_413(client, settings):
    settings.CHECKER_MAX_CHARS = 100
    body = assert_error(post_json(client, {"text": "兼" * 101}), 413, "too_long")
    assert "100" in body["message"]


def test_a_text_at_the_limit_is_checked(client, settings):
    settings.CHECKER_MAX_CHARS = 100
    assert post_json(client, {"text": "兼" * 100}).status_code == 200


def test_a_body_over_the_upload_limit_gets_413_json_not_a_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    assert_error(post_json(client, {"text": "x" * 2000}), 413, "too_large")


def test_other_methods_get_405_json_with_allow(client):
    response = client.get(URL)
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"


def test_no_csrf_token_is_needed(settings):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert post_json(strict, {"text": HIGH}).status_code == 200


def test_submitted_text_never_reaches_the_log(client, caplog):
    caplog.set_level("DEBUG")
    post_json(client, {"text": f"{HIGH}{MOBILE}"})
    post_raw(client, b'{"text": "secret-ish \\u0000"}')
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert MOBILE not in logged and "手持" not in logged and "secret-ish" not in logged


def test_parse_check_request_reads_save_as_false_by_default():
    assert parse_check_request(b'{"text": "hi"}').save is False
    with pytest.raises(ApiError) as caught:
        parse_check_request(b'{"text": 1}')
    assert caught.value.status == 400


# --- CORS ----------------------------------------------------------------------------------------


def test_a_partner_origin_may_call_the_api_across_origins(client):
    response = post_json(client, {"text": HIGH}, HTTP_ORIGIN="https://partner.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_the_preflight_is_answered_for_the_api(client):
    response = client.options(
        URL,
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_pages_outside_the_api_get_no_cors_headers(client):
    for url in ("/", "/widget/", "/embed/"):
        response = client.get(url, HTTP_ORIGIN="https://partner.example")
        assert "Access-Control-Allow-Origin" not in response, url


# --- Rate limit ----------------------------------------------------------------------------------


def test_after_the_limit_a_client_gets_429_with_retry_after(client, settings):
    settings.RATELIMIT_CHECKS = "3/m"
    for _ in range(3):
        assert post_json(client, {"text": LOW}).status_code == 200
    response = post_json(client, {"text": LOW})
    assert_error(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60


def test_bad_requests_count_against_the_limit_too(client, settings):
    settings.RATELIMIT_CHECKS = "2/m"
    post_raw(client, b"nope")
    post_raw(client, b"nope")
    assert post_json(client, {"text": LOW}).status_code == 429


def test_the_limit_is_per_client(client, settings):
    settings.RATELIMIT_CHECKS = "1/m"
    assert post_json(client, {"text": LOW}, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert post_json(client, {"text": LOW}, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert post_json(client, {"text": LOW}, REMOTE_ADDR="192.0.2.2").status_code == 200


def test_the_api_and_the_widget_keep_separate_allowances(client, settings):
    settings.RATELIMIT_CHECKS = "1/m"
    assert post_json(client, {"text": LOW}).status_code == 200
    assert client.post("/widget/check", {"text": LOW}).status_code == 200


@pytest.mark.parametrize(
    ("rate", "seconds"), [("30/m", 60), ("5/s", 1), ("100/5m", 300), ("1000/d", 86400), ("10/h", 3600)]
)
def test_rate_period_reads_the_window_of_a_rate(rate, seconds):
    assert rate_period(rate) == seconds


def test_json_answers_carry_the_strictest_content_security_policy(client):
    response = post_json(client, {"text": LOW})
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


def test_a_check_looks_up_no_undefined_setting(client, monkeypatch):
    # Each lookup of a setting that is not defined raises inside django.conf on every request;
    # libraries on the API's path (django-ratelimit, django-csp) read theirs per request.
    from django.conf import LazySettings

    missing = []
    lookup = LazySettings.__getattr__

    def recording(self, name):
        try:
            return lookup(self, name)
        except AttributeError:
            missing.append(name)
            raise

    post_json(client, {"text": LOW})  # the first request builds the middleware, which reads its settings once
    monkeypatch.setattr(LazySettings, "__getattr__", recording)
    assert post_json(client, {"text": HIGH}).status_code == 200
    assert missing == [], missing
