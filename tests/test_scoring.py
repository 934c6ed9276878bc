import pytest

from checker.analysis.scoring import BANDS, Signals, combine, without

PATTERNS = ("face-data-request", "gift-qr-lure")


def signals(rule_levels=None, pattern_p=None, level_p=None, lawful=False, risk_context=False, aware=False):
    return Signals(
        rule_levels=rule_levels or {},
        pattern_p={p: 0.0 for p in PATTERNS} | (pattern_p or {}),
        level_p=level_p or {"low": 0.8, "medium": 0.15, "high": 0.05},
        lawful=lawful,
        risk_context=risk_context,
        aware=aware,
    )


UNSURE = {"low": 0.4, "medium": 0.3, "high": 0.3}


def test_a_high_rule_makes_the_text_high_and_reports_its_pattern():
    v = combine(signals({"face-data-request": "high"}, {"face-data-request": 0.3}, UNSURE, risk_context=True))
    assert v.level == "high"
    assert list(v.confidences) == ["face-data-request"]
    assert v.confidences["face-data-request"] >= 0.7


def test_a_rule_the_classifier_does_not_support_is_not_reported_beside_a_supported_one():
    v = combine(
        signals(
            {"face-data-request": "high", "gift-qr-lure": "high"},
            {"face-data-request": 0.9, "gift-qr-lure": 0.01},
            UNSURE,
            risk_context=True,
        )
    )
    assert list(v.confidences) == ["face-data-request"]


def test_a_rule_the_classifier_does_not_support_does_not_make_the_text_high_alone():
    # "卖给上门回收的师傅，微信还登着": the card-rental rule's words, but no rental in the classifier's view.
    alone = combine(signals({"gift-qr-lure": "high"}, {"gift-qr-lure": 0.01}, UNSURE, risk_context=True))
    assert alone.level == "medium"
    assert alone.confidences == {}
    supported = combine(signals({"gift-qr-lure": "high"}, {"gift-qr-lure": 0.2}, UNSURE, risk_context=True))
    assert supported.level == "high"


def test_a_warning_about_a_scheme_keeps_a_rule_hit_below_high():
    v = combine(signals({"face-data-request": "high"}, {"face-data-request": 0.6}, UNSURE, aware=True))
    assert v.level == "low"  # a warning's words alone are no signal while the level model is unsure
    leaning = {"low": 0.1, "medium": 0.4, "high": 0.5}
    v = combine(signals({"face-data-request": "high"}, {"face-data-request": 0.6}, leaning, aware=True))
    assert v.level == "medium"


def test_lawful_context_without_risk_cues_keeps_a_rule_hit_below_high():
    # "做人脸识别" at a bank counter: the face rule may fire, the bank counter keeps it from high.
    v = combine(signals({"face-data-request": "high"}, {"face-data-request": 0.6}, UNSURE, lawful=True))
    assert v.level == "medium"


def test_lawful_context_does_not_excuse_payment_to_a_stranger():
    v = combine(
        signals({"face-data-request": "high"}, {"face-data-request": 0.6}, UNSURE, lawful=True, risk_context=True)
    )
    assert v.level == "high"


def test_the_pattern_classifier_sure_of_a_pattern_it_can_point_at_can_make_a_text_high():
    sure = {"low": 0.05, "medium": 0.1, "high": 0.85}
    v = combine(signals(pattern_p={"gift-qr-lure": 0.95}, level_p=sure, risk_context=True))
    assert v.level == "high"
    # Without a risk context in the text the classifier has to be surer still.
    assert combine(signals(pattern_p={"gift-qr-lure": 0.95}, level_p=sure)).level != "high"
    assert "gift-qr-lure" in v.confidences
    assert any("classifier" in r for r in v.reasons)


def test_the_level_model_alone_never_makes_a_text_high():
    # An unfamiliar text: the level model says high, but no rule fired and no pattern is named.
    v = combine(signals(pattern_p={"gift-qr-lure": 0.3}, level_p={"low": 0.0, "medium": 0.0, "high": 1.0}))
    assert v.level != "high"
    assert v.confidences == {}


def test_a_pattern_without_evidence_in_the_text_cannot_make_it_high():
    sure = {"low": 0.05, "medium": 0.1, "high": 0.85}
    s = Signals(
        rule_levels={},
        pattern_p={p: 0.0 for p in PATTERNS} | {"gift-qr-lure": 0.99},
        level_p=sure,
        lawful=False,
        risk_context=True,
        model_evidence=frozenset(),
    )
    assert combine(s).level != "high"


def test_a_high_verdict_whose_patterns_all_lack_evidence_becomes_medium():
    v = combine(signals({"face-data-request": "high"}, {"face-data-request": 0.6}, UNSURE, risk_context=True))
    assert v.level == "high"
    dropped = without(v, {"face-data-request"})
    assert dropped.level == "medium" and dropped.confidences == {}
    lo, hi = BANDS["medium"]
    assert lo <= dropped.score < hi


