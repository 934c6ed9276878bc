"""Screenshots through the whole check, with the real OCR service: what was read, QR codes, the same
verdict as typing the message, a busy pool, and no image bytes left behind.

Each OCR call takes about a second on a 2-core machine, so there are few of them. The screenshots are
drawn by tests/screenshots.py.
"""

import os
import socket
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from checker.models import Result
from checker.ocr import pool
from checker.pipeline import QR_MARKER
from tests import screenshots
from tests.samples import HIGH
from tests.test_openapi import assert_matches

pytestmark = pytest.mark.django_db
URL = "/api/v1/check"
FOLLOW_UP = "真的吗？要怎么弄"
QR_URL = "https://example.com/gift?id=42"


@pytest.fixture(scope="module")
def ocr_service():
    return pool.start()


@pytest.fixture(scope="module")
def chat_png():
    return screenshots.chat([("them", HIGH), ("me", FOLLOW_UP)])


@pytest.fixture(scope="module")
def poster_png():
    return screenshots.poster("扫码领鸡蛋", ["免费领取保温杯", "进群送礼品，名额有限"], QR_URL)


def upload(data: bytes, name: str = "shot.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def verdict(body: dict) -> tuple[str, list[str]]:
    return body["risk_level"], [p["id"] for p in body["patterns"]]


def test_a_chat_screenshot_is_read_without_the_screen_and_judged_as_the_typed_message(client, ocr_service, chat_png):
    body = client.post(URL, {"image": upload(chat_png)}).json()
    assert body["ocr"]["text"] == f"{HIGH}\n{FOLLOW_UP}"
    assert body["ocr"]["qr"] == []
    for chrome in ("9:41", "87%", "中国移动", "李姐", "发送", "按住", "昨天"):
        assert chrome not in body["text"]
    typed = client.post(URL, {"text": f"{HIGH}\n{FOLLOW_UP}"}, content_type="application/json").json()
    assert verdict(body) == verdict(typed) == ("high", ["id-photo-collection"])
    # Evidence offsets point into the assessed text, as for typed text.
    quotes = [body["text"][s:e] for s, e in body["patterns"][0]["evidence"]]
    assert any("身份证" in quote for quote in quotes)
    # The answer is the documented one, and the document says how to send a screenshot.
    document = client.get("/api/v1/openapi.json").json()
    assert_matches(document, "Assessment", body)
    content = document["paths"][URL]["post"]["requestBody"]["content"]
    assert content["multipart/form-data"]["schema"] == {"$ref": "#/components/schemas/ImageCheckRequest"}


def test_a_poster_qr_code_is_decoded_shown_as_text_and_counts_as_a_cue(client, ocr_service, poster_png, settings):
    response = client.post("/check", {"image": upload(poster_png)})
    assert response.status_code == 200  # without JavaScript: the result page is the answer
    html = response.content.decode()
    assert "扫码领鸡蛋" in html
    assert QR_URL.replace("&", "&amp;") in html and f'href="{QR_URL}' not in html  # plain text, not a link
    assert '<textarea id="ocr-text" name="text"' in html  # what was read, to correct and check again
    saved = Result.objects.get()
    assert saved.redacted_text.endswith(QR_MARKER)
    assert QR_URL not in saved.redacted_text  # the code's content is shown once, never stored
    assert saved.assessment["patterns"][0]["id"] == "gift-qr-lure"


def test_the_widget_reads_an_sms_and_puts_what_was_read_in_its_textarea(client, ocr_service):
    message = "【客服】恭喜您中奖了，免费领取保温杯，扫码下载APP登记手机号即可领取"
    response = client.post("/widget/check", {"image": upload(screenshots.sms(message))})
    assert response.status_code == 200
    html = response.content.decode()
    assert "从截图里读出的文字" in html
    textarea = html.split('id="widget-text"', 1)[1].split("</textarea>", 1)[0]
    assert "恭喜您中奖了" in textarea
    for chrome in ("10:16", "54%", "中国联通", "短信/彩信", "今天"):
        assert chrome not in textarea


def test_a_busy_pool_answers_503_with_retry_after_and_a_kind_message(client, ocr_service, settings):
    settings.CHECKER_OCR_WAIT = 0.3
    # Take the only OCR process and hold it, as a long read by another visitor would.
    hog = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    hog.connect(ocr_service.socket_path)
    assert hog.recv(1) == b"R"
    try:
        started = time.monotonic()
        response = client.post(URL, {"image": upload(screenshots.blank())})
        assert time.monotonic() - started < 3
        assert response.status_code == 503
        assert response.json()["error"] == "ocr_busy"
        assert int(response["Retry-After"]) >= 1
        assert "请过几秒再试" in response.json()["message"]
        page = client.post("/check", {"image": upload(screenshots.blank())})
        assert page.status_code == 503 and page["Retry-After"]
        assert "直接把对方的话粘贴进来" in page.content.decode()
    finally:
        hog.close()


def test_no_image_bytes_are_left_on_disk_after_a_check(client, ocr_service):
    data = screenshots.chat([("them", "帮忙注册个APP，用你的手机号，给你30元")], fmt="PNG")
    needle = data[len(data) // 2 : len(data) // 2 + 64]
    started = time.time() - 1
    response = client.post("/check", {"image": upload(data)})
    assert response.status_code == 200
    places = {tempfile.gettempdir(), "/tmp", "/var/tmp", "/dev/shm", str(settings.BASE_DIR / "var")}
    for place in places:
        for root, _dirs, files in os.walk(place):
            for name in files:
                path = Path(root) / name
                try:
                    if not path.is_file() or path.stat().st_mtime < started or path.stat().st_size > 64 * 1024 * 1024:
                        continue
                    assert needle not in path.read_bytes(), f"image bytes found in {path}"
                except (PermissionError, FileNotFoundError):
                    continue
    assert needle.hex() not in Result.objects.get().redacted_text
