"""A screenshot in the browser: pasted from the clipboard or chosen, previewed, then checked.

Uses the real OCR service (one process), so there are only a few checks here.
"""

import base64
import re

import pytest

from checker.ocr import pool
from tests import screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMS = "兼职招聘：在家拍一张手持身份证正反面的照片，审核通过就给200元，加微信详聊。"


@pytest.fixture(scope="module")
def ocr_service():
    return pool.start()


@pytest.fixture(scope="module")
def sms_png() -> bytes:
    return screenshots.sms(SMS)


PASTE = """async (b64) => {
    const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
    const file = new File([bytes], "shot.png", {type: "image/png"});
    const data = new DataTransfer();
    data.items.add(file);
    document.getElementById("id_text").focus();
    const event = new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true});
    document.activeElement.dispatchEvent(event);
    return event.defaultPrevented;
}"""


def test_a_pasted_screenshot_is_previewed_then_read_and_checked(live_server, page, ocr_service, sms_png, artifacts_dir):
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(live_server.url + "/")
    assert page.locator(".paste-hint").is_visible() is False  # inside the folded field until opened
    handled = page.evaluate(PASTE, base64.b64encode(sms_png).decode())
    assert handled is True
    # The folded field opens so the preview is seen, and the file input now holds the image.
    preview = page.locator("[data-image-preview] img")
    preview.wait_for(state="visible")
    assert preview.get_attribute("src").startswith("data:image/png;base64,")
    assert page.evaluate("document.getElementById('id_image').files.length") == 1
    page.screenshot(path=str(artifacts_dir / "screenshot-pasted-360.png"), full_page=True)

    page.get_by_role("button", name="开始体检").click()
    page.locator("#result .verdict").wait_for(timeout=30000)
    assert page.locator("#result .level-word").inner_text() == "高风险"
    read = page.locator("#ocr-text").input_value()
    assert "手持身份证" in read
    # The screen around the message was left out.
    assert not re.search(r"\b10:15\b", read)


def test_a_chosen_file_is_previewed_and_can_be_dropped_again(live_server, page, sms_png, tmp_path):
    path = tmp_path / "shot.png"
    path.write_bytes(sms_png)
    page.goto(live_server.url + "/")
    page.get_by_text("或者上传截图").click()
    page.locator("#id_image").set_input_files(str(path))
    page.locator("[data-image-preview] img").wait_for(state="visible")
    page.get_by_role("button", name="不用这张图").click()
    assert page.evaluate("document.getElementById('id_image').files.length") == 0
    assert not page.locator("[data-image-preview]").is_visible()
