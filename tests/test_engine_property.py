from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.analysis import InputError, assess


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_unicode_string_gives_a_valid_result_or_a_clear_error(text):
    try:
        result = assess(text)
    except InputError as exc:
        assert exc.code in {"empty", "too_long"}
        assert exc.message
        return
    assert result.risk_level in {"low", "medium", "high"}
    assert 0.0 <= result.score <= 1.0
    for m in result.patterns:
        assert 0.0 <= m.confidence <= 1.0
        assert m.evidence, "every reported pattern shows evidence"
        for a, b in m.evidence:
            assert 0 <= a < b <= len(text)


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("身份证银行卡验证码刷脸兼职给钱元拍照手持ｓｆｚ０１２ 。，\u200b"), max_size=200)
)
def test_domain_flavoured_noise_never_breaks_evidence_offsets(text):
    try:
        result = assess(text)
    except InputError:
        return
    for m in result.patterns:
        for a, b in m.evidence:
            assert 0 <= a < b <= len(text)
