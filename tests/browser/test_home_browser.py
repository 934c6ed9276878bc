import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_loads_in_chromium_with_its_form(live_server, page, console_errors):
    page.goto(live_server.url + "/")
    assert page.title().startswith("防骗体检")
    assert page.get_by_label("对方让你做什么？").is_visible()
    assert page.evaluate("typeof window.htmx") == "object"
    assert console_errors == []
