"""What OCR read, minus the screen around the message: the text a person would have typed.

A phone screenshot carries a status bar (clock, carrier, signal, battery), the contact's name,
time stamps and buttons. None of it is the offer, and some of it looks like one to the engine
(``87%``, ``10:15``, a name). Each line OCR returns is dropped when it is one of these, with the
reason kept for the tests and for debugging; the rest is joined back into the message, lines of one
bubble into one sentence::

    >>> message_text(reading)                 # a chat screenshot
    '兼职招聘：在家拍一张手持身份证正反面的照片，审核通过就给200元。\\n真的吗？'
    >>> [(line.text, why) for line, why in dropped(reading)][:3]
    [('9:41', 'status bar'), ('中国移动 5G', 'status bar'), ('87%', 'status bar')]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    text: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels
    score: float = 1.0

    @property
    def height(self) -> float:
        return max(1.0, self.box[3] - self.box[1])

    @property
    def centre_x(self) -> float:
        return (self.box[0] + self.box[2]) / 2

    @property
    def centre_y(self) -> float:
        return (self.box[1] + self.box[3]) / 2


@dataclass(frozen=True)
class Reading:
    width: int
    height: int
    lines: tuple[Line, ...]
    qr: tuple[str, ...] = ()


# The status bar is the top few percent of a phone screen (~50 px of a 1560 px one, ~90 of 2400).
STATUS_BAND = 0.04
# The contact's name (or the SMS sender) sits in the header bar just under it.
HEADER_BAND = 0.12
# OCR of less than this confidence is noise (an icon read as letters).
MIN_SCORE = 0.5

_CLOCK = r"(?:(?:上午|下午|晚上|凌晨|中午|早上|傍晚)\s*)?\d{1,2}\s*[:：]\s*\d{2}(?:\s*[AaPp][Mm])?"
_WEEKDAY = r"(?:星期|周|礼拜)[一二三四五六日天]"
_DAY = rf"(?:昨天|今天|前天|刚刚|{_WEEKDAY}|(?:\d{{2,4}}\s*[年/.\-]\s*)?\d{{1,2}}\s*[月/.\-]\s*\d{{1,2}}\s*日?)"
TIME_STAMP = re.compile(rf"(?:{_DAY}\s*(?:{_WEEKDAY})?\s*(?:{_CLOCK})?|{_CLOCK})")
CARRIER = re.compile(
    r"(?:中国)?(?:移动|联通|电信|广电)|China\s*(?:Mobile|Unicom|Telecom)|CMCC|CUCC|CTCC", re.IGNORECASE
)
NETWORK = re.compile(r"(?:[2345]G|LTE|VoLTE|HD|Wi-?Fi|E|H\+?|NFC)", re.IGNORECASE)
BATTERY = re.compile(r"\d{1,3}\s*%")
# Labels of a chat's or SMS app's buttons, compared without spaces. Not 红包 or 转账: their bubbles are offers.
BUTTONS = frozenset(
    {
        "发送",
        "按住说话",
        "松开发送",
        "输入消息",
        "发消息",
        "发信息",
        "短信",
        "信息",
        "短信/彩信",
        "彩信",
        "iMessage",
        "文本信息",
        "回复",
        "复制",
        "转发",
        "删除",
        "撤回",
        "引用",
        "多选",
        "收藏",
        "提醒",
        "翻译",
        "更多",
        "返回",
        "取消",
        "确定",
        "完成",
        "编辑",
        "拨打",
        "呼叫",
        "打电话",
        "视频通话",
        "语音通话",
        "相册",
        "拍摄",
        "表情",
        "聊天信息",
        "Send",
        "Message",
        "Text Message",
    }
)


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _has_words(text: str) -> bool:
    """Letters, digits or CJK: anything else ("<", "···", "-.1" of signal bars) is an icon."""
    return any(ch.isalnum() for ch in text)


def _status_like(text: str) -> bool:
    rest = text
    for pattern in (CARRIER, BATTERY, TIME_STAMP, NETWORK):
        rest = pattern.sub(" ", rest)
    return not _has_words(rest)


def why_dropped(line: Line, reading: Reading, *, has_status_bar: bool, header_taken: bool) -> str | None:
    text = _plain(line.text)
    compact = re.sub(r"\s+", "", text)
    top = line.centre_y / max(1, reading.height)
    if not _has_words(text):
        return "icon"
    if line.score < MIN_SCORE:
        return "unsure"
    if top < STATUS_BAND and (_status_like(text) or len(compact) <= 3):
        return "status bar"
    if TIME_STAMP.fullmatch(text) or TIME_STAMP.fullmatch(compact):
        return "time stamp"
    if compact in BUTTONS or text in BUTTONS:
        return "button"
    if (
        has_status_bar
        and not header_taken
        and top < HEADER_BAND
        and len(compact) <= 16
        and abs(line.centre_x - reading.width / 2) < reading.width * 0.15
    ):
        return "contact name"
    return None


def dropped(reading: Reading) -> list[tuple[Line, str]]:
    """Each line left out, with why: "status bar", "time stamp", "button", "contact name", "icon", "unsure"."""
    return [(line, why) for line, why in _classify(reading) if why]


def kept(reading: Reading) -> list[Line]:
    return [line for line, why in _classify(reading) if not why]


def _classify(reading: Reading) -> list[tuple[Line, str | None]]:
    lines = sorted(reading.lines, key=lambda line: (line.box[1], line.box[0]))
    # A header is only a contact's name on a phone screen, i.e. under a status bar: a poster's
    # headline at the top ("扫码领鸡蛋") is the offer itself.
    has_status_bar = any(
        line.centre_y / max(1, reading.height) < STATUS_BAND and _status_like(_plain(line.text)) for line in lines
    )
    out: list[tuple[Line, str | None]] = []
    header_taken = False
    for line in lines:
        why = why_dropped(line, reading, has_status_bar=has_status_bar, header_taken=header_taken)
        header_taken = header_taken or why == "contact name"
        out.append((line, why))
    return out


def _continues(previous: Line, line: Line) -> bool:
    """The next line of the same bubble: just below, starting at the same left edge."""
    gap = line.box[1] - previous.box[3]
    return -0.3 * previous.height < gap < 0.6 * previous.height and abs(line.box[0] - previous.box[0]) < previous.height


def _glue(left: str, right: str) -> str:
    # Chinese wraps anywhere; Latin words and numbers broken over a line need their space back.
    if left and right and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return " "
    return ""


def message_text(reading: Reading) -> str:
    """The message, one paragraph per bubble (or block of text), without the screen around it."""
    paragraphs: list[str] = []
    previous: Line | None = None
    for line in kept(reading):
        text = line.text.strip()
        if previous is not None and _continues(previous, line):
            paragraphs[-1] += _glue(paragraphs[-1], text) + text
        else:
            paragraphs.append(text)
        previous = line
    return "\n".join(paragraphs)
