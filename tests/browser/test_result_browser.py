"""The check → result → share → delete journey in headless Chromium, with and without JavaScript."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HIGH = "兼职招聘：在家拍一张手持身份证正反面的照片，审核通过就给200元。我的手机13812345678"
PHONE = {"width": 360, "height": 780}


@pytest.fixture
def no_js_page(chromium):
    context = chromium.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def submit_with_javascript(page, base_url, text=HIGH):
    page.goto(base_url + "/")
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("对方让你做什么？").fill(text)
    page.get_by_role("button", name="开始体检").click()
    page.locator("#result .verdict").wait_for()


def test_with_javascript_the_result_is_swapped_in_without_a_reload(live_server, page, console_errors):
    submit_with_javascript(page, live_server.url)
    # The marker survives only if the page was not reloaded.
    assert page.evaluate("window.__sameDocument") is True
    assert page.locator("#verdict-title").evaluate("el => el === document.activeElement")
    assert re.search(r"/r/[A-Za-z0-9_-]{32}$", page.url), "the share URL is pushed to the address bar"
    assert page.locator(".level-word").inner_text() == "高风险"
    assert console_errors == []


def test_evidence_is_highlighted_and_each_highlight_links_to_its_pattern(live_server, page):
    submit_with_javascript(page, live_server.url)
    marks = page.locator(".submitted-text mark.ev")
    assert marks.count() >= 1
    target = marks.first.locator("a.ev-ref").first.get_attribute("href")
    assert page.locator(target).locator("h4").is_visible()
    # The phone number never came back from the server.
    assert "13812345678" not in page.content()
    assert page.locator(".submitted-text .redacted").count() == 1


def test_the_character_counter_and_a_one_tap_example(live_server, page, console_errors):
    page.goto(live_server.url + "/")
    page.get_by_label("对方让你做什么？").fill("兼职")
    assert page.locator("#text-count").inner_text().startswith("2 / 5000")
    page.get_by_role("button", name="借银行卡走流水").click()
    page.locator("#result .verdict").wait_for()
    assert "银行卡" in page.get_by_label("对方让你做什么？").input_value()
    assert "银行卡" in page.locator(".submitted-text").inner_text()
    assert console_errors == []


def test_an_empty_form_with_javascript_shows_the_message_in_place(live_server, page):
    page.goto(live_server.url + "/")
    # Bypass the browser's own `required` check to see the server's answer.
    page.evaluate("document.getElementById('id_text').removeAttribute('required')")
    page.get_by_role("button", name="开始体检").click()
    page.locator("#result [role=alert]").wait_for()
    assert "请先写下" in page.locator("#result").inner_text()


def test_without_javascript_the_form_posts_and_redirects_to_the_result(live_server, no_js_page):
    no_js_page.goto(live_server.url + "/")
    no_js_page.get_by_label("对方让你做什么？").fill(HIGH)
    no_js_page.get_by_role("button", name="开始体检").click()
    no_js_page.wait_for_url(re.compile(r"/r/[A-Za-z0-9_-]+$"))
    assert no_js_page.locator("h1").inner_text() == "体检结果"
    assert no_js_page.locator(".level-word").inner_text() == "高风险"
    assert no_js_page.locator(".submitted-text mark.ev").count() >= 1
    assert no_js_page.locator(".qr-figure svg").is_visible()
    assert no_js_page.get_by_role("button", name="删除这条结果").is_visible()


def test_an_example_works_without_javascript_too(live_server, no_js_page):
    no_js_page.goto(live_server.url + "/")
    no_js_page.get_by_role("button", name="手持证件照兼职").click()
    no_js_page.wait_for_url(re.compile(r"/r/[A-Za-z0-9_-]+$"))
    assert "手持身份证" in no_js_page.locator(".submitted-text").inner_text()


def test_the_share_link_opens_the_same_verdict_for_someone_else(live_server, page, chromium):
    submit_with_javascript(page, live_server.url)
    share_url = page.locator("#share-url").input_value()
    level = page.locator(".level-word").inner_text()
    text = page.locator(".submitted-text").inner_text()

    family = chromium.new_context(locale="zh-CN")
    try:
        other = family.new_page()
        response = other.goto(share_url)
        assert response.status == 200
        assert other.locator(".level-word").inner_text() == level
        assert other.locator(".submitted-text").inner_text() == text
        assert other.locator('meta[property="og:url"]').get_attribute("content") == share_url
        # Only the creator could delete it.
        assert other.get_by_role("button", name="删除这条结果").count() == 0
    finally:
        family.close()


def test_the_delete_link_removes_the_result(live_server, page):
    submit_with_javascript(page, live_server.url)
    share_url = page.locator("#share-url").input_value()
    page.get_by_role("button", name="删除这条结果").click()
    page.get_by_role("button", name="确定删除").click()
    page.wait_for_url(live_server.url + "/")
    assert "已经删除" in page.locator(".messages").inner_text()
    response = page.goto(share_url)
    assert response.status == 404
    assert page.locator("h1").inner_text() == "找不到这个页面"


def test_feedback_is_sent_in_place(live_server, page, console_errors):
    submit_with_javascript(page, live_server.url)
    page.get_by_text("这个结果看起来不对？").click()
    page.get_by_label("哪里不对？（可不填）").fill("这是正规业务")
    page.get_by_role("button", name="提交，请人工复核").click()
    page.get_by_text("谢谢你的反馈").wait_for()
    assert console_errors == []


def test_the_result_page_fits_a_320_pixel_phone(live_server, page):
    submit_with_javascript(page, live_server.url)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(page.locator("#share-url").input_value())
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_a_screenshot_of_the_result_page_at_phone_width(live_server, page, artifacts_dir):
    page.set_viewport_size(PHONE)
    submit_with_javascript(page, live_server.url)
    page.goto(page.locator("#share-url").input_value())
    path = artifacts_dir / "result-page-phone.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000


def test_the_print_stylesheet_makes_a_one_page_handout(live_server, page, artifacts_dir):
    submit_with_javascript(page, live_server.url)
    page.goto(page.locator("#share-url").input_value())
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="删除这条结果").is_visible()
    assert not page.locator(".feedback").is_visible()
    assert page.locator(".qr-figure svg").is_visible()
    pdf = page.pdf(path=str(artifacts_dir / "result-handout.pdf"), format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1
