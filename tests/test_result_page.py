"""The result page a person can act on (issue 16), as the server renders it.

The browser-measured targets (screens, print, copy) are in tests/browser/test_result_layout_browser.py.
"""

import re

import pytest
from django.test import Client

from checker.content import get_patterns
from checker.models import Feedback, Result
from checker.presentation import LEVELS, police_summary
from checker.results import folded_laws

pytestmark = pytest.mark.django_db

TWO_PATTERNS = "兼职招聘：在家拍一张手持身份证正反面的照片，再把手机收到的验证码发给我，每单给50元。"
TRANSFER = "网上认识的导师带我投资理财，稳赚不赔，先充值5000元，现在提现失败说要交保证金解冻。"
MOBILE = "13812345678"
ID_NUMBER = "11010519491231002X"


def check(client, text):
    response = client.post("/check", {"text": text})
    assert response.status_code == 302, response.content.decode()[:300]
    return response["Location"]


def htmx_check(client, text):
    return client.post("/check", {"text": text}, headers={"HX-Request": "true"})


def order_of(html: str, *markers: str) -> list[int]:
    return [html.index(marker) for marker in markers]


def test_a_high_result_reads_verdict_then_what_to_do_then_calls_then_words_then_law(client):
    html = htmx_check(client, TWO_PATTERNS).content.decode()
    positions = order_of(
        html,
        'id="verdict-title"',
        'class="verdict-now"',
        'href="tel:110"',
        'class="submitted-text"',
        'class="warning"',
        'class="handoff"',
        'class="laws-folded"',
    )
    assert positions == sorted(positions)


def test_each_article_is_listed_once_even_when_two_patterns_cite_it():
    patterns = list(get_patterns().values())
    laws = folded_laws(patterns)
    keys = [(entry["ref"].law.key, entry["ref"].article.key) for entry in laws]
    assert len(keys) == len(set(keys))
    cited = {(ref.law.key, ref.article.key) for p in patterns for ref in p.legal_refs}
    assert set(keys) == cited
    # An article two patterns share names both.
    shared = [entry for entry in laws if len(entry["patterns"]) > 1]
    assert shared, "the content has articles cited by several patterns"


def test_the_law_is_folded_one_line_per_article(client):
    html = client.get(check(client, TWO_PATTERNS)).content.decode()
    summaries = re.findall(r'<details class="law-line[^"]*">\s*<summary>(.*?)</summary>', html, re.S)
    assert len(summaries) >= 2 and len(summaries) == len(set(summaries))
    assert '<details class="law-line' in html and '<details class="law-line legal-ref--you" open' not in html


@pytest.mark.parametrize("pattern", list(get_patterns().values()), ids=lambda p: p.id)
def test_every_pattern_has_its_own_first_step(pattern):
    assert pattern.now and len(pattern.now) <= 60
    assert pattern.now != LEVELS["high"].sentence


def test_a_money_transfer_scam_opens_with_stop_transferring(client):
    html = htmx_check(client, TRANSFER).content.decode()
    first = re.search(r'<p class="verdict-now">(.*?)</p>', html).group(1)
    assert first.startswith("不要再转账")
    # The tab title carries the verdict and the pattern (htmx takes the <title> of the answer).
    assert re.search(r"<title>高风险：诱导付款转账类诈骗 · 防骗体检</title>", html)


def test_the_shared_page_speaks_to_the_reader_and_its_title_carries_the_verdict(client):
    url = check(client, f"{TWO_PATTERNS} 我的手机{MOBILE}")
    creator = client.get(url).content.decode()
    assert "我们在你写的话里看到了什么" in creator
    reader = Client().get(url).content.decode()
    assert "有人请防骗体检看了下面这段话" in reader
    for writer_words in ("你写的", "为了保护你", "删除这条结果"):
        assert writer_words not in reader
    assert re.search(r"<title>高风险：手持证件照采集 · 体检结果 · 防骗体检</title>", reader)


