"""/trends/ in Chromium on a 360-pixel phone: the server-drawn chart is there, readable and within the screen."""

from datetime import timedelta

import pytest

from checker import trends
from checker.models import CheckCount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}


@pytest.fixture
def a_month_of_counts():
    today = trends.today()
    # Busy days, quiet days and days under five, as a real month would have.
    for i in range(30):
        count = [0, 3, 12, 27, 41, 8, 19][i % 7] + i
        if count:
            CheckCount.objects.create(
                day=today - timedelta(days=29 - i), channel="site", level="high", pattern="id-photo-collection",
                count=count if i % 5 else 2,
            )  # fmt: skip


def test_the_chart_is_visible_and_within_a_360_pixel_phone(
    live_server, page, console_errors, artifacts_dir, a_month_of_counts
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/trends/")
    chart = page.locator("svg.trend-chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["height"] > 100
    # Every label and bar is drawn inside the chart, and nothing makes the page scroll sideways.
    outside = page.evaluate(
        """() => {
          const svg = document.querySelector('svg.trend-chart').getBoundingClientRect();
          return [...document.querySelectorAll('svg.trend-chart text, svg.trend-chart rect')]
            .map(el => el.getBoundingClientRect())
            .filter(r => r.left < svg.left - 0.5 || r.right > svg.right + 0.5).length;
        }"""
    )
    assert outside == 0
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    # Labels are big enough to read on a phone.
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.trend-axis')).fontSize)") >= 11
    assert page.locator("svg.trend-chart rect").count() == 30
    path = artifacts_dir / "trends-phone.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    assert console_errors == []


def test_the_chart_and_the_tables_need_no_javascript(live_server, chromium, a_month_of_counts):
    context = chromium.new_context(locale="zh-CN", java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/trends/")
        assert page.locator("svg.trend-chart").is_visible()
        page.get_by_text("看每天的数字").click()
        assert page.get_by_role("table").first.is_visible()
        assert page.get_by_role("link", name="手持证件照采集").is_visible()
    finally:
        context.close()
