"""Redaction: personal numbers and ids are removed before anything is assessed, stored or shown.

People paste whole chat logs, and those often carry their own ID-card number, phone or bank card.
None of that is needed to recognise a scam, so it is replaced by a neutral placeholder first::

    >>> r = redact("我的手机13812345678，卡号6222021234567890128")
    >>> r.text
    '我的手机〔已隐去〕，卡号〔已隐去〕'
    >>> r.counts
    {'bank_card': 1, 'mobile': 1}

People write numbers the way they type, not the way a form wants them: ``138.1234.5678``, every
digit spaced, full-width digits with an IME's ideographic space, ``一三八幺二三四…``, ``壹贰叁``, a
zero-width space inside, ``sfz1101…``, ``a(at)b。com``. So nothing is matched on the raw text.
Each detector runs on a *view* of it (a rewritten copy that remembers, for every character, where in
the person's text it came from) and what it finds is cut out of the person's own text:

* the *folded* view: full width → half width, lower case, Chinese numerals → digits, invisible
  characters dropped; structured numbers with their separators, e-mails, QQ and WeChat ids;
* the *joined* view: the engine's own normalisation (``checker.analysis.normalize``: traditional →
  simplified, sfz/yhk/vx → 身份证/银行卡/微信, spaced digits joined), then Chinese numerals → digits
  and any short run of spaces, dots, slashes or dashes between two digits removed;
* the *e-mail* view: the folded view with ``(at)``, spaces around ``@`` and ``。`` between letters
  repaired.

A number is removed when it really looks like one of these kinds (an ID number's check digit, a bank
card's Luhn digit, a mobile prefix), so order numbers and amounts stay readable; but a digit run of
ID or card length right after an ID or card word (身份证号, 卡号, sfz …) goes even when its check
digit is wrong, because a person who mistyped one digit has still shared the other seventeen.
The placeholder is neutral on purpose: a word like "身份证号" in it would be read by the engine as
if the person had written it. It is never longer than what it replaces, so a text within the
length limit stays within it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from checker.analysis.normalize import normalize

PLACEHOLDER = "〔已隐去〕"

# What each kind is called and why it should not be shared, shown to the person after redaction.
# The order is also the priority when two findings overlap (an e-mail's digits are not a QQ number).
KINDS: dict[str, tuple[str, str]] = {
    "id_card": ("身份证号", "身份证号配上照片或验证码，就能被冒名注册账号、开银行卡、办贷款。"),
    "bank_card": ("银行卡号", "银行卡号会被拿去冒用、转账或“跑分”洗钱，出租出借银行卡本身就违法。"),
    "mobile": ("手机号", "手机号是接收验证码、找回账号的钥匙，也会招来更多骚扰和诈骗电话。"),
    "email": ("电子邮箱", "邮箱常用来找回密码，公开后容易被撞库、钓鱼。"),
    "qq": ("QQ号", "骗子会用QQ号加你好友、冒充熟人或继续诱导你。"),
    "wechat": ("微信号", "骗子会用微信号加你好友、冒充熟人或继续诱导你。"),
}
_PRIORITY = {"email": 0, "id_card": 1, "bank_card": 2, "mobile": 3, "qq": 4, "wechat": 5}

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"

# Digits as people write them out: 一三八, 幺 (1 read aloud), 〇/零/○, and the financial capitals
# 壹贰叁 (traditional forms too). Only digit-by-digit numerals: 十, 百 and 万 make amounts, not numbers.
CHINESE_DIGITS: dict[str, str] = {
    **dict.fromkeys("〇零○", "0"),
    **dict.fromkeys("一壹幺", "1"),
    **dict.fromkeys("二贰貳", "2"),
    **dict.fromkeys("三叁參参", "3"),
    **dict.fromkeys("四肆", "4"),
    **dict.fromkeys("五伍", "5"),
    **dict.fromkeys("六陆陸", "6"),
    **dict.fromkeys("七柒", "7"),
    **dict.fromkeys("八捌", "8"),
    **dict.fromkeys("九玖", "9"),
}
_CHINESE_DIGITS_TABLE = str.maketrans(CHINESE_DIGITS)


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


# --- Check digits ----------------------------------------------------------------------------


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


# --- Views: rewritten text that remembers where each character came from ----------------------


@dataclass(frozen=True)
class _View:
    text: str
    # For each character of ``text``: the [start, end) range of the person's text it came from.
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


def _rewrite(view: _View, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]) -> _View:
    """Replace every match of ``pattern``; each new character maps to the whole range it replaced."""
    if not pattern.search(view.text):
        return view
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for m in pattern.finditer(view.text):
        out.append(view.text[pos : m.start()])
        starts += view.starts[pos : m.start()]
        ends += view.ends[pos : m.start()]
        repl = replace(m)
        if repl:
            out.append(repl)
            starts += [view.starts[m.start()]] * len(repl)
            ends += [view.ends[m.end() - 1]] * len(repl)
        pos = m.end()
    out.append(view.text[pos:])
    starts += view.starts[pos:]
    ends += view.ends[pos:]
    return _View("".join(out), tuple(starts), tuple(ends))


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch in "\n\t\r":
        return " "
    if unicodedata.category(ch) in ("Cc", "Cf"):
        return ""  # zero-width space, soft hyphen, BOM, direction marks: typed to split a number
    return unicodedata.normalize("NFKC", ch).lower().translate(_CHINESE_DIGITS_TABLE)


def _folded_view(text: str) -> _View:
    pieces = list(map(_fold_char, text))
    folded = "".join(pieces)
    if len(folded) == len(text) and "" not in pieces:
        # Every character folded to exactly one (nearly every text): character i came from character i.
        return _View(folded, tuple(range(len(text))), tuple(range(1, len(text) + 1)))
    starts: list[int] = []
    ends: list[int] = []
    for i, piece in enumerate(pieces):
        starts += [i] * len(piece)
        ends += [i + 1] * len(piece)
    return _View(folded, tuple(starts), tuple(ends))


# Between two digits: spaces (two, a tab, a newline), dots, slashes, dashes, middle dots. Never a
# comma or colon, so "13:05" and "1,000" next to a number are not glued onto it.
# An ID number's check character counts as a digit here: "… 0 0 0 X".
_BETWEEN_DIGITS = re.compile(r"(?<=[0-9])[\s./\\\-_·•・|]{1,3}(?=[0-9]|x(?![a-z0-9]))")


def _joined_view(text: str) -> _View:
    normalized = normalize(text)
    view = _View(normalized.text.translate(_CHINESE_DIGITS_TABLE), tuple(normalized.starts), tuple(normalized.ends))
    return _rewrite(view, _BETWEEN_DIGITS, lambda m: "")


_AT = re.compile(r"\s*(?:@|\(at\)|\[at\]|\{at\}|<at>|【at】|〔at〕|「at」)\s*")
_DOT = re.compile(r"(?<=[a-z0-9])\s*(?:\.|。|\(dot\)|\[dot\]|【dot】|点(?=com|cn|net|org))\s*(?=[a-z0-9])")


def _email_view(folded: _View) -> _View:
    return _rewrite(_rewrite(folded, _AT, lambda m: "@"), _DOT, lambda m: ".")


# --- Detectors: each yields (kind, start, end) in its view's coordinates ----------------------

_Finding = tuple[str, int, int]

_EMAIL = re.compile(r"[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}(?![a-z0-9])")

# A separator inside a number as it is written: "138 1234 5678", "6222-0212-…", "138.1234.5678".
_SEP = r"[\s./\\\-_·•・|]{0,3}"
_STRUCTURED: tuple[tuple[str, re.Pattern[str], Callable[[str], bool]], ...] = (
    # ID numbers before bank cards (the check digit is stricter than Luhn): an 18-digit card is no ID.
    ("id_card", re.compile(rf"[1-9][0-9]{{5}}{_SEP}(?:18|19|20)[0-9]{{6}}{_SEP}[0-9]{{3}}[0-9x]"), is_id_number_18),
    ("bank_card", re.compile(rf"[0-9]{{4}}(?:{_SEP}[0-9]{{4}}){{3}}(?:{_SEP}[0-9]{{1,3}})?"), is_bank_card),
    ("mobile", re.compile(rf"(?:(?:\+|00)?86{_SEP})?1[3-9][0-9]{_SEP}[0-9]{{4}}{_SEP}[0-9]{{4}}"), lambda d: True),
)

# On the joined view a number is one unbroken run, so the run itself is checked.
_RUN = re.compile(r"(?<![0-9])\+?[0-9]+x?(?![0-9])")

# An ID or card word shortly before a run of the right length means the run is that, check digit or not.
_ID_WORDS = r"身份证|身分证|证件|(?<![a-z])id|sfz"
_CARD_WORDS = r"银行卡|卡号|储蓄卡|信用卡|借记卡|账号|帐号|账户|户号|card|yhk"
_NEAR = r"[^0-9]{0,8}$"
_ID_NEAR = re.compile(rf"(?:{_ID_WORDS}){_NEAR}")
_CARD_NEAR = re.compile(rf"(?:{_CARD_WORDS}){_NEAR}")

# QQ and WeChat ids look like any other word or number, so only the value right after a label is
# taken: "QQ：12345678", "扣扣号是 12345678", "Q号 12345678", "加我vx: abc_12345", "V：abc123", "薇：abc123".
_LABEL_TAIL = r"(?:号码|号|號|帐号|账号|帳號|id)?\s*(?:是|为|為)?\s*[:]?\s*"
_QQ = re.compile(
    r"(?:(?<![a-z])qq|扣扣|抠抠|企鹅|(?<![a-z])q(?=\s*(?:号|號|[:]))|(?<=加)q(?![a-z]))"
    + _LABEL_TAIL
    + r"([1-9][0-9]{4,11})(?![0-9])"
)
_WECHAT = re.compile(
    r"(?:微\s*信|薇\s*信|威\s*信|维\s*信|維\s*信|徽\s*信|卫\s*星|衛\s*星|v\s*信"
    r"|(?<![a-z])(?:vx|wx|weixin|wechat|wei\s*xin)(?![a-z])"
    r"|(?<![a-z])v(?=\s*[:])|(?<=加)\s*v(?![a-z])|(?<=加)[微薇威]|薇(?=\s*[:]))"
    + _LABEL_TAIL
    + r"([a-z][a-z0-9_\-]{5,19})(?![a-z0-9_\-])"
)


def _glued_on_both_sides(text: str, start: int, end: int) -> bool:
    """A Latin letter or digit right before and right after ``text[start:end]``, the person's own text.

    "CODE6234567890123451A" is part of a longer code; "tel13812345678" or "yhk6222…" is a label glued
    onto a number, so a letter on one side only does not protect it. Judged on the person's text, not
    a view: the engine's normalisation turns "code" into Chinese.
    """

    def alnum(i: int) -> bool:
        folded = _fold_char(text[i])
        return bool(folded) and folded[0].isascii() and folded[0].isalnum()

    return start > 0 and alnum(start - 1) and end < len(text) and alnum(end)


def _structured(view: _View) -> Iterator[_Finding]:
    text = view.text
    for kind, pattern, valid in _STRUCTURED:
        for m in pattern.finditer(text):
            start, end = m.span()
            if start > 0 and text[start - 1].isdigit() or end < len(text) and text[end].isdigit():
                continue
            if not valid(_digits(m.group(0))):
                continue
            yield kind, start, end


def _run_kind(run: str, before: str) -> str | None:
    digits = run.lstrip("+")
    if digits.startswith(("0086", "86")) and re.fullmatch(r"(?:00)?861[3-9][0-9]{9}", digits):
        return "mobile"
    if is_id_number_18(digits) or is_id_number_15(digits):
        return "id_card"
    if is_bank_card(digits):
        return "bank_card"
    if re.fullmatch(r"1[3-9][0-9]{9}", digits):
        return "mobile"
    # A mistyped digit: the length and the word before it still say what it is.
    if _ID_NEAR.search(before) and len(digits) in (15, 17, 18):
        return "id_card"
    if _CARD_NEAR.search(before) and 15 <= len(digits) <= 19 and digits.isdigit():
        return "bank_card"
    return None


def _runs(view: _View, unclassified: list[int]) -> Iterator[_Finding]:
    """Whole digit runs of the joined view; the length of each run no kind explains goes to ``unclassified``."""
    text = view.text
    for m in _RUN.finditer(text):
        start, end = m.span()
        if end - start < 11:
            continue
        before = text[max(0, start - 24) : start]
        kind = _run_kind(m.group(0), before)
        if kind is None and m.group(0).endswith("x"):  # "13812345678x": the x is no check character
            end -= 1
            kind = _run_kind(m.group(0)[:-1], before)
        if kind is None:
            unclassified.append(end - start)
        else:
            yield kind, start, end


def _emails(view: _View) -> Iterator[_Finding]:
    for m in _EMAIL.finditer(view.text):
        yield "email", m.start(), m.end()


def _labelled(view: _View) -> Iterator[_Finding]:
    for kind, pattern in (("qq", _QQ), ("wechat", _WECHAT)):
        for m in pattern.finditer(view.text):
            yield kind, m.start(1), m.end(1)


# Most texts hold no number and no label at all: nothing to fold then.
_MAYBE = re.compile(
    "[0-9０-９@＠" + "".join(CHINESE_DIGITS) + r"]|\(at\)|\[at\]|微|薇|威|維|维|徽|卫星|衛星|v|wx|q|扣|抠|企鹅",
    re.IGNORECASE,
)
_DIGITLIKE = re.compile("[0-9]")
_LABEL_HINT = re.compile("q|扣|抠|企鹅|微|薇|威|維|维|徽|卫星|衛星|v|wx|wechat|weixin")
_QQ_HINT = re.compile("q|扣|抠|企鹅")


def _findings(text: str) -> list[tuple[str, int, int]]:
    """Everything to remove, as (kind, start, end) in the person's own text."""
    folded = _folded_view(text)
    found: list[tuple[str, int, int]] = []

    def keep(view: _View, findings: Iterator[_Finding], *, numbers: bool = False) -> None:
        for kind, start, end in findings:
            start, end = view.to_original(start, end)
            if not (numbers and _glued_on_both_sides(text, start, end)):
                found.append((kind, start, end))

    if "@" in folded.text or "at" in folded.text:
        emails = _email_view(folded)
        keep(emails, _emails(emails))
    if _LABEL_HINT.search(folded.text):
        keep(folded, _labelled(folded))
    digits = len(_DIGITLIKE.findall(folded.text))
    needs_qq = digits >= 5 and _QQ_HINT.search(folded.text)
    joined = _joined_view(text) if digits >= 11 or needs_qq else None
    if joined is not None and digits >= 11:  # the shortest number found in a run, a mobile
        unclassified: list[int] = []
        keep(joined, _runs(joined, unclassified), numbers=True)
        if unclassified:
            # Joining the separators glued a number onto its neighbours ("13812345678 2024年"), or
            # a run is no number at all: look for numbers in their written shape too.
            keep(folded, _structured(folded), numbers=True)
    if joined is not None and needs_qq:  # "扣扣 1234 5678": a spaced QQ number
        keep(joined, _labelled(joined))
    return found


def _merge(found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Overlapping findings become one span (nothing of either survives) of the higher-priority kind."""
    merged: list[tuple[str, int, int]] = []
    for kind, start, end in sorted(found, key=lambda f: (f[1], -f[2])):
        if merged and start < merged[-1][2]:
            last_kind, last_start, last_end = merged[-1]
            best = min(last_kind, kind, key=_PRIORITY.__getitem__)
            merged[-1] = (best, last_start, max(last_end, end))
        else:
            merged.append((kind, start, end))
    return merged


def redact(text: str) -> Redaction:
    """Replace ID, bank-card and mobile numbers, e-mail addresses and labelled QQ/WeChat ids."""
    if not _MAYBE.search(text):
        return Redaction(text=text, counts={})
    counts: Counter[str] = Counter()
    out: list[str] = []
    pos = 0
    for kind, start, end in _merge(_findings(text)):
        counts[kind] += 1
        out.append(text[pos:start])
        # Never longer than what it replaces: every kind found is at least five characters long.
        out.append(PLACEHOLDER)
        pos = end
    out.append(text[pos:])
    return Redaction(text="".join(out), counts=dict(sorted(counts.items())))
