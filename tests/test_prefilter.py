"""The prefilter only skips expressions that cannot match: it never changes what the rules find."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.analysis.model import load_training_examples
from checker.analysis.normalize import normalize
from checker.analysis.prefilter import ABSENT, Expression, Prefilter, anchors, anchors_of
from checker.analysis.rules import any_match, load_rules, match_all


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("手持证件照", {"手持证件照"}),
        ("拍(几|一)张", {"拍几张", "拍一张"}),
        (r"\d+\s*(元|块|rmb)", {"元", "块", "rmb"}),
        ("(?<![检调审])查人(?!员)", {"查人"}),
        ("下载.*会议", {"下载"}),
        ("a?b", {"b"}),
        ("(?:ab)+c?", {"ab"}),
        ("[^x]yz", {"yz"}),
        ("[元块]钱", {"元钱", "块钱"}),
    ],
)
def test_anchors_are_strings_every_match_contains(source, expected):
    assert anchors(source) == frozenset(expected)


@pytest.mark.parametrize("source", [r"\d{6}", "x|", "(?i)abc", "a*", "[a-z]+", "(?:a|.)b?"])
def test_an_expression_without_a_sure_anchor_is_always_run(source):
    assert anchors(source) is None
    assert anchors_of(["身份证", source]) is None  # one such alternative and the whole group runs
    group = Expression(re.compile(source), [source])
    assert Prefilter([group]).memo("任何文字").get(group) is not ABSENT


@pytest.fixture(scope="module")
def ruleset():
    return load_rules()


@pytest.fixture(scope="module")
def texts():
    found = [normalize(e.text).text for e in load_training_examples()]
    return found + [a + "。" + b for a, b in zip(found[::3], found[1::3], strict=False)]


def test_every_skipped_expression_really_is_absent(ruleset, texts):
    prefilter = ruleset.prefilter
    skipped = 0
    for text in texts:
        for pattern, spans in prefilter.memo(text).items():
            if spans is ABSENT:
                skipped += 1
                assert pattern.search(text) is None, (pattern.pattern[:80], text)
    # And it does skip: most expressions are absent from most texts.
    assert skipped > 0.8 * len(texts) * len(prefilter.memo(""))
    assert len(prefilter.always_run) <= 3


def test_rules_find_the_same_with_and_without_it(ruleset, texts):
    for text in texts:
        memo, possible = ruleset.prefilter.scan(text)
        assert match_all(ruleset.candidates(possible), text, memo) == match_all(ruleset.rules, text), text
        assert any_match(ruleset.aware_parts, text, memo) == bool(ruleset.aware.search(text)), text


# The vocabulary the cues are made of, to throw many near-misses at the anchors.
_ALPHABET = (
    "身份证银行卡验证码刷脸兼职给钱元块拍照手持租借出公安警察贷款下款征信积分兑换链接网址二维码扫转账安全账户"
    + "0123456789 .wx"
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=120))
def test_random_cue_soup_finds_the_same(ruleset, text):
    memo, possible = ruleset.prefilter.scan(text)
    assert match_all(ruleset.candidates(possible), text, memo) == match_all(ruleset.rules, text)
    for pattern in (ruleset.lawful, ruleset.aware, ruleset.service):
        if memo.get(pattern) is ABSENT:
            assert pattern.search(text) is None
    # Whether the text warns, or is a service's code message, read from the alternatives alone.
    assert any_match(ruleset.aware_parts, text, memo) == bool(ruleset.aware.search(text))
    assert any_match(ruleset.service_parts, text, memo) == bool(ruleset.service.search(text))
