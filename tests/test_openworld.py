"""The engine in the open world: everyday texts of many genres stay low, a high verdict names what it saw.

The benchmark in tests/data/openworld/ was written separately from the training data, by writers who
saw neither it nor the engine; it is never trained on. Each genre is held to its own bar, so a fix for
one genre cannot hide a regression in another: at most 1 % judged high and 10 % judged medium; scam
texts caught with high recall ≥ 0.90 and pattern F1 ≥ 0.85 (the issue's targets).
"""

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.analysis import assess
from checker.analysis.evaluation import Labelled, score

OPENWORLD = Path(__file__).parent / "data" / "openworld"
# genre → (most judged high, most judged medium), as shares of the genre's texts.
EVERYDAY_BARS = {
    genre: (0.01, 0.10)
    for genre in (
        "chat",
        "customer-service",
        "jobs",
        "listings",
        "marketing-sms",
        "news",
        "official",
        "privacy",
        "service-sms",
    )
}


@cache
def records(name: str) -> tuple[dict, ...]:
    return tuple(json.loads(line) for line in (OPENWORLD / f"{name}.jsonl").read_text(encoding="utf-8").splitlines())


def test_the_benchmark_has_the_genres_and_sizes_the_issue_asks_for():
    everyday = sum(len(records(g)) for g in EVERYDAY_BARS)
    assert len(EVERYDAY_BARS) >= 6 and everyday >= 3000
    assert len(records("scams")) >= 150
    assert all(r.get("source") for r in records("scams"))


@pytest.mark.parametrize("genre", sorted(EVERYDAY_BARS))
def test_everyday_texts_of_each_genre_stay_low(genre):
    rows = records(genre)
    levels = [assess(r["text"]).risk_level for r in rows]
    most_high, most_medium = EVERYDAY_BARS[genre]
    assert levels.count("high") / len(rows) <= most_high
    assert levels.count("medium") / len(rows) <= most_medium


def test_scam_texts_from_public_reports_are_caught_and_named():
    rows = records("scams")
    items = [Labelled(r["id"], r["text"], r["risk"], tuple(r["patterns"])) for r in rows]
    figures = score(items, {r.id: assess(r.text).to_dict() for r in items})
    assert figures["high_recall"] >= 0.90
    assert figures["pattern_f1"] >= 0.85


def test_medium_texts_are_mostly_medium_and_rarely_high():
    rows = records("medium")
    levels = [assess(r["text"]).risk_level for r in rows]
    assert levels.count("medium") / len(rows) >= 0.55
    assert levels.count("high") / len(rows) <= 0.08


def test_no_benchmark_text_is_in_the_training_corpus():
    from checker.analysis.model import load_training_examples

    training = {e.text.strip() for e in load_training_examples()}
    for path in OPENWORLD.glob("*.jsonl"):
        held_out = {json.loads(line)["text"].strip() for line in path.read_text(encoding="utf-8").splitlines()}
        assert not training & held_out, path.name


def test_no_training_example_is_a_near_copy_of_a_held_out_text():
    # Writers of training and held-out texts worked apart; character trigram overlap above one half
    # would mean one was written from the other.
    from collections import defaultdict

    from checker.analysis.model import load_training_examples

    def grams(text: str) -> set[str]:
        compact = "".join(text.split())
        return {compact[i : i + 3] for i in range(len(compact) - 2)}

    held_out = [grams(json.loads(line)["text"]) for path in OPENWORLD.parent.glob("**/*.jsonl") for line in path.open()]
    index = defaultdict(set)
    for k, g in enumerate(held_out):
        for gram in g:
            index[gram].add(k)
    for example in load_training_examples():
        g = grams(example.text)
        shared = defaultdict(int)
        for gram in g:
            for k in index.get(gram, ()):
                shared[k] += 1
        assert all(n / len(g | held_out[k]) <= 0.5 for k, n in shared.items()), example.text


@pytest.mark.parametrize(
    "text",
    [
        "会议改到1714会议室，下午三点，请准时参加。",
        "出一台九成新的电饭煲，714元自提，地址在地铁站附近。",
        "【某银行】验证码 552917，用于登录，5分钟内有效。如非本人操作请忽略，切勿告诉他人。",
        "反诈提醒：公检法机关不会通过电话办案，更不存在所谓的安全账户。",
        "相机｜扫码、上传头像",
        "出全新四件套，1.8米床用，未拆封，350包邮。",
    ],
)
def test_named_mechanisms_keep_ordinary_texts_low(text):
    assert assess(text).risk_level == "low"


@pytest.mark.parametrize(
    "text,pattern",
    [
        ("在吗？急用钱，借我1000", "money-transfer-fraud"),
        ("我换号了，有事找你帮忙", "money-transfer-fraud"),
        ("一个APP要读取通讯录，不给就不能用", "excessive-authorization"),
    ],
)
def test_the_taxonomys_medium_examples_stay_medium(text, pattern):
    result = assess(text)
    assert result.risk_level == "medium"
    assert pattern in {p.id for p in result.patterns}


@pytest.mark.parametrize(
    "text",
    [
        "个税App注册时要刷脸认证，我按提示在App里自己做了人脸识别。",
        "下载国家反诈中心App，用手机号注册，再按提示完成实名认证和人脸识别。",
    ],
)
def test_official_apps_own_real_name_steps_are_low(text):
    assert assess(text).risk_level == "low"


@pytest.mark.parametrize(
    "text",
    [
        "投资理财稳赚不赔，导师带单，下载这个APP先充值五千就能翻倍。",
        "兼职刷单，先垫付298元拍下指定商品，完成后本金加佣金一起返还。",
    ],
)
def test_money_transfer_scams_are_named_for_what_they_are(text):
    result = assess(text)
    assert result.risk_level == "high"
    assert [p.id for p in result.patterns][0] == "money-transfer-fraud"
    assert "paid-account-registration" not in {p.id for p in result.patterns}


EVERYDAY_WORDS = st.sampled_from(
    [
        "今天",
        "明天",
        "开会",
        "吃饭",
        "快递",
        "到了",
        "银行",
        "身份证",
        "验证码",
        "兼职",
        "工资",
        "转账",
        "红包",
        "妈",
        "老师",
        "房租",
        "二维码",
        "下载",
        "APP",
        "人脸识别",
        "客服",
        "退款",
        "714",
        "1714",
        "元",
        "你好",
        "好的",
        "在吗",
        "公司",
        "注册",
        "账号",
        "手机",
        "照片",
        "明天见",
        "，",
        "。",
        "！",
        "？",
        "😂",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EVERYDAY_WORDS, min_size=1, max_size=25).map("".join))
def test_a_high_verdict_always_names_a_pattern_with_evidence_in_the_text(text):
    result = assess(text)
    if result.risk_level == "high":
        assert result.patterns
        for match in result.patterns:
            assert match.evidence and all(0 <= a < b <= len(text) for a, b in match.evidence)
    assert result.reasons
