"""Normalisation with an offset map back into the person's own text.

Everything the engine matches runs on the normalised text; evidence spans are mapped back so that
highlights land on the characters the person typed, full-width and traditional input included::

    >>> n = normalize("交ｓｆｚ給他")
    >>> n.text
    '交身份证给他'
    >>> n.span_to_original(1, 4)
    (1, 4)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import yaml

from checker.analysis import layout

# Evasions people (and scammers) use so that keyword filters miss them. Applied after
# full-width folding and lower-casing; longest first so "vx号" wins over "vx".
EVASIONS: dict[str, str] = {
    "sfz": "身份证",
    "身分证": "身份证",
    "身fen证": "身份证",
    "shen份证": "身份证",
    "yhk": "银行卡",
    "银hang卡": "银行卡",
    "薇信": "微信",
    "威信": "微信",
    "徽信": "微信",
    "v信": "微信",
    "wx": "微信",
    "vx": "微信",
    "微x": "微信",
    "扣扣": "qq",
    "企鹅号": "qq号",
    "zfb": "支付宝",
    "支f宝": "支付宝",
    "yzm": "验证码",
    "验正码": "验证码",
    "dy号": "抖音号",
    "刷lian": "刷脸",
}
_EVASION_RE = re.compile("|".join(re.escape(k) for k in sorted(EVASIONS, key=len, reverse=True)))
# English words for the same things (content/english.yaml), so a message in English or half English
# meets the same rules and features. Read once, on first use.
_DOLLARS_RE = re.compile(r"\$\s?(\d+)")
_LATIN_RE = re.compile(r"[a-z]")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class _English:
    words: dict[str, str]
    words_re: re.Pattern
    filler_re: re.Pattern


@lru_cache(maxsize=1)
def _english() -> _English:
    data = yaml.safe_load(layout.shared_file("english.yaml").read_text(encoding="utf-8"))
    words = {str(k).lower(): str(v) for k, v in data["words"].items()}
    # A letter may not touch either side of a phrase: "rent" stays inside "parent", but "做kyc" maps.
    alternation = "|".join(re.escape(k) for k in sorted(words, key=len, reverse=True))
    filler = "|".join(re.escape(str(w).lower()) for w in data["filler"])
    return _English(
        words=words,
        words_re=re.compile(rf"(?<![a-z])(?:{alternation})(?![a-z])"),
        filler_re=re.compile(rf"(?<![a-z'])(?:{filler})(?![a-z'])\s*"),
    )


# "1 3 8 0 0" → "13800": spaced digits hide numbers from filters.
_SPACED_DIGITS_RE = re.compile(r"(?<=\d)[ \u3000\-·.]+(?=\d)")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@dataclass(frozen=True)
class Normalized:
    text: str
    # For each character of ``text``: the [start, end) range in the original it came from.
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    original_length: int

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return (self.starts[start], self.starts[start]) if start < len(self.starts) else (0, 0)
        return self.starts[start], self.ends[end - 1]


def _fold_char(ch: str) -> str:
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cf", "Cs", "Co", "Cn") and ch not in "\n\t":
        return ""  # control, zero-width, surrogate, private-use, unassigned: never meaningful
    if ch in "\n\t\r":
        return " "
    return unicodedata.normalize("NFKC", ch).lower()


class _FoldTable(dict):
    """Character → its folded form, filled on first sight. Texts share most of their characters, so a
    lookup (in C, through map) nearly always hits; the table is capped so that odd input cannot grow it."""

    def __missing__(self, ch: str) -> str:
        folded = _fold_char(ch)
        if len(self) < 20000:
            self[ch] = folded
        return folded


_FOLDED = _FoldTable()


def _fold(text: str) -> tuple[str, list[int], list[int]]:
    """Step 1 with its offset map: NFKC (full width → half width), lower case, no invisible characters."""
    pieces = list(map(_FOLDED.__getitem__, text))
    folded = "".join(pieces)
    if len(folded) == len(text) and "" not in pieces:
        # Every character folded to exactly one (nearly every text): character i came from character i.
        return folded, list(range(len(text))), list(range(1, len(text) + 1))
    starts: list[int] = []
    ends: list[int] = []
    for i, piece in enumerate(pieces):
        starts += [i] * len(piece)
        ends += [i + 1] * len(piece)
    return folded, starts, ends


def normalize(text: str) -> Normalized:
    # 1. Per character: NFKC (full width → half width), lower case, drop invisible characters.
    folded, starts, ends = _fold(text)

    # 2. Traditional → simplified. OpenCC converts phrases; when the length is kept (nearly always)
    # characters stay aligned, otherwise convert one character at a time to keep the map exact.
    converted = _t2s().convert(folded)
    if len(converted) != len(folded):
        converted = "".join(c2 if len(c2 := _t2s().convert(c)) == 1 else c for c in folded)

    # 3. Evasions and spaced digits: replacements may change length; map each new character to the
    # whole original range of what it replaced.
    text2, starts, ends = _substitute(converted, starts, ends, _EVASION_RE, lambda m: EVASIONS[m.group(0)])
    if _LATIN_RE.search(text2):
        text2, starts, ends = _english_to_chinese(text2, starts, ends)
    text3, starts, ends = _substitute(text2, starts, ends, _SPACED_DIGITS_RE, lambda m: "")
    return Normalized(text3, tuple(starts), tuple(ends), len(text))


def _english_to_chinese(text, starts, ends):
    english = _english()
    # Filler goes only from texts written mostly in English (judged before any word is swapped): in a
    # Chinese text a stray "a" or "i" is part of a name or a code, and the windows already fit.
    mostly_english = len(_LATIN_RE.findall(text)) > len(_CJK_RE.findall(text))
    text, starts, ends = _substitute(text, starts, ends, _DOLLARS_RE, lambda m: m.group(1) + "元")
    text, starts, ends = _substitute(text, starts, ends, english.words_re, lambda m: english.words[m.group(0)])
    if mostly_english:
        text, starts, ends = _substitute(text, starts, ends, english.filler_re, lambda m: "")
    return text, starts, ends


def _substitute(text, starts, ends, pattern, replace):
    if not pattern.search(text):
        return text, starts, ends
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    pos = 0
    for m in pattern.finditer(text):
        for k in range(pos, m.start()):
            out.append(text[k])
            new_starts.append(starts[k])
            new_ends.append(ends[k])
        repl = replace(m)
        if repl:
            s, e = starts[m.start()], ends[m.end() - 1]
            for ch in repl:
                out.append(ch)
                new_starts.append(s)
                new_ends.append(e)
        pos = m.end()
    for k in range(pos, len(text)):
        out.append(text[k])
        new_starts.append(starts[k])
        new_ends.append(ends[k])
    return "".join(out), new_starts, new_ends
