"""Redaction: personal numbers and ids are removed before anything is assessed, stored or shown.

People paste whole chat logs, and those often carry their own ID-card number, phone or bank card.
None of that is needed to recognise a scam, so it is replaced by a neutral placeholder first::

    >>> r = redact("我的手机13812345678，卡号6222021234567890128")
    >>> r.text
    '我的手机〔已隐去〕，卡号〔已隐去〕'
    >>> r.counts
    {'bank_card': 1, 'mobile': 1}

A number is removed only when it really looks like one of these kinds (an ID number's check digit,
a bank card's Luhn digit, a mobile prefix), so order numbers and amounts stay readable.
The placeholder is neutral on purpose: a word like "身份证号" in it would be read by the engine as
if the person had written it. It is never longer than what it replaces, so a text within the
length limit stays within it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

PLACEHOLDER = "〔已隐去〕"

# What each kind is called and why it should not be shared, shown to the person after redaction.
KINDS: dict[str, tuple[str, str]] = {
    "id_card": ("身份证号", "身份证号配上照片或验证码，就能被冒名注册账号、开银行卡、办贷款。"),
    "bank_card": ("银行卡号", "银行卡号会被拿去冒用、转账或“跑分”洗钱，出租出借银行卡本身就违法。"),
    "mobile": ("手机号", "手机号是接收验证码、找回账号的钥匙，也会招来更多骚扰和诈骗电话。"),
    "email": ("电子邮箱", "邮箱常用来找回密码，公开后容易被撞库、钓鱼。"),
    "qq": ("QQ号", "骗子会用QQ号加你好友、冒充熟人或继续诱导你。"),
    "wechat": ("微信号", "骗子会用微信号加你好友、冒充熟人或继续诱导你。"),
}

# Pasted chat logs often carry full-width digits (１３８…); they are folded first so they are caught too.
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ＠．－＋", "0123456789Xx@.-+")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"

# No digit or Latin letter directly before or after: "订单号202401011234567890123" is not an ID number.
_EDGE_BEFORE = r"(?<![0-9A-Za-z])"
_EDGE_AFTER = r"(?![0-9A-Za-z])"
_SEP = r"[ \-]?"  # one optional space or hyphen, as in "138 1234 5678" or "6222-0212-…"


@dataclass(frozen=True)
class Redaction:
    text: str
    # kind → how many were removed, e.g. {"mobile": 2}
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def removed(self) -> list[dict[str, str | int]]:
        """The notice for the person: label, count and why, in a fixed order."""
        return describe(self.counts)


def describe(counts: dict[str, int]) -> list[dict[str, str | int]]:
    return [
        {"kind": kind, "label": label, "count": counts[kind], "why": why}
        for kind, (label, why) in KINDS.items()
        if counts.get(kind)
    ]


def id_checksum_ok(number: str) -> bool:
    """GB 11643 check digit of an 18-character ID number, e.g. ``11010519491231002X``."""
    if not re.fullmatch(r"[0-9]{17}[0-9Xx]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11] == number[17].upper()


def _birth_date_ok(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def is_id_number_18(number: str) -> bool:
    return id_checksum_ok(number) and _birth_date_ok(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def is_id_number_15(number: str) -> bool:
    """First-generation ID numbers: 15 digits, a two-digit birth year, no check digit."""
    return bool(re.fullmatch(r"[1-9][0-9]{14}", number)) and _birth_date_ok(
        1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])
    )


def luhn_ok(number: str) -> bool:
    if not number.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def is_bank_card(number: str) -> bool:
    # UnionPay and the other cards issued in China are 16 to 19 digits; a zero-only run is no card.
    return 16 <= len(number) <= 19 and number.strip("0") != "" and luhn_ok(number)


def _digits(s: str) -> str:
    return re.sub(r"[^0-9Xx]", "", s)


# Each rule: a kind, a pattern, and a check on what the pattern found. Order matters: ID numbers before
# bank cards (the check digit is stricter than Luhn), so an 18-digit card is not taken for an ID.
_Rule = tuple[str, re.Pattern[str], Callable[[str], bool]]
_NUMBER_RULES: tuple[_Rule, ...] = (
    # First, so the digits of "12345678@qq.com" go with the address rather than alone.
    (
        "email",
        re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}" + _EDGE_AFTER),
        lambda m: True,
    ),
    (
        "id_card",
        re.compile(_EDGE_BEFORE + rf"[1-9][0-9]{{5}}{_SEP}(?:18|19|20)[0-9]{{6}}{_SEP}[0-9]{{3}}[0-9Xx]" + _EDGE_AFTER),
        lambda m: is_id_number_18(_digits(m)),
    ),
    (
        "id_card",
        re.compile(_EDGE_BEFORE + r"[1-9][0-9]{14}" + _EDGE_AFTER),
        is_id_number_15,
    ),
    (
        "bank_card",
        re.compile(_EDGE_BEFORE + rf"[0-9]{{4}}(?:{_SEP}[0-9]{{4}}){{3}}(?:{_SEP}?[0-9]{{1,3}})?" + _EDGE_AFTER),
        lambda m: is_bank_card(_digits(m)),
    ),
    (
        "bank_card",
        re.compile(_EDGE_BEFORE + r"[0-9]{16,19}" + _EDGE_AFTER),
        is_bank_card,
    ),
    (
        "mobile",
        re.compile(_EDGE_BEFORE + rf"(?:(?:\+|00)?86{_SEP})?1[3-9][0-9]{_SEP}[0-9]{{4}}{_SEP}[0-9]{{4}}" + _EDGE_AFTER),
        lambda m: True,
    ),
)

# QQ and WeChat ids look like any other word or number, so only the value right after a label is taken:
# "QQ：12345678", "扣扣号是 12345678", "加我vx: abc_12345", "微信号：wxid_abc123".
_LABEL_TAIL = r"(?:号码|号|帐号|账号|ID|id)?\s*(?:是|为)?\s*[:：]?\s*"
_QQ = re.compile(r"(?<![A-Za-z])(?:QQ|qq|Qq|扣扣|企鹅)" + _LABEL_TAIL + r"([1-9][0-9]{4,11})" + _EDGE_AFTER)
_WECHAT = re.compile(
    r"(?:(?<![A-Za-z])(?:vx|VX|Vx|vX|wx|WX|Wx|weixin|WeChat|wechat|V信|v信)|微信|薇信|威信|维信|徽信)"
    + _LABEL_TAIL
    + r"([A-Za-z][A-Za-z0-9_\-]{5,19})"
    + _EDGE_AFTER
)


def redact(text: str) -> Redaction:
    """Replace ID, bank-card and mobile numbers, e-mail addresses and labelled QQ/WeChat ids."""
    text = text.translate(_FULLWIDTH)
    counts: Counter[str] = Counter()

    for kind, pattern, valid in _NUMBER_RULES:

        def replace(m: re.Match[str], kind: str = kind, valid: Callable[[str], bool] = valid) -> str:
            if not valid(m.group(0)):
                return m.group(0)
            counts[kind] += 1
            return PLACEHOLDER

        text = pattern.sub(replace, text)

    for kind, pattern in (("qq", _QQ), ("wechat", _WECHAT)):

        def replace_value(m: re.Match[str], kind: str = kind) -> str:
            counts[kind] += 1
            start, end = m.span(1)
            whole = m.group(0)
            return whole[: start - m.start()] + PLACEHOLDER + whole[end - m.start() :]

        text = pattern.sub(replace_value, text)

    return Redaction(text=text, counts=dict(sorted(counts.items())))
