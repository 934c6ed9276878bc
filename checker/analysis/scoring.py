"""From rule hits and model probabilities to a risk level, a score and the reported patterns.

One function, ``combine``, so the policy is in one place and tested on its own. The policy:

* A pattern's confidence blends what recognised it: a ``high`` rule gives at least 0.7, a
  ``medium`` rule at least 0.4, and the classifier's calibrated probability adds the rest.
* The level is ``high`` when a high rule fired that the classifier gives at least some support
  (and the classifier does not find the text lawful; a decisive rule needs neither) or the level
  model gives ``high`` at least ``HIGH_AT``; ``medium`` on weaker signals; ``low`` otherwise. Low means "no reported pattern recognised", never a guarantee.
* Lawful context (bank counter, 12306, one's own app …) with none of the risk cues (payment, a
  stranger, a hand-over, renting) caps rule evidence at ``medium``: "做人脸识别" at a bank counter is
  low, "做人脸识别" for 50 yuan for a stranger is high. A warning with no request in it is never high.
* The score lies in the level's band — low [0, 1/3), medium [1/3, 2/3), high [2/3, 1] — so a list
  sorted by score is also sorted by level.
"""

from __future__ import annotations

from dataclasses import dataclass

HIGH_AT = 0.5
RULE_VETO_LOW_AT = 0.5  # the level model finds the text lawful: a rule hit alone does not make it high
MEDIUM_RULE_LOW_AT = 0.75  # …and when it is this sure, a medium rule alone does not make it medium
REPORT_AT = 0.5
RULE_NEEDS_P = 0.1
MODEL_ONLY_AT = 0.65  # the classifier alone names a pattern only when fairly sure
BANDS = {"low": (0.0, 1 / 3), "medium": (1 / 3, 2 / 3), "high": (2 / 3, 1.0)}


@dataclass(frozen=True)
class Signals:
    rule_levels: dict[str, str]  # pattern id → strongest rule level that fired ("medium"/"high")
    pattern_p: dict[str, float]  # pattern id → calibrated probability
    level_p: dict[str, float]  # "low"/"medium"/"high" → probability
    lawful: bool
    risk_context: bool
    aware: bool = False  # the text warns about a scheme rather than describing an offer
    decisive: frozenset[str] = frozenset()  # patterns found by a decisive rule


@dataclass(frozen=True)
class Verdict:
    level: str
    score: float
    confidences: dict[str, float]  # reported patterns only, strongest first


def pattern_confidence(rule_level: str | None, p: float, decisive: bool = False) -> float:
    if rule_level == "high" and decisive:
        return 0.7 + 0.3 * p
    if rule_level == "high":
        # A rule the classifier finds no support for at all is usually a side cue of another
        # pattern ("给我100元" in an ID-photo offer is not paid registration): keep it unreported.
        return 0.7 + 0.3 * p if p >= RULE_NEEDS_P else 0.45
    if rule_level == "medium":
        return 0.4 + 0.3 * p
    return p


def combine(s: Signals) -> Verdict:
    # Rules speak for a hand-over; lawful context (with no risk cue) or a text that is a warning
    # rather than an offer ("看新闻说…", "千万别…") keeps them to medium on their own.
    capped = (s.lawful and not s.risk_context) or s.aware
    rules = {k: ("medium" if capped and v == "high" else v) for k, v in s.rule_levels.items()}
    conf = {p: pattern_confidence(rules.get(p), s.pattern_p.get(p, 0.0), p in s.decisive) for p in s.pattern_p}

    p_high = s.level_p.get("high", 0.0)
    p_low = s.level_p.get("low", 0.0)
    decisive = any(rules.get(p) == "high" for p in s.decisive)
    # A high rule the classifier gives no support at all stays unreported (pattern_confidence), so it
    # does not make the text high on its own either: "卖给回收的…微信还登着" is not renting an account.
    supported = any(v == "high" and s.pattern_p.get(p, 0.0) >= RULE_NEEDS_P for p, v in rules.items())
    rule_high = decisive or (supported and p_low < RULE_VETO_LOW_AT)
    # A warning with no request in it ("那个扫码送鸡蛋的别去") is never high on the classifier's word alone.
    model_high = p_high >= HIGH_AT and not (capped and p_high < 0.8) and not (s.aware and not s.risk_context)
    if rule_high or model_high:
        level = "high"
    elif s.level_p.get("medium", 0.0) + p_high >= 0.5 or (rules and p_low < MEDIUM_RULE_LOW_AT):
        level = "medium"
    else:
        level = "low"

    reported: dict[str, float] = {}
    if level != "low":
        reported = {p: c for p, c in conf.items() if c >= (REPORT_AT if p in rules else MODEL_ONLY_AT)}
        if level == "high" and not reported and conf:
            best = max(conf, key=conf.get)
            if conf[best] >= 0.2:
                reported[best] = conf[best]
    reported = dict(sorted(reported.items(), key=lambda kv: -kv[1]))

    lo, hi = BANDS[level]
    if level == "high":
        strength = max([p_high, *reported.values()])
    elif level == "medium":
        strength = min(1.0, s.level_p.get("medium", 0.0) + p_high)
    else:
        strength = 1.0 - p_low
    score = lo + (hi - lo) * max(0.0, min(1.0, strength)) * 0.999
    return Verdict(level, score, reported)
