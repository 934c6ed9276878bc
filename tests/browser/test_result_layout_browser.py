"""A result a person can act on at a glance (issue 16), measured in Chromium at 320, 360 and 1280 px.

Targets: the call links within 1.5 screens of the verdict; the shared page within 5 screens with
the law folded; copying the highlighted text gives back the words; the tab carries the verdict;
a two-pattern result prints on one A4 page; 长辈模式; an expired form; Back keeps the text.
Screenshots go to test-artifacts/.
"""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Two patterns (ID photo, verification code) and a phone number to redact.
TWO_PATTERNS = "兼职招聘：在家拍一张手持身份证正反面的照片，再把手机收到的验证码发给我，每单给50元。我的手机13812345678"
TRANSFER = "网上认识的导师带我投资理财，稳赚不赔，先充值5000元，现在提现失败说要交保证金解冻。"
SIZES = [(320, 640), (360, 780), (1280, 800)]


def check(page, base_url, text=TWO_PATTERNS):
    page.goto(base_url + "/")
    page.get_by_label("对方让你做什么？").fill(text)
    page.get_by_role("button", name="开始体检").click()
    page.locator("#result .verdict").wait_for()


def top(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("el => el.getBoundingClientRect().top + window.scrollY")


def bottom(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("el => el.getBoundingClientRect().bottom + window.scrollY")


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_call_links_are_within_a_screen_and_a_half_of_the_verdict(live_server, page, artifacts_dir, width, height):
    page.set_viewport_size({"width": width, "height": height})
    check(page, live_server.url)
    verdict = top(page, "#result .verdict")
    calls = bottom(page, "#result .hotlines")
    assert calls - verdict <= 1.5 * height, f"call links end {calls - verdict:.0f} px below the verdict"
    # The one thing to do now comes before them.
    assert top(page, "#result .verdict-now") < top(page, "#result .hotlines")
    page.screenshot(path=str(artifacts_dir / f"result-{width}.png"), full_page=True)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_shared_page_fits_in_five_screens_with_the_law_folded(
    live_server, page, chromium, artifacts_dir, width, height
):
    check(page, live_server.url)
    share_url = page.locator("#share-url").input_value()
    reader = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    try:
        other = reader.new_page()
        other.goto(share_url)
        total = other.evaluate("document.documentElement.scrollHeight")
        assert total <= 5 * height, f"the shared page is {total / height:.1f} screens tall"
        laws = other.locator(".law-line")
        assert laws.count() >= 2
        # Folded: one line per article until opened, and each article once.
        assert other.locator(".law-line[open]").count() == 0
        assert not other.locator(".law-text").first.is_visible()
        names = [s.strip() for s in other.locator(".law-line summary").all_inner_texts()]
        assert len(names) == len(set(names))
        laws.first.locator("summary").click()
        assert other.locator(".law-text").first.is_visible()
        # The reader is spoken to as a reader.
        assert "有人请防骗体检看了下面这段话" in other.locator("main").inner_text()
        assert "你写的" not in other.locator("main").inner_text()
        other.screenshot(path=str(artifacts_dir / f"shared-{width}.png"), full_page=True)
    finally:
        reader.close()


def test_copying_the_highlighted_text_gives_back_the_words(live_server, page):
    check(page, live_server.url)
    copied = page.evaluate(
        """() => {
        const p = document.querySelector('#result .submitted-text');
        const range = document.createRange();
        range.selectNodeContents(p);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        return selection.toString();
    }"""
    )
    assert "每单给50元" in copied
    assert copied == page.locator("#result .submitted-text").evaluate("el => el.textContent")
    # The evidence numbers are still there to see and to follow, and keep a visible focus ring.
    link = page.locator("#result a.ev-ref").first
    assert link.evaluate("el => getComputedStyle(el, '::before').content") == '"1"'
    link.focus()
    assert link.evaluate("el => getComputedStyle(el).outlineStyle") != "none"


def test_the_tab_title_carries_the_verdict(live_server, page):
    check(page, live_server.url, TRANSFER)
    assert page.title().startswith("高风险")
    assert "诱导付款转账类诈骗" in page.title()
    # A money-transfer scam opens with its own first step.
    assert page.locator("#result .verdict-now").inner_text().startswith("不要再转账")


def test_a_two_pattern_result_prints_on_one_a4_page(live_server, page, artifacts_dir):
    check(page, live_server.url)
    page.goto(page.locator("#share-url").input_value())
    assert page.locator(".pattern").count() == 2
    page.emulate_media(media="print")
    pdf = page.pdf(path=str(artifacts_dir / "result-two-patterns.pdf"), format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


def test_elder_mode_makes_the_type_larger_and_lasts_for_the_visit(live_server, page, artifacts_dir):
    page.set_viewport_size({"width": 360, "height": 780})
    check(page, live_server.url)
    size = "el => parseFloat(getComputedStyle(el).fontSize)"
    before = page.locator(".verdict-now").evaluate(size)
    assert page.locator(".muted").first.evaluate(size) < 20
    page.get_by_role("button", name="长辈模式：关").click()
    assert page.locator("html.elder").count() == 1
    for selector in (".verdict-now", ".submitted-text", ".hotline", ".privacy-note", ".muted"):
        assert page.locator(selector).first.evaluate(size) >= 20, selector
    assert page.locator(".verdict-now").evaluate(size) > before
    page.screenshot(path=str(artifacts_dir / "result-elder-360.png"), full_page=True)
    # Remembered on the next page of the visit.
    page.goto(live_server.url + "/patterns/")
    assert page.locator("html.elder").count() == 1


def test_elder_mode_without_javascript(live_server, chromium):
    context = chromium.new_context(locale="zh-CN", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/laws/")
        page.get_by_role("button", name="长辈模式：关").click()
        page.wait_for_url(live_server.url + "/laws/")
        assert page.locator("html.elder").count() == 1
        page.get_by_role("button", name="长辈模式：开").click()
        assert page.locator("html.elder").count() == 0
    finally:
        context.close()


def test_an_expired_form_says_so_in_plain_words(live_server, page):
    page.goto(live_server.url + "/")
    page.context.clear_cookies()
    page.get_by_label("对方让你做什么？").fill(TWO_PATTERNS)
    page.get_by_role("button", name="开始体检").click()
    page.locator("#result [role=alert]").wait_for()
    text = page.locator("#result").inner_text()
    assert "页面过期了，请刷新后再试一次" in text
    assert "DEBUG" not in page.content() and "CSRF" not in text


def test_back_from_a_result_keeps_the_text(live_server, page):
    check(page, live_server.url)
    assert "/r/" in page.url
    page.go_back()
    page.wait_for_url(live_server.url + "/")
    page.get_by_label("对方让你做什么？").wait_for()
    assert page.get_by_label("对方让你做什么？").input_value().startswith("兼职招聘")


def test_back_without_javascript_keeps_the_text(live_server, chromium):
    context = chromium.new_context(locale="zh-CN", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.get_by_label("对方让你做什么？").fill(TRANSFER)
        page.get_by_role("button", name="开始体检").click()
        page.wait_for_url(re.compile(r"/r/"))
        page.go_back()
        page.wait_for_url(live_server.url + "/")
        assert page.get_by_label("对方让你做什么？").input_value() == TRANSFER
    finally:
        context.close()


def test_at_320_px_the_submit_button_is_in_the_first_screen(live_server, page):
    page.set_viewport_size({"width": 320, "height": 568})
    page.goto(live_server.url + "/")
    assert bottom(page, "button.submit") <= 568


def test_a_long_paste_is_not_cut_silently(live_server, page):
    long_chat = "你好，在吗？" * 900 + TRANSFER
    page.goto(live_server.url + "/")
    page.get_by_label("对方让你做什么？").fill(long_chat)
    # The browser keeps all of it (no maxlength), and the counter says it is too long.
    assert len(page.get_by_label("对方让你做什么？").input_value()) == len(long_chat)
    assert "太长了" in page.locator("#text-count").inner_text()
    page.get_by_role("button", name="开始体检").click()
    page.locator("#result [role=alert]").wait_for()
    assert "超过了 5000 字" in page.locator("#result").inner_text()
    page.get_by_role("button", name="只检查最后 5000 个字").click()
    page.locator("#result .verdict").wait_for()
    assert page.locator("#result .level-word").inner_text() == "高风险"
