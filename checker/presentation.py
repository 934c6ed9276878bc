"""How a verdict is said: level wording, each level's steps, pattern links and API summaries.

Every template, the JSON API and the engine's ``note`` read from here, so each sentence is written
once. Nothing here touches the request; URLs are reversed lazily (no Django work at import).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from checker.analysis.types import PATTERN_IDS

# The number of patterns, said once: pages and docstrings use this rather than a word like "十一".
PATTERN_COUNT = len(PATTERN_IDS)


@dataclass(frozen=True)
class Level:
    word: str  # the verdict in one or two words, in titles and the heading
    headline: str
    sentence: str  # the result page's first sentence
    note: str  # the assessment's short note (API, `assess`)
    steps_title: str
    steps: tuple[str, ...]  # what to do, in order; "拿不准打 96110" closes every list
    widget_step: str  # the one line the compact widget shows


# Honest sentences: "low" says what was not found, never that the offer is safe.
LEVELS: dict[str, Level] = {
    "high": Level(
        word="高风险",
        headline="和已报道的骗局套路一致",
        sentence="你描述的要求和警方、媒体报道过的骗局套路一致。请马上停下，不要再提供证件、验证码、银行卡、账号或人脸，也不要再转账。",
        note="与已报道的骗局套路相符：先停下，保留证据，再按下面的步骤做。",
        steps_title="马上这样做",
        steps=(
            "停下来：不再回复，不发证件照、验证码、银行卡号，不刷脸、不转账。",
            "留证据：截图保存聊天记录、对方账号、转账记录。",
            "已经给了信息或钱：马上拨打 110 报警，联系银行挂失、冻结，到营业厅或 App 里注销被冒用的账号。",
        ),
        widget_step="马上停下：不发证件照、验证码、银行卡号，不刷脸、不转账；截图留证据。",
    ),
    "medium": Level(
        word="需警惕",
        headline="有风险信号，先核实再决定",
        sentence="没有完全对上已报道的骗局，但有风险信号或缺少应有的保障。先按下面的提示核实清楚，再决定要不要做。",
        note="有风险信号，但还不能确定是已报道的骗局：先核实清楚再决定。",
        steps_title="先核实这几点",
        steps=(
            "问清楚：谁要、要来做什么、用完怎么处理。说不清楚就不给。",
            "通过官方电话或营业网点核实对方身份，不用对方给的号码和链接；熟人借钱，先打电话或见面确认。",
            "必须给复印件时，在上面写明“仅供××办理××使用”和日期。",
        ),
        widget_step="先核实：问清谁要、要来做什么，通过官方电话核实对方身份。",
    ),
    "low": Level(
        word="暂未发现已知套路",
        headline="没有识别出已报道的骗局套路",
        sentence="我们没有在这段文字里识别出已报道的骗局套路。这不等于保证安全：只要对方要你的证件照、验证码、"
        "银行卡、账号、刷脸或先转账，就请再想一想，拿不准就拨打 96110 咨询。",
        note="没有识别出已报道的骗局套路。这不等于保证安全，拿不准时请拨打 96110 咨询。",
        steps_title="仍然要记住",
        steps=(
            "正规业务一般在柜台、官方 App 或营业厅办理，用的是你本人的证件原件。",
            "对方一旦改口要验证码、证件照、银行卡、刷脸或先转账，马上停下。",
        ),
        widget_step="对方一旦改口要验证码、证件照、银行卡、刷脸或先转账，马上停下。",
    ),
}
CLOSING_STEP = "拿不准：拨打反诈专线 96110 咨询。"

# A high result's "hand it to the police and the family" list: the verdict's own first sentence has
# already said to stop, and the call buttons carry 110 and 96110.
HANDOFF_STEPS = LEVELS["high"].steps[1:]

# What the site recognises, said where a person may have a scam it does not know.
COVERAGE_NOTE = (
    "防骗体检只认得已报道的几类骗局：借用、买卖身份证件、人脸、验证码、银行卡和账号，冒充公检法，"
    "以及诱导付款转账。别的骗局它可能认不出；拿不准就拨打 96110 问一问。"
)
# How long a quoted text may be in the summary for the police: the person pastes it into a report form.
SUMMARY_TEXT_CHARS = 300


def first_sentence(level_key: str, pattern: Any | None) -> str:
    """A high verdict opens with its pattern's one thing to do now; other levels with their own sentence."""
    if level_key == "high" and pattern is not None:
        return pattern.now
    return LEVELS[level_key].sentence


def police_summary(*, when: str, level_word: str, titles: list[str], quotes: list[str], text: str) -> str:
    """A few lines to copy into a report to the police: what was asked, the pattern, when.

    ``text`` is the redacted text, so no personal number can reach the summary.
    """
    lines = [f"时间：{when}"]
    if quotes:
        lines.append("对方的要求：" + "、".join(dict.fromkeys(quotes)))
    if titles:
        lines.append(f"防骗体检的判断：{level_word}，像“{'”“'.join(titles)}”")
    else:
        lines.append(f"防骗体检的判断：{level_word}")
    shown = text if len(text) <= SUMMARY_TEXT_CHARS else text[:SUMMARY_TEXT_CHARS] + "……"
    lines.append(f"原话（号码已隐去）：{shown}")
    return "\n".join(lines)


def family_line(level_word: str, share_url: str) -> str:
    """The one line sent with the share link to a relative."""
    return f"我收到一段话，防骗体检说是“{level_word}”，你帮我看看：{share_url}"


def level(risk_level: str | None) -> tuple[str, Level]:
    """The level to show; an unknown stored value is shown as medium, never as reassurance."""
    key = risk_level if risk_level in LEVELS else "medium"
    return key, LEVELS[key]


def pattern_url(pattern_id: str) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("pattern_detail", args=[pattern_id])
    except NoReverseMatch:  # an id the pattern pages do not know
        return None


def pattern_summary(pattern_id: str) -> dict[str, Any]:
    """What the JSON API says about a pattern: JSON-ready, a fresh top-level dict each call."""
    return dict(_summary(pattern_id))


# Content does not change while a process runs, and building a summary (URLs, legal references)
# cost more than the check itself on the API's hot path.
@lru_cache(maxsize=64)
def _summary(pattern_id: str) -> dict[str, Any]:
    from checker.content import get_pattern

    try:
        pattern = get_pattern(pattern_id)
    except KeyError:
        return {
            "title": pattern_id,
            "warning": "",
            "advice": {"before": [], "after": []},
            "legal_refs": [],
            "url": None,
        }
    return {
        "title": pattern.title,
        "warning": pattern.warning,
        "advice": {"before": list(pattern.advice.before), "after": list(pattern.advice.after)},
        "legal_refs": [ref.to_dict() for ref in pattern.legal_refs],
        "url": pattern_url(pattern.id),
    }
