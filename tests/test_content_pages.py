"""The content pages: every pattern, the laws and the reporting channels render from content/."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from checker.content import PATTERN_IDS, get_laws, get_pattern, get_patterns


def test_the_patterns_index_links_every_pattern(client):
    response = client.get("/patterns/")
    assert response.status_code == 200
    html = response.content.decode()
    for pattern in get_patterns().values():
        assert f'href="/patterns/{pattern.id}/"' in html
        assert pattern.title in html and pattern.warning in html


@pytest.mark.parametrize("pattern_id", PATTERN_IDS)
def test_every_pattern_page_renders_its_content(client, pattern_id):
    pattern = get_pattern(pattern_id)
    response = client.get(f"/patterns/{pattern_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert pattern.title in html and pattern.warning in html
    assert all(step in html for step in pattern.how_it_works)
    assert all(step in html for step in pattern.advice.before + pattern.advice.after)
    for case in pattern.cases:
        assert case.place in html and case.source.publisher in html
    for ref in pattern.legal_refs:
        assert ref.article.key in html and ref.why in html
        assert f'href="/laws/#{ref.article.anchor}"' in html


def test_a_pattern_page_shows_who_a_law_is_about(client):
    html = client.get("/patterns/card-account-rental/").content.decode()
    assert "你也可能担责" in html and "对方违法" in html
    assert "第二百八十七条之二第一款" in html
    assert "第一百七十七条之一" not in html


@pytest.mark.django_db
def test_an_unknown_pattern_is_404(client):
    assert client.get("/patterns/no-such-pattern/").status_code == 404


def test_content_pages_refuse_post(client):
    assert client.post("/patterns/").status_code == 405


def test_the_laws_page_shows_every_article_with_its_text_and_citing_patterns(client):
    response = client.get("/laws/")
    assert response.status_code == 200
    html = response.content.decode()
    for law in get_laws().values():
        assert law.name in html
        for article in law.articles:
            assert f'id="{article.anchor}"' in html
            assert all(para in html for para in article.paragraphs)
    # 第三十一条第一款 is cited by several patterns; each links back.
    section = html.split('id="anti-fraud-law-第三十一条第一款"', 1)[1].split("</article>", 1)[0]
    assert 'href="/patterns/card-account-rental/"' in section
    assert 'href="/patterns/id-photo-collection/"' in section


def test_the_laws_page_says_when_an_article_was_renumbered(client):
    html = client.get("/laws/").content.decode()
    section = html.split('id="cybersecurity-law-第四十六条"', 1)[1].split("</article>", 1)[0]
    assert "2026年1月1日前的条号是第四十四条" in section
    assert "《中华人民共和国治安管理处罚法》（2025年修订）" in html


def test_the_laws_page_shows_no_editor_notes(client):
    html = client.get("/laws/").content.decode()
    for law in get_laws().values():
        for article in law.articles:
            if article.note:
                assert article.note not in html, f"{law.key} {article.key}"
    assert "应引用本条" not in html


def test_the_laws_page_quotes_both_paragraphs_of_id_card_law_17(client):
    html = client.get("/laws/").content.decode()
    section = html.split('id="id-card-law-第十七条"', 1)[1].split("</article>", 1)[0]
    assert "<p>伪造、变造的居民身份证和骗领的居民身份证，由公安机关予以收缴。</p>" in section
    assert "这段文字自2004年1月1日起施行" in section


def test_the_report_page_describes_the_self_checks_as_they_work(client):
    html = client.get("/report/").content.decode()
    section = html.split('id="channel-yizhengtongcha"', 1)[1].split("</article>", 1)[0]
    for text in ("10699000", "48小时", "24小时内只能查一次", "身份证号码后六位", "工信部反诈专班", "网上营业厅"):
        assert text in section, text
    section = html.split('id="channel-yijianchaka"', 1)[1].split("</article>", 1)[0]
    for text in ("银联卡", "参加这项服务的银行", "没有登记手机号", "无卡支付"):
        assert text in section, text


def test_the_report_page_lists_the_channels_and_self_checks(client):
    response = client.get("/report/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        'href="tel:110"',
        'href="tel:96110"',
        "www.12321.cn",
        "www.12377.cn",
        "国家反诈中心",
        "一证通查",
        "一键查卡",
    ):
        assert text in html


@pytest.mark.django_db
def test_the_site_navigation_links_the_content_pages(client):
    html = client.get("/").content.decode()
    for href in ('href="/patterns/"', 'href="/laws/"', 'href="/report/"'):
        assert href in html


def test_the_partials_render_for_the_result_page():
    pattern = get_pattern("verification-code-request")
    html = render_to_string("partials/legal_refs.html", {"refs": pattern.legal_refs})
    assert html.count('class="legal-ref ') == len(pattern.legal_refs)
    assert "《中华人民共和国刑法》第二百五十三条之一" in html
    advice = render_to_string("partials/advice.html", {"advice": pattern.advice})
    assert all(step in advice for step in pattern.advice.before + pattern.advice.after)
