"""Hostile requests, as a table: each gets a 4xx or a valid result, never a 500."""

import json

import pytest

pytestmark = pytest.mark.django_db

TEN_MB = b'{"text": "' + b"a" * (10 * 1024 * 1024) + b'"}'
NESTED = b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"

API_CASES = [
    ("a 10 MB body", TEN_MB, "application/json", {413}),
    ("invalid UTF-8", b'{"text": "\xff\xfe\xfd"}', "application/json", {400}),
    ("deeply nested JSON", NESTED, "application/json", {400}),
    (
        "HTML and script",
        json.dumps({"text": "<script>alert(1)</script><b>身份证</b>"}).encode(),
        "application/json",
        {200},
    ),
    (
        "SQL-looking text",
        json.dumps({"text": "'; DROP TABLE checker_result; -- 收购银行卡"}).encode(),
        "application/json",
        {200},
    ),
    ("NUL bytes", json.dumps({"text": "身份证\u0000照片"}).encode(), "application/json", {400}),
    (
        "right-to-left marks",
        json.dumps({"text": "\u202e有人收购\u202c银行卡\u200f"}).encode(),
        "application/json",
        {200},
    ),
    ("5,000 emoji", json.dumps({"text": "😀" * 5000}).encode(), "application/json", {200}),
    ("an array body", b"[1, 2, 3]", "application/json", {400}),
    ("a number as text", b'{"text": 12345}', "application/json", {400}),
    ("binary junk", bytes(range(256)) * 10, "application/octet-stream", {400, 415}),
]


@pytest.mark.parametrize(("case", "body", "content_type", "statuses"), API_CASES, ids=[c[0] for c in API_CASES])
def test_hostile_api_requests_get_a_4xx_or_a_valid_result(client, settings, case, body, content_type, statuses):
    settings.RATELIMIT_CHECKS = "1000/m"
    response = client.post("/api/v1/check", body, content_type=content_type)
    assert response.status_code in statuses, (case, response.status_code)
    data = response.json()
    if response.status_code == 200:
        assert data["risk_level"] in {"low", "medium", "high"}
    else:
        assert data["message"]


FORM_CASES = [
    ("a 10 MB field", {"text": "a" * (10 * 1024 * 1024)}, {400, 413}),
    ("HTML and script", {"text": "<script>alert(1)</script>有人收购银行卡"}, {302}),
    ("SQL-looking text", {"text": "' OR 1=1 --  收购银行卡"}, {302}),
    ("NUL bytes", {"text": "身份证\x00照片"}, {302, 400}),
    ("right-to-left marks", {"text": "\u202e有人收购\u202c银行卡"}, {302}),
    ("5,000 emoji", {"text": "😀" * 5000}, {302}),
    ("5,001 characters", {"text": "身" * 5001}, {400}),
]


@pytest.mark.parametrize(("case", "data", "statuses"), FORM_CASES, ids=[c[0] for c in FORM_CASES])
def test_hostile_form_posts_get_a_4xx_or_a_result(client, settings, case, data, statuses):
    settings.RATELIMIT_CHECKS = "1000/m"
    response = client.post("/check", data)
    assert response.status_code in statuses, (case, response.status_code)
    if response.status_code == 302:
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert "<script>alert(1)</script>" not in page.content.decode()


def test_invalid_utf8_in_a_form_post_is_read_with_replacement_characters(client):
    # Django decodes form bodies with errors="replace": the bytes become "�", a valid (low) text.
    response = client.post("/check", b"text=%FF%FE%FD", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
