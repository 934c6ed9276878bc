"""Redaction runs before anything is assessed or stored; each kind, with valid and invalid check digits."""

import re

import pytest

from checker.privacy import (
    PLACEHOLDER,
    describe,
    id_checksum_ok,
    is_bank_card,
    is_id_number_15,
    is_id_number_18,
    luhn_ok,
    redact,
)

VALID_ID_18 = "11010519491231002X"  # GB 11643's own example, check character X
VALID_ID_18_DIGIT = "440308199001011239"
VALID_ID_15 = "110105491231002"  # born 1949-12-31
VALID_CARD_19 = "6222021234567890128"
VALID_CARD_16 = "6234567890123451"


# --- Check digits ---------------------------------------------------------------------------


@pytest.mark.parametrize("number", [VALID_ID_18, VALID_ID_18.lower(), VALID_ID_18_DIGIT])
def test_id_checksum_accepts_valid_numbers(number):
    assert id_checksum_ok(number)


@pytest.mark.parametrize(
    "number",
    ["110105194912310021", "440308199001011238", "11010519491231002Y", "1101051949123100", "ABCDEFGHIJKLMNOPQR"],
)
def test_id_checksum_rejects_wrong_check_digits_and_shapes(number):
    assert not id_checksum_ok(number)


def test_an_18_digit_id_needs_a_real_birth_date_too():
    # Correct check digit, but born on 13/45: not an ID number.
    fake = "11010519491345"  # prefix with an impossible month
    for last in "0123456789X":
        candidate = fake + "002" + last
        if id_checksum_ok(candidate):
            assert not is_id_number_18(candidate)
            break
    else:
        pytest.fail("no checksum-valid candidate found")


def test_a_15_digit_id_is_recognised_by_its_birth_date():
    assert is_id_number_15(VALID_ID_15)
    assert not is_id_number_15("110105491331002")  # month 13
    assert not is_id_number_15("010105491231002")  # area code cannot start with 0


@pytest.mark.parametrize("number", [VALID_CARD_19, VALID_CARD_16, "4111111111111111"])
def test_luhn_accepts_valid_card_numbers(number):
    assert luhn_ok(number)
    assert is_bank_card(number)


@pytest.mark.parametrize("number", ["6222021234567890127", "6234567890123452", "4111111111111112"])
def test_luhn_rejects_a_wrong_last_digit(number):
    assert not luhn_ok(number)
    assert not is_bank_card(number)


def test_short_or_empty_runs_are_no_bank_cards():
    assert not is_bank_card("0000000000000000")
    assert not is_bank_card("4242424242424")  # 13 digits: Luhn-valid, but not a card issued in China


# --- Redaction in text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (f"身份证号{VALID_ID_18}，请核对", "id_card"),
        (f"身份证号{VALID_ID_18_DIGIT}", "id_card"),
        ("身份证 110105 19491231 002X", "id_card"),
        (f"老身份证{VALID_ID_15}", "id_card"),
        (f"卡号{VALID_CARD_19}", "bank_card"),
        ("卡号 6234 5678 9012 3451 转账", "bank_card"),
        ("卡号6222-0212-3456-7890-128", "bank_card"),
        ("电话13812345678", "mobile"),
        ("电话 138 1234 5678", "mobile"),
        ("电话138-1234-5678", "mobile"),
        ("电话+86 13812345678", "mobile"),
        ("邮箱 zhang.san+job@example.com.cn 联系", "email"),
        ("发到12345678@qq.com", "email"),
        ("QQ：123456789", "qq"),
        ("qq号是 987654321", "qq"),
        ("加扣扣12345", "qq"),
        ("微信：abc_12345", "wechat"),
        ("加我vx: wxid_abc123", "wechat"),
        ("微信号是Zhang-San88", "wechat"),
        ("V信 lucky_2024", "wechat"),
    ],
)
def test_it_redacts_each_kind_of_personal_number(text, kind):
    result = redact(text)
    assert PLACEHOLDER in result.text
    assert result.counts == {kind: 1}
    # Nothing of the number survives, not even a tail after a space or hyphen.
    assert not re.search(r"[0-9]{4}", result.text), result.text


def test_full_width_digits_are_caught_too():
    result = redact("手机１３８１２３４５６７８")
    assert result.text == f"手机{PLACEHOLDER}"
    assert result.counts == {"mobile": 1}


@pytest.mark.parametrize(
    "text",
    [
        "身份证号110105194912310021",  # wrong check digit
        "卡号6222021234567890127",  # fails Luhn
        "订单号202401011234567890123",  # 21 digits: none of the kinds
        "金额 100 元，验证码 482913",
        "电话12812345678",  # no mobile prefix 12x
        "客服电话 95588",
        "加微信领取",  # label, but no id after it
        "QQ群很多人",
        "2024年3月15日下午3点",
        "",
    ],
)
def test_it_leaves_numbers_that_fail_their_checks(text):
    result = redact(text)
    assert result.text == text
    assert result.counts == {}


def test_a_number_glued_to_letters_is_left_alone():
    # Part of a longer code, not a number on its own.
    assert redact(f"CODE{VALID_CARD_16}A").counts == {}


def test_the_label_stays_and_only_the_value_goes():
    result = redact("QQ：123456789，微信：abc_12345")
    assert result.text == f"QQ：{PLACEHOLDER}，微信：{PLACEHOLDER}"
    assert result.counts == {"qq": 1, "wechat": 1}


def test_it_counts_several_numbers_of_each_kind():
    text = f"我叫张三，身份证{VALID_ID_18}，手机13812345678，备用13912345678，卡号{VALID_CARD_19}"
    result = redact(text)
    assert result.counts == {"bank_card": 1, "id_card": 1, "mobile": 2}
    assert result.text == f"我叫张三，身份证{PLACEHOLDER}，手机{PLACEHOLDER}，备用{PLACEHOLDER}，卡号{PLACEHOLDER}"


def test_an_18_digit_bank_card_is_not_taken_for_an_id_number():
    card = "621700123456789011"
    assert luhn_ok(card) and not id_checksum_ok(card)
    assert redact(f"卡号{card}").counts == {"bank_card": 1}


def test_redaction_never_makes_a_text_longer():
    text = "a@b.cn QQ:12345 vx:abcdef " * 50
    assert len(redact(text).text) <= len(text)


def test_the_person_is_told_what_was_removed_and_why():
    removed = redact(f"手机13812345678 身份证{VALID_ID_18}").removed
    assert [item["label"] for item in removed] == ["身份证号", "手机号"]
    assert all(item["why"] for item in removed)
    assert describe({}) == []


def test_the_placeholder_carries_no_digits_or_kind_words():
    # A kind word such as "身份证" in the placeholder would be read by the engine as written by the person.
    assert not any(c.isdigit() for c in PLACEHOLDER)
    for word in ("身份证", "手机", "银行卡", "微信", "QQ"):
        assert word not in PLACEHOLDER
