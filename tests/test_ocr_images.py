"""checker/ocr/images.py and the check routes: only PNG, JPEG and WebP, within 8 MB and 40 megapixels.

None of these reaches OCR: the web process refuses them from the header.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from checker.ocr.images import ImageRefused, check_image, decode
from tests import screenshots

pytestmark = pytest.mark.django_db
URL = "/api/v1/check"


def encoded(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def refused_code(data: bytes) -> str:
    with pytest.raises(ImageRefused) as caught:
        check_image(data)
    return caught.value.code


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_png_jpeg_and_webp_are_accepted(fmt):
    assert check_image(encoded(Image.new("RGB", (64, 32), "white"), fmt)) == (fmt, 64, 32)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_are_unsupported(fmt):
    assert refused_code(encoded(Image.new("RGB", (8, 8)), fmt)) == "unsupported_image"


def test_a_text_file_is_not_an_image():
    assert refused_code("兼职拍身份证".encode()) == "unsupported_image"


def test_a_truncated_png_is_unreadable():
    data = screenshots.blank(200, 200)
    with pytest.raises(ImageRefused) as caught:
        check_image(data[: len(data) // 2])
        decode(data[: len(data) // 2])
    assert caught.value.code == "unreadable_image"


def test_more_than_8_mb_is_too_large():
    assert refused_code(b"\x89PNG\r\n\x1a\n" + b"0" * (8 * 1024 * 1024)) == "image_too_large"


def test_more_than_40_megapixels_is_too_large_even_when_the_file_is_small():
    data = encoded(Image.new("1", (7000, 7000)), "PNG")  # 49 megapixels in a few kilobytes
    assert len(data) < 100_000
    assert refused_code(data) == "image_too_large"


def test_a_decompression_bomb_is_refused_before_decoding():
    data = encoded(Image.new("1", (12000, 12000)), "PNG")  # past twice the limit: Pillow's bomb error
    assert refused_code(data) == "image_too_large"


def post_image(client, data: bytes, name: str = "shot.png", **fields):
    return client.post(URL, {"image": SimpleUploadedFile(name, data, content_type="image/png"), **fields})


def test_the_api_answers_415_for_a_file_that_is_not_an_image(client):
    response = post_image(client, b"%PDF-1.4 not an image", name="a.pdf")
    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_image"


def test_the_api_answers_413_for_too_many_pixels(client):
    response = post_image(client, encoded(Image.new("1", (7000, 7000)), "PNG"))
    assert response.status_code == 413
    assert response.json()["error"] == "image_too_large"


def test_the_api_answers_413_json_for_a_body_over_the_image_limit(client):
    response = post_image(client, b"\x89PNG" + b"0" * (9 * 1024 * 1024))
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


def test_the_form_answers_413_with_the_sites_page_for_a_body_over_the_image_limit(client):
    response = client.post("/check", {"image": SimpleUploadedFile("a.png", b"0" * (9 * 1024 * 1024))})
    assert response.status_code == 413
    assert "图片太大" in response.content.decode()


def test_the_form_shows_the_refusal_under_the_file_field(client):
    response = client.post("/check", {"image": SimpleUploadedFile("a.gif", encoded(Image.new("RGB", (8, 8)), "GIF"))})
    assert response.status_code == 415
    assert "只能读取 PNG、JPEG 或 WebP" in response.content.decode()


def test_a_multipart_api_request_without_image_or_text_is_a_400(client):
    response = client.post(URL, {"save": "false"})
    assert response.status_code == 400
    assert response.json()["error"] == "missing_image"


def test_uploads_are_only_ever_held_in_memory(settings):
    assert settings.FILE_UPLOAD_HANDLERS == ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE >= settings.CHECKER_IMAGE_MAX_BYTES
