"""Every quote in content/laws.yaml matches the official text, word for word.

tests/data/law_texts.json holds the official text of each quoted article (or paragraph), copied
from a mirror of the 国家法律法规数据库; its ``sources`` name the repository, commit and file. A
quote may leave words out only where it says so with ……, and its line breaks must fall where the
official paragraphs (款) break. Change a quote and this fails until the fixture agrees, which it
only does if the official text says the same.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from checker.content import get_laws

FIXTURE = Path(__file__).parent / "data" / "law_texts.json"
OMITTED = "……"


def official() -> dict[str, dict[str, str]]:
    return json.loads(FIXTURE.read_text())["articles"]


def quoted() -> list[tuple[str, str, str]]:
    return [(law.key, article.key, article.text) for law in get_laws().values() for article in law.articles]


def quoted_params() -> list:
    return [pytest.param(*quote, id=f"{quote[0]}-{quote[1]}") for quote in quoted()]


def quote_pattern(quote: str) -> re.Pattern[str]:
    """``甲……丙`` matches ``甲乙丙``: each …… stands for at least one left-out character."""
    return re.compile("(.+?)".join(re.escape(part) for part in quote.split(OMITTED)), re.DOTALL)


@pytest.mark.parametrize(("law_key", "article_key", "text"), quoted_params())
def test_every_quote_matches_the_official_text(law_key, article_key, text):
    source = official().get(law_key, {}).get(article_key)
    assert source is not None, f"{law_key} {article_key}: not in {FIXTURE.name}; add it from the official text"
    match = quote_pattern(text).fullmatch(source)
    assert match, f"{law_key} {article_key}: the quote differs from the official text:\n{text}\n---\n{source}"
    assert all(gap.strip() for gap in match.groups()), f"{law_key} {article_key}: …… marks a cut of nothing"


def test_a_quote_without_a_marked_cut_is_the_whole_text():
    for law_key, article_key, text in quoted():
        if OMITTED not in text:
            assert text == official()[law_key][article_key], f"{law_key} {article_key}"


def test_the_fixture_holds_only_articles_the_registry_quotes():
    cited = {(law_key, article_key) for law_key, article_key, _ in quoted()}
    held = {(law_key, article_key) for law_key, articles in official().items() for article_key in articles}
    assert held == cited


def test_the_fixture_names_its_source_for_every_law():
    sources = json.loads(FIXTURE.read_text())["sources"]
    assert set(sources) == set(official())
    for law_key, source in sources.items():
        assert re.fullmatch(r"[0-9a-f]{40}", source["commit"]), law_key
        assert source["repo"] and source["path"].endswith(".md"), law_key


def test_the_matcher_catches_a_changed_word_and_an_unmarked_cut():
    source = "有下列行为之一的，处五日以下拘留：（一）甲的；（二）乙的。"
    assert quote_pattern("有下列行为之一的，处五日以下拘留：（一）甲的；……").fullmatch(source)
    assert not quote_pattern("有下列行为之一的，处十日以下拘留：（一）甲的；……").fullmatch(source)
    assert not quote_pattern("有下列行为之一的，处五日以下拘留：（一）甲的；").fullmatch(source)


# --- Dates the audit found wrong -----------------------------------------------------------


def test_id_card_law_16_and_17_are_dated_from_2004_and_17_keeps_its_second_paragraph():
    law = get_laws()["id-card-law"]
    assert law.article("第十六条").effective.isoformat() == "2004-01-01"
    article = law.article("第十七条")
    assert article.effective.isoformat() == "2004-01-01"
    assert article.paragraphs[-1] == "伪造、变造的居民身份证和骗领的居民身份证，由公安机关予以收缴。"


def test_criminal_law_280_1_carries_both_crime_names():
    title = get_laws()["criminal-law"].article("第二百八十条第一款").title
    assert "伪造、变造、买卖国家机关公文、证件、印章罪" in title
    assert "盗窃、抢夺、毁灭国家机关公文、证件、印章罪" in title


def test_the_fixture_is_not_under_content():
    # Content is what editors change; the fixture is what they are checked against.
    assert not FIXTURE.resolve().is_relative_to(Path(settings.BASE_DIR) / "content")