def test_a_high_result_hands_it_to_the_police_and_the_family_without_numbers(client):
    url = check(client, f"{TWO_PATTERNS} 我的手机{MOBILE}，身份证{ID_NUMBER}")
    html = client.get(url).content.decode()
    assert "国家反诈中心 App" in html and "我要举报" in html
    summary = re.search(r'<textarea id="police-summary-text"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert "对方的要求" in summary and "手持证件照采集" in summary and "时间：" in summary
    assert not re.search(r"\d{7,}", summary.replace("-", ""))
    family = re.search(r'<textarea id="family-line"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert "高风险" in family and url in family


def test_police_summary_quotes_each_request_once_and_shortens_a_long_text():
    summary = police_summary(
        when="2026年12月02日 10:00", level_word="高风险", titles=["A"], quotes=["拍照", "拍照"], text="长" * 400
    )
    assert summary.count("拍照") == 1
    assert summary.endswith("……") and len(summary) < 400


def test_low_and_medium_results_say_what_the_site_covers(client):
    html = htmx_check(client, "明天中午一起吃饭吗？").content.decode()
    assert "只认得已报道的几类骗局" in html and "96110" in html
    home = client.get("/").content.decode()
    assert "能认出哪些骗局" in home
    for pattern in get_patterns().values():
        assert f"/patterns/{pattern.id}/" in home


def test_evidence_numbers_are_drawn_by_css_so_copying_gives_the_words(client):
    html = htmx_check(client, TWO_PATTERNS).content.decode()
    paragraph = re.search(r'<p class="submitted-text">(.*?)</p>', html, re.S).group(1)
    links = re.findall(r'<a class="ev-ref"[^>]*>(.*?)</a>', paragraph)
    assert links and all(text == "" for text in links)
    assert re.sub(r"<[^>]+>", "", paragraph) == TWO_PATTERNS


def test_an_expired_form_gets_a_plain_sentence_not_the_technical_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/check", {"text": TWO_PATTERNS})
    assert response.status_code == 403
    html = response.content.decode()
    assert "页面过期了，请刷新后再试一次" in html and 'class="site-header"' in html
    assert "DEBUG" not in html and "CSRF" not in html
    partial = client.post("/check", {"text": TWO_PATTERNS}, headers={"HX-Request": "true"})
    assert partial.status_code == 403 and "<html" not in partial.content.decode()
    assert "页面过期了" in partial.content.decode()
    assert not Result.objects.exists()


def test_a_long_paste_is_refused_with_its_length_and_its_end_can_be_kept(client, settings):
    chat = "你好，在吗？" * 900 + TRANSFER
    response = client.post("/check", {"text": chat})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"这段内容有 {len(chat)} 个字" in html and "只检查最后 5000 个字" in html
    # The text comes back whole, and the textarea has no maxlength that would cut it.
    assert chat in html and 'maxlength="5000"' not in html.split('id="id_text"')[1].split(">")[0]
    kept = client.post("/check", {"text": chat, "keep": "end"})
    assert kept.status_code == 302
    result = Result.objects.get()
    assert result.risk_level == "high" and result.redacted_text.endswith(TRANSFER)
    assert len(result.redacted_text) <= settings.CHECKER_MAX_CHARS


def test_feedback_survives_the_deletion_of_its_result_for_review(client):
    url = check(client, f"{TWO_PATTERNS} 我的手机{MOBILE}")
    page = client.get(url).content.decode()
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    client.post(f"{url}/feedback", {"comment": f"其实是正规的，电话{MOBILE}"})
    client.post(f"{url}/delete", {"key": key, "confirm": "yes"})
    assert not Result.objects.exists()
    feedback = Feedback.objects.get()
    assert feedback.result is None
    assert feedback.risk_level == "high" and "手持身份证" in feedback.redacted_text
    assert MOBILE not in feedback.comment and MOBILE not in feedback.redacted_text


def test_delete_asks_to_confirm_and_a_wrong_key_never_reaches_the_question(client):
    url = check(client, TWO_PATTERNS)
    key = re.search(r'name="key" value="([^"]+)"', client.get(url).content.decode()).group(1)
    asked = client.post(f"{url}/delete", {"key": key})
    assert asked.status_code == 200 and "确定删除这条结果吗" in asked.content.decode()
    assert "no-store" in asked["Cache-Control"]
    assert client.post(f"{url}/delete", {"key": "guess", "confirm": "yes"}).status_code == 403
    assert Result.objects.exists()


def test_elder_mode_is_a_session_cookie_and_goes_back_only_to_this_site(client):
    response = client.get("/elder", {"on": "1", "next": "/laws/"})
    assert response.status_code == 302 and response["Location"] == "/laws/"
    cookie = response.cookies["elder"]
    assert cookie.value == "1" and not cookie["max-age"] and not cookie["expires"]
    assert 'class="elder"' in client.get("/laws/").content.decode()
    assert client.get("/elder", {"on": "1", "next": "https://evil.example/"})["Location"] == "/"
    client.get("/elder", {"on": "0", "next": "/"})
    assert 'class="elder"' not in client.get("/").content.decode()