def test_every_verdict_says_why():
    for s in (signals(), signals({"gift-qr-lure": "medium"}, level_p=UNSURE), signals(aware=True)):
        assert combine(s).reasons


def test_a_decisive_rule_names_itself_in_the_reasons():
    s = Signals(
        rule_levels={"face-data-request": "high"},
        pattern_p={p: 0.0 for p in PATTERNS},
        level_p=UNSURE,
        lawful=False,
        risk_context=False,
        decisive=frozenset({"face-data-request"}),
        rule_names={"face-data-request": "人脸解封"},
    )
    assert "decisive rule: 人脸解封 (face-data-request)" in combine(s).reasons


def test_nothing_recognised_is_low_with_no_patterns():
    v = combine(signals())
    assert v.level == "low"
    assert v.confidences == {}


def test_a_medium_rule_gives_medium():
    v = combine(signals({"gift-qr-lure": "medium"}, level_p=UNSURE))
    assert v.level == "medium"


def test_the_classifier_being_sure_of_lawful_overrides_a_lone_rule_hit():
    v = combine(signals({"gift-qr-lure": "high"}, level_p={"low": 0.95, "medium": 0.04, "high": 0.01}))
    assert v.level != "high"


def test_scores_fall_inside_their_level_band():
    cases = [
        signals(),
        signals({"gift-qr-lure": "medium"}, level_p=UNSURE),
        signals({"face-data-request": "high"}, level_p=UNSURE, risk_context=True),
        signals(level_p={"low": 0.0, "medium": 0.0, "high": 1.0}),
    ]
    for s in cases:
        v = combine(s)
        lo, hi = BANDS[v.level]
        assert lo <= v.score <= hi


def test_a_decisive_rule_is_not_overruled_by_a_classifier_that_finds_the_text_lawful():
    lawful_looking = {"low": 0.7, "medium": 0.1, "high": 0.2}
    plain = combine(signals({"fake-authority": "high"}, {"fake-authority": 0.3}, lawful_looking))
    decisive = combine(
        Signals(
            rule_levels={"fake-authority": "high"},
            pattern_p={p: 0.0 for p in PATTERNS} | {"fake-authority": 0.3},
            level_p=lawful_looking,
            lawful=False,
            risk_context=False,
            decisive=frozenset({"fake-authority"}),
        )
    )
    assert plain.level != "high"
    assert decisive.level == "high"
    assert "fake-authority" in decisive.confidences


def test_a_warning_is_never_high_even_when_the_classifier_is_sure():
    sure = {"low": 0.05, "medium": 0.05, "high": 0.9}
    assert combine(signals(pattern_p={"gift-qr-lure": 0.99}, level_p=sure, aware=True)).level != "high"
    assert combine(signals({"gift-qr-lure": "high"}, {"gift-qr-lure": 0.9}, sure, aware=True)).level != "high"


def test_a_service_message_sending_a_code_keeps_a_rule_hit_below_high():
    s = Signals(
        rule_levels={"gift-qr-lure": "high"},
        pattern_p={p: 0.0 for p in PATTERNS} | {"gift-qr-lure": 0.9},
        level_p={"low": 0.6, "medium": 0.2, "high": 0.2},
        lawful=False,
        risk_context=True,
        service=True,
    )
    v = combine(s)
    assert v.level == "low"
    assert any("service" in r for r in v.reasons)


def impersonating(**extra) -> Signals:
    base = dict(
        rule_levels={"gift-qr-lure": "high"},
        pattern_p={p: (0.6 if p == "gift-qr-lure" else 0.0) for p in PATTERNS},
        level_p=UNSURE,
        lawful=True,  # "官网", "我行": the bank's words the phishing borrows
        risk_context=False,
        rule_names={"gift-qr-lure": "积分可兑换现金要登录网址"},
    )
    base.update(extra)
    return Signals(**base)


def test_an_impersonating_rule_is_not_capped_by_the_lawful_words_it_borrows():
    plain = combine(impersonating())
    assert plain.level == "medium" and "capped: lawful context and no risk cue" in plain.reasons
    v = combine(impersonating(impersonation=frozenset({"gift-qr-lure"})))
    assert v.level == "high" and "gift-qr-lure" in v.confidences
    assert any("impersonates" in r for r in v.reasons)


@pytest.mark.parametrize("context", [{"aware": True}, {"service": True}])
def test_a_warning_or_a_service_message_still_caps_an_impersonating_rule(context):
    v = combine(impersonating(impersonation=frozenset({"gift-qr-lure"}), **context))
    assert v.level != "high"
