"""The widget embedded by a page on another origin: a partner's page, our iframe, postMessage sizing and scrolling.

The partner pages load the script from the stable address in the snippet, /embed.js (a redirect).
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HIGH = "兼职招聘：在家拍一张手持身份证正反面的照片，再录一段眨眼摇头的视频，审核通过就给200元。我的手机13812345678"
FRAME = "iframe.fangpian-widget-frame"

HOST_PAGE = """<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>某某派出所</title></head>
<body>
<h1>某某派出所 · 防范电信网络诈骗</h1>
<div class="fangpian-widget"></div>
<script src="{widget_base}/embed.js" data-mode="{mode}" data-accent="#a4161a" data-org="某某派出所"></script>
</body></html>
"""


@pytest.fixture
def partner_site(live_server):
    """A second origin (127.0.0.1 on its own port, the live server is localhost) serving a host page."""
    pages: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path.split("?")[0])
            if body is None:
                self.send_error(404)
                return
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    assert not live_server.url.startswith(base), "the two origins must differ"
    for mode in ("compact", "full"):
        pages[f"/{mode}.html"] = HOST_PAGE.format(widget_base=live_server.url, mode=mode)
    yield base
    server.shutdown()
    server.server_close()


def frame_height(page) -> float:
    return page.locator(FRAME).bounding_box()["height"]


def wait_for_height_change(page, old: float) -> None:
    page.wait_for_function(
        "([sel, old]) => Math.abs(document.querySelector(sel).getBoundingClientRect().height - old) > 1",
        arg=[FRAME, old],
    )


def open_partner_page(page, partner_site, mode="compact"):
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto(f"{partner_site}/{mode}.html")
    frame = page.frame_locator(FRAME)
    frame.get_by_label("对方让你做什么？").wait_for()
    # The first message replaces embed.js's placeholder height with the form's own.
    wait_for_height_change(page, 460)
    return frame


def test_a_partner_page_embeds_the_widget_and_the_frame_grows_to_fit_the_result(
    live_server, page, partner_site, console_errors, artifacts_dir
):
    frame = open_partner_page(page, partner_site)
    iframe = page.locator(FRAME)
    assert iframe.get_attribute("title").startswith("防骗体检")
    assert "某某派出所" in iframe.get_attribute("title")
    assert frame.get_by_text("由 某某派出所 提供").is_visible()
    before = frame_height(page)

    frame.get_by_label("对方让你做什么？").fill(HIGH)
    frame.get_by_role("button", name="开始体检").click()
    frame.locator(".verdict").wait_for()
    wait_for_height_change(page, before)
    after = frame_height(page)

    assert after > before + 150
    assert frame.locator(".level-word").inner_text() == "高风险"
    # The frame now fits its content: nothing is cut off or scrolls inside it.
    inner = page.frame(url=lambda url: "/widget/" in url)
    assert inner.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1")
    assert abs(inner.evaluate("document.querySelector('[data-widget]').getBoundingClientRect().height") - after) <= 2
    assert "13812345678" not in inner.content()
    assert console_errors == []
    # A cross-origin frame paints only what is in the viewport: make room for all of it first.
    page.set_viewport_size({"width": 800, "height": int(after) + 200})
    page.wait_for_timeout(200)
    page.locator(FRAME).screenshot(path=str(artifacts_dir / "widget-embedded.png"))


def test_the_partner_accent_colour_reaches_the_button_without_inline_styles(
    live_server, page, partner_site, console_errors
):
    frame = open_partner_page(page, partner_site)
    colour = frame.get_by_role("button", name="开始体检").evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == "rgb(164, 22, 26)"
    assert console_errors == []


def test_the_full_result_opens_in_a_new_tab_as_the_saved_share_page(live_server, page, partner_site):
    frame = open_partner_page(page, partner_site, mode="full")
    page.set_viewport_size({"width": 360, "height": 780})
    frame.get_by_label("对方让你做什么？").fill(HIGH)
    frame.get_by_role("button", name="开始体检").click()
    link = frame.get_by_role("link", name="打开完整结果")
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("rel") == "noopener"
    with page.context.expect_page() as new_tab:
        link.click()
    shared = new_tab.value
    shared.wait_for_load_state()
    assert shared.url.startswith(live_server.url + "/r/")
    assert shared.locator(".level-word").inner_text() == "高风险"
    assert shared.evaluate("window.opener") is None


def test_height_messages_from_any_other_origin_are_ignored(live_server, page, partner_site):
    open_partner_page(page, partner_site)
    before = frame_height(page)
    # The host page itself (a different origin from the widget) sends a forged height.
    page.evaluate("window.postMessage({type: 'fangpian-widget:height', height: 5}, '*')")
    page.wait_for_timeout(300)
    assert frame_height(page) == before


def test_only_the_widget_may_be_framed_a_framed_share_page_stays_blank(live_server, page, partner_site):
    page.goto(f"{partner_site}/compact.html")
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "frame-ancestors" in m.text else None)
    page.evaluate(
        "url => { const f = document.createElement('iframe'); f.id = 'other'; f.src = url; document.body.append(f); }",
        live_server.url + "/",
    )
    page.wait_for_timeout(1000)
    other = page.frame(url=lambda url: url == live_server.url + "/")
    # Chromium swaps a refused frame for an error page: the site's own content never renders there.
    assert other is None or other.locator("#main").count() == 0


def test_an_evidence_number_in_full_mode_scrolls_the_partner_page_to_its_pattern(
    live_server, page, partner_site, console_errors, artifacts_dir
):
    frame = open_partner_page(page, partner_site, mode="full")
    before = frame_height(page)
    frame.get_by_label("对方让你做什么？").fill(HIGH)
    frame.get_by_role("button", name="开始体检").click()
    frame.locator(".verdict").wait_for()
    wait_for_height_change(page, before)
    page.set_viewport_size({"width": 800, "height": 600})
    page.evaluate("window.scrollTo(0, 0)")

    number = frame.locator("mark.ev a[href^='#pattern-']").first
    target_id = number.get_attribute("href")[1:]
    target = frame.locator(f"[id='{target_id}']")
    number.click()
    # The partner page scrolls so the pattern's top sits just below the viewport's top edge.
    page.wait_for_function("() => window.scrollY > 0")
    page.wait_for_timeout(100)
    box = target.bounding_box()
    assert 0 <= box["y"] <= 40, box
    inner = page.frame(url=lambda url: "/widget/" in url)
    assert inner.evaluate("document.activeElement.id") == target_id
    assert "#" not in inner.url  # the frame did not jump on its own
    assert console_errors == []

    after = frame_height(page)
    page.set_viewport_size({"width": 800, "height": int(after) + 200})
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(200)
    page.locator(FRAME).screenshot(path=str(artifacts_dir / "widget-full.png"))


def test_a_partner_page_on_plain_http_gets_a_link_instead_of_a_refused_frame(
    live_server, page, console_errors, artifacts_dir
):
    # A partner's page on plain http, somewhere other than the partner's own computer. The site, too,
    # is given a public name: Chromium lets no public http page load scripts from localhost.
    site = "http://checker.example"
    host_page = HOST_PAGE.format(widget_base=site, mode="compact")
    page.route("http://partner.example/**", lambda route: route.fulfill(body=host_page, content_type="text/html"))
    page.route(
        f"{site}/**",
        lambda route: route.fulfill(response=route.fetch(url=route.request.url.replace(site, live_server.url))),
    )
    page.goto("http://partner.example/index.html")
    link = page.get_by_role("link", name="打开防骗体检")
    link.wait_for()
    assert link.get_attribute("href") == site + "/"
    assert page.locator("iframe").count() == 0
    assert "https" in page.locator(".fangpian-widget").inner_text()
    assert console_errors == []
    page.locator(".fangpian-widget").screenshot(path=str(artifacts_dir / "widget-http-link.png"))


def check_in_frame(page, frame, text=HIGH) -> None:
    """Check a text inside the widget and wait until the frame has resized to the result."""
    before = frame_height(page)
    frame.get_by_label("对方让你做什么？").fill(text)
    frame.get_by_role("button", name="开始体检").click()
    frame.locator(".verdict").wait_for()
    wait_for_height_change(page, before)


def test_the_widget_fits_a_narrow_phone_width_frame(live_server, page, partner_site, artifacts_dir):
    frame = open_partner_page(page, partner_site)
    page.set_viewport_size({"width": 320, "height": 800})
    check_in_frame(page, frame)
    inner = page.frame(url=lambda url: "/widget/" in url)
    # Nothing sticks out sideways: a frame has no room for a horizontal scroll bar.
    assert inner.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    after = frame_height(page)
    page.set_viewport_size({"width": 320, "height": int(after) + 200})
    page.wait_for_timeout(200)
    page.locator(FRAME).screenshot(path=str(artifacts_dir / "widget-narrow.png"))


@pytest.mark.parametrize(("width", "height"), [(320, 640), (360, 780), (1280, 800)])
def test_the_widgets_full_result_fits_in_four_screens(live_server, page, partner_site, artifacts_dir, width, height):
    # Issue 16: the police station's page must not grow by ten screens after one check.
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{partner_site}/full.html")
    frame = page.frame_locator(FRAME)
    frame.get_by_label("对方让你做什么？").wait_for()
    wait_for_height_change(page, 460)
    check_in_frame(page, frame)
    # The result itself (the frame holds the form for another check below it).
    inner = page.frame(url=lambda url: "/widget/" in url)
    result = inner.evaluate("document.querySelector('.widget-result').getBoundingClientRect().height")
    assert result <= 4 * height, f"the widget's result is {result / height:.1f} screens tall at {width} px"
    assert frame.locator(".laws-fold").count() == 1 and frame.locator(".laws-fold[open]").count() == 0
    page.set_viewport_size({"width": width, "height": int(frame_height(page)) + 200})
    page.wait_for_timeout(200)
    page.locator(FRAME).screenshot(path=str(artifacts_dir / f"widget-full-{width}.png"))
