"""Saving, tokens, the delete key, expiry and highlight segments (checker/results.py)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from checker.analysis import Assessment, PatternMatch
from checker.models import Feedback, Result
from checker.privacy import PLACEHOLDER
from checker.results import (
    Segment,
    delete_with_key,
    hash_key,
    highlight_segments,
    keep_feedback,
    live_result,
    present,
    purge_expired,
    qr_svg,
    save_result,
)

TEXT = "兼职：拍手持身份证照片给200元"


def assessment(text: str = TEXT) -> Assessment:
    # A hand-made engine answer: these tests are about storage, not about judging text.
    return Assessment(
        text=text,
        risk_level="high",
        score=0.93,
        patterns=(PatternMatch("id-photo-collection", 0.91, ((5, 10),), "rules"),),
    )


pytestmark = pytest.mark.django_db


def test_save_result_stores_the_assessment_json_and_returns_a_plain_delete_key():
    result, key = save_result(TEXT, assessment(), redactions={"mobile": 1})
    result.refresh_from_db()
    assert result.redacted_text == TEXT
    assert result.assessment == assessment().to_dict()
    assert result.risk_level == "high"
    assert result.redactions == {"mobile": 1}
    # Only the hash is kept.
    assert key not in result.delete_key_hash
    assert result.delete_key_hash == hash_key(key)


def test_share_tokens_are_url_safe_unique_and_at_least_128_bits():
    tokens = {save_result(TEXT, assessment())[0].token for _ in range(20)}
    assert len(tokens) == 20
    for token in tokens:
        # token_urlsafe: 6 bits per character; 22 characters would be 132 bits.
        assert len(token) * 6 >= 128
        assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_the_public_url_carries_the_token_not_the_primary_key():
    result, _ = save_result(TEXT, assessment())
    assert result.get_absolute_url() == f"/r/{result.token}"


def test_delete_needs_the_right_key_and_works_once():
    result, key = save_result(TEXT, assessment())
    assert not delete_with_key(result, "wrong")
    assert not delete_with_key(result, "")
    assert Result.objects.filter(pk=result.pk).exists()
    assert delete_with_key(result, key)
    assert not Result.objects.filter(pk=result.pk).exists()


def test_live_result_hides_unknown_and_expired_tokens(settings):
    settings.RESULT_RETENTION_DAYS = 30
    fresh, _ = save_result(TEXT, assessment())
    old, _ = save_result(TEXT, assessment())
    Result.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert live_result(fresh.token) == fresh
    assert live_result(old.token) is None
    assert live_result("no-such-token") is None


def test_purge_expired_deletes_old_results_and_feedback_on_their_own_clocks(settings):
    settings.RESULT_RETENTION_DAYS = 180
    settings.FEEDBACK_RETENTION_DAYS = 90
    fresh, _ = save_result(TEXT, assessment())
    old, _ = save_result(TEXT, assessment())
    recent = keep_feedback(old, "不对")
    stale = keep_feedback(old, "也不对")
    Feedback.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=91))
    Result.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=181))

    assert purge_expired() == 1
    assert list(Result.objects.all()) == [fresh]
    # The recent feedback outlives its result, detached, with its own copy of what was judged.
    kept = Feedback.objects.get()
    assert kept.pk == recent.pk and kept.result is None
    assert kept.redacted_text == TEXT and kept.risk_level == old.risk_level


def test_the_purge_command_follows_the_retention_setting(settings, capsys):
    settings.RESULT_RETENTION_DAYS = 7
    result, _ = save_result(TEXT, assessment())
    Result.objects.filter(pk=result.pk).update(created_at=timezone.now() - timedelta(days=8))
    call_command("purge_expired")
    assert "Deleted 1 expired result" in capsys.readouterr().out
    assert not Result.objects.exists()


# --- Highlight segments --------------------------------------------------------------------------


def test_segments_mark_the_evidence_with_its_pattern_number():
    segments = highlight_segments(TEXT, [[(5, 10)]])
    assert "".join(s.text for s in segments) == TEXT
    assert segments == [Segment("兼职：拍手"), Segment("持身份证照", refs=(1,)), Segment("片给200元")]


def test_overlapping_evidence_of_two_patterns_is_split_into_runs():
    segments = highlight_segments("abcdefgh", [[(1, 5)], [(3, 7)]])
    assert [(s.text, s.refs) for s in segments] == [
        ("a", ()),
        ("bc", (1,)),
        ("de", (1, 2)),
        ("fg", (2,)),
        ("h", ()),
    ]


def test_lawful_cues_and_redaction_placeholders_are_marked():
    text = f"在银行柜台办卡，电话{PLACEHOLDER}"
    segments = highlight_segments(text, [], lawful=[(1, 5)])
    assert Segment("银行柜台", lawful=True) in segments
    assert Segment(PLACEHOLDER, redacted=True) in segments


@pytest.mark.parametrize("bad", [[(8, 3)], [(-5, 2)], [(0, 999)], [("x", 2)], [(1,)], [None]])
def test_broken_spans_never_raise_and_never_lose_text(bad):
    segments = highlight_segments("abcdef", [bad])
    assert "".join(s.text for s in segments) == "abcdef"


def test_segments_hold_plain_text_for_the_template_to_escape():
    text = "<script>alert(1)</script>拍身份证"
    segments = highlight_segments(text, [[(25, 28)]])
    assert segments[0].text == "<script>alert(1)</script>"
    assert not hasattr(segments[0].text, "__html__")


# --- What the template gets ------------------------------------------------------------------------


def test_present_quotes_the_evidence_and_explains_redactions():
    result, _ = save_result(TEXT, assessment(), redactions={"id_card": 1})
    context = present(result)
    assert context["level"] == "high"
    assert context["level_info"].word == "高风险"
    assert context["patterns"][0]["quotes"] == ["持身份证照"]
    assert context["patterns"][0]["number"] == 1
    assert [r["label"] for r in context["removed"]] == ["身份证号"]
    assert context["expires_at"] > timezone.now()


def test_the_low_level_sentence_says_it_is_not_a_guarantee():
    low = Assessment(text="去银行柜台办卡", risk_level="low", score=0.05, patterns=())
    result, _ = save_result("去银行柜台办卡", low)
    assert "不等于保证安全" in present(result)["level_info"].sentence


def test_the_qr_code_is_an_inline_svg_without_styles_or_scripts():
    svg = str(qr_svg("https://example.com/r/abc"))
    assert svg.startswith("<svg") and 'class="qr"' in svg
    assert "style" not in svg and "<script" not in svg
