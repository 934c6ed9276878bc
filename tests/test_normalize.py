import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.analysis.normalize import _fold, _fold_char, normalize


def original(text: str, start: int, end: int) -> str:
    n = normalize(text)
    a, b = n.span_to_original(start, end)
    return text[a:b]


def test_full_width_letters_and_digits_become_half_width():
    assert normalize("ＡＰＰ注册送５０元").text == "app注册送50元"


def test_traditional_characters_become_simplified_with_offsets_kept():
    text = "手持證件照換錢"
    n = normalize(text)
    assert n.text == "手持证件照换钱"
    assert original(text, 2, 5) == "證件照"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("加我vx", "加我微信"),
        ("发sfz照片", "发身份证照片"),
        ("收yhk", "收银行卡"),
        ("薇信号", "微信号"),
        ("扣扣号", "qq号"),
    ],
)
def test_common_evasions_are_mapped(raw, expected):
    assert normalize(raw).text == expected


def test_an_evasion_maps_back_to_the_letters_the_person_typed():
    text = "请把ｓｆｚ给他"
    n = normalize(text)
    start = n.text.index("身份证")
    assert original(text, start, start + 3) == "ｓｆｚ"


def test_spaced_digits_are_joined():
    assert "13800" in normalize("电话 1 3 8 0 0").text


def test_invisible_and_control_characters_are_dropped_but_offsets_still_match():
    text = "身\u200b份\u0000证"
    n = normalize(text)
    assert n.text == "身份证"
    assert original(text, 0, 3) == text


def test_emoji_and_english_pass_through():
    n = normalize("Hello 😀 world")
    assert n.text == "hello 😀 world"
    assert len(n.starts) == len(n.text)


def test_english_words_for_the_same_things_are_mapped_as_whole_words():
    n = normalize("Someone wants to rent my Bank Card and my parent's ID card")
    assert "出租" in n.text and "银行卡" in n.text and "身份证" in n.text
    assert "parent" in n.text  # "rent" inside "parent" is left alone


def test_an_english_word_maps_back_to_the_english_the_person_typed():
    text = "rent my bank card"
    n = normalize(text)
    start = n.text.index("银行卡")
    assert original(text, start, start + 3) == "bank card"


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_folding_a_whole_text_equals_folding_it_character_by_character(text):
    # _fold takes a shortcut when every character folds to exactly one; the offsets must not change.
    expected = [(piece, i) for i, ch in enumerate(text) for piece in _fold_char(ch)]
    folded, starts, ends = _fold(text)
    assert folded == "".join(piece for piece, _ in expected)
    assert starts == [i for _, i in expected]
    assert ends == [i + 1 for _, i in expected]


def test_the_fold_table_stays_bounded_however_many_characters_arrive():
    # Odd input (every CJK character, then more) must not grow the process's table without end.
    from checker.analysis.normalize import _FOLDED

    text = "".join(map(chr, range(0x4E00, 0x4E00 + 25000)))
    folded, _, _ = _fold(text)
    assert len(_FOLDED) <= 20000
    assert folded == "".join(_fold_char(ch) for ch in text)


@pytest.mark.parametrize("text", ["ｓｆｚ", "a\u200bb", "ﬁle", "line\r\nbreak", "İstanbul"])
def test_folding_keeps_offsets_when_characters_vanish_or_expand(text):
    folded, starts, ends = _fold(text)
    assert len(folded) == len(starts) == len(ends)
    assert all(0 <= s < e <= len(text) for s, e in zip(starts, ends, strict=True))


def test_filler_words_go_only_from_texts_written_mostly_in_english():
    # Dropped filler keeps an English offer's cues within a rule's window…
    assert normalize("He wants to rent out my bank card").text.replace(" ", "") == "出租银行卡"
    # Judged on what the person typed: swapping "rent out" and "bank card" for Chinese first would
    # leave fewer letters than characters and keep "my".
    assert normalize("rent out my bank card").text.replace(" ", "") == "出租银行卡"
    # …but a stray Latin letter in a Chinese text is kept: it may be part of a name or a code.
    assert "a" in normalize("我在a区的银行柜台办卡").text


def test_english_phrases_map_inside_mixed_text_and_dollar_amounts_read_as_money():
    assert "实名认证" in normalize("帮我做kyc给200").text
    assert "20元" in normalize("They pay $20 for each selfie").text


def test_face_id_on_ones_own_phone_is_not_a_face_unblocking_service():
    from checker.analysis import assess

    assert assess("I use Face ID to unlock my own iPhone").risk_level != "high"
    assert assess("Someone will pay me to do a face scan to unblock his WeChat account").risk_level == "high"


def test_every_english_entry_is_text():
    # YAML reads a bare on/off/yes/no as a boolean; each one must be quoted in content/english.yaml.
    import yaml

    from checker.analysis import layout

    data = yaml.safe_load(layout.shared_file("english.yaml").read_text(encoding="utf-8"))
    assert all(isinstance(w, str) for w in data["filler"])
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in data["words"].items())


def test_only_a_login_code_reads_as_a_verification_code():
    assert "验证码" in normalize("He asked me to read out the code I just got").text
    for text in ("Use promo code SPRING for 10% off", "What is the zip code of the hotel?", "My pickup code is 3-2-1"):
        assert "验证码" not in normalize(text).text
