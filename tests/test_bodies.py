"""Request bodies: multipart bounded as a whole, chunked bodies read, delete keys and tokens."""

import io
import json
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from checker.analysis import assess
from checker.api import check_response
from checker.privacy import redact

pytestmark = pytest.mark.django_db
TEXT = "有人高价收购银行卡，一张给两千"


def big_file(size: int = 1024 * 1024) -> SimpleUploadedFile:
    return SimpleUploadedFile("a.png", b"\x89PNG" + b"0" * size, content_type="image/png")


def test_a_multipart_form_with_a_big_file_part_gets_the_sites_413(client):
    response = client.post("/r/whatever/feedback", {"text": TEXT, "file": big_file()})
    assert response.status_code == 413
    assert "内容太大" in response.content.decode()


# The check routes take a screenshot (issue 14): their multipart bodies may be up to CHECKER_UPLOAD_MAX_BYTES.
@pytest.mark.parametrize("path", ["/check", "/widget/check"])
def test_a_check_form_over_the_screenshot_limit_gets_the_sites_413(client, path, settings):
    response = client.post(path, {"text": TEXT, "file": big_file(settings.CHECKER_UPLOAD_MAX_BYTES)})
    assert response.status_code == 413
    assert "图片太大" in response.content.decode()


def test_a_big_multipart_body_to_the_api_gets_413_json(client, settings):
    response = client.post("/api/v1/check", {"text": TEXT, "file": big_file(settings.CHECKER_UPLOAD_MAX_BYTES)})
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


def test_a_small_multipart_form_is_still_checked(client):
    assert client.post("/check", {"text": TEXT, "file": big_file(100)}).status_code == 302


def call_wsgi(body: bytes, path: str = "/api/v1/check") -> tuple[str, bytes]:
    """Through checker.wsgi.application, as gunicorn calls it, with a chunked body and no length."""
    from django.core import signals
    from django.db import close_old_connections

    from checker.wsgi import application

    environ = RequestFactory()._base_environ(
        PATH_INFO=path,
        REQUEST_METHOD="POST",
        CONTENT_TYPE="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": io.BytesIO(body)},
    )
    environ.pop("CONTENT_LENGTH", None)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status

    # As the test client does: keep the test's own transaction open across the request.
    signals.request_finished.disconnect(close_old_connections)
    try:
        content = b"".join(application(environ, start_response))
    finally:
        signals.request_finished.connect(close_old_connections)
    return answer["status"], content


def test_a_chunked_json_body_is_read():
    status, content = call_wsgi(json.dumps({"text": TEXT}).encode())
    assert status.startswith("200"), content[:300]
    assert json.loads(content)["risk_level"] == "high"


def test_a_chunked_body_over_the_limit_gets_413(settings):
    status, content = call_wsgi(b'{"text": "' + b"a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + b'"}')
    assert status.startswith("413")
    assert json.loads(content)["error"] == "too_large"


def test_a_saved_api_answer_carries_the_delete_key_once():
    redaction = redact(TEXT)
    body = check_response(
        redaction, assess(redaction.text), absolute=str, share_url="http://x/r/abc", delete_key="k" * 32
    )
    assert body["delete_key"] == "k" * 32
    unsaved = check_response(redaction, assess(redaction.text), absolute=str)
    assert "delete_key" not in unsaved and "url" not in unsaved


def test_the_openapi_document_describes_the_delete_key(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["Assessment"]
    assert "delete_key" in schema["properties"]
    assert "delete_key" not in schema["required"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/r/{t}"), ("post", "/r/{t}/delete"), ("post", "/r/{t}/feedback"), ("post", "/widget/r/{t}/delete")],
)
def test_share_tokens_never_reach_the_log(client, caplog, method, path):
    token = "SecretToken" + "x" * 21
    with caplog.at_level(logging.DEBUG):
        getattr(client, method)(path.format(t=token))
    assert caplog.records, "the request was expected to be logged (4xx)"
    assert token not in caplog.text
    assert "/r/<token>" in caplog.text
