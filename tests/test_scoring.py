from checker.analysis.scoring import BANDS, Signals, combine

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


def test_the_classifier_alone_can_make_a_text_high():
    v = combine(signals(pattern_p={"gift-qr-lure": 0.9}, level_p={"low": 0.05, "medium": 0.1, "high": 0.85}))
    assert v.level == "high"
    assert "gift-qr-lure" in v.confidences


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


def test_a_warning_with_no_request_in_it_is_never_high_on_the_classifier_alone():
    sure = {"low": 0.05, "medium": 0.05, "high": 0.9}
    assert combine(signals(level_p=sure, aware=True, risk_context=False)).level != "high"
    assert combine(signals(level_p=sure, aware=True, risk_context=True)).level == "high"
