"""From rule hits and model probabilities to a risk level, a score, the reported patterns and the reasons.

One function, ``combine``, so the policy is in one place and tested on its own. Every threshold is in
``THRESHOLDS``. The policy:

* **High names what it saw.** A text is ``high`` only through a pattern that has evidence in the
  person's words: a ``high`` rule of that pattern (the classifier giving the pattern at least some
  support, and the level model not finding the text lawful; a decisive rule needs neither), or the
  pattern classifier very sure of a pattern whose words it can point at, with the level model
  agreeing. The level model alone never makes a text high; it moves confidence and the score.
* **Context caps rules at medium.** Lawful context (bank counter, 12306, one's own app …) with none of
  the risk cues, a text that warns about a scheme ("公检法不会…", "千万别…"), and a service's own
  message that sends the person a code and says not to share it: "做人脸识别" at a bank counter is
  low, "做人脸识别" for 50 yuan for a stranger is high. A rule that names an impersonation (the
  bank's "积分兑换现金" behind a bare link) is not capped by the lawful words it borrows; warnings and
  service messages cap it still.
* **Medium means a signal.** A medium rule, a capped high rule, or the classifier fairly sure of a
  pattern, with the level model not sure the text is lawful. An unfamiliar text with no signal is low,
  however the level model rates it.
* The score lies in the level's band — low [0, 1/3), medium [1/3, 2/3), high [2/3, 1] — so a list
  sorted by score is also sorted by level.

``Verdict.reasons`` says which of these decided, in words a reviewer can act on, for example
``("high rule: 手持证件照换报酬 (id-photo-collection)", "classifier support 0.93")``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

THRESHOLDS = {
    # A high rule counts only when the classifier gives its pattern at least this probability: a rule
    # it finds no support for is usually a side cue of another pattern ("给我100元" in an ID-photo offer).
    "rule_support": 0.1,
    # The level model's p(low) at or above which a supported (not decisive) high rule is not high.
    "rule_veto_low": 0.65,
    # …and at or above which a medium signal alone is not medium either;
    "medium_veto_low": 0.75,
    # in a warning or a service's own message, a rule's words are medium only below this p(low).
    "warning_medium_veto_low": 0.25,
    # The classifier names a pattern on its own (with evidence) at this probability: as medium…
    "model_medium": 0.65,
    # …and as high when it is sure of it, and the level model gives high at least this much.
    "model_high": 0.8,
    "model_high_level": 0.3,
    # Without a risk context (payment, a fee up front, a stranger, a hand-over, renting, a job) it must be surer still.
    "model_high_alone": 0.98,
    # A pattern found by a rule is reported at this confidence.
    "report": 0.5,
}
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
    service: bool = False  # a service's own message sending the person a code, "请勿泄露"
    rule_names: dict[str, str] = field(default_factory=dict)  # pattern id → the strongest rule's name
    # Patterns found by a high rule that speaks in a lawful party's voice: lawful context does not cap them.
    impersonation: frozenset[str] = frozenset()
    # Patterns the classifier can point at in the text (None: all can; the engine passes the real set).
    model_evidence: frozenset[str] | None = None


@dataclass(frozen=True)
class Verdict:
    level: str
    score: float
    confidences: dict[str, float]  # reported patterns only, strongest first
    reasons: tuple[str, ...] = ()


def pattern_confidence(rule_level: str | None, p: float, decisive: bool = False) -> float:
    if rule_level == "high" and (decisive or p >= THRESHOLDS["rule_support"]):
        return 0.7 + 0.3 * p
    if rule_level == "high":
        return 0.45  # unsupported: kept below the report line
    if rule_level == "medium":
        return 0.4 + 0.3 * p
    return p


def _caps(s: Signals) -> tuple[list[str], set[str]]:
    """The reasons rules are capped at medium, and the patterns whose high rules escape the cap."""
    caps = []
    escaping: set[str] = set()
    if s.lawful and not s.risk_context:
        caps.append("capped: lawful context and no risk cue")
        escaping = set(s.impersonation)
    if s.aware:
        caps.append("capped: the text warns about a scheme")
        escaping = set()
    if s.service:
        caps.append("capped: a service's own message sending a code")
        escaping = set()
    return caps, escaping


def combine(s: Signals) -> Verdict:
    t = THRESHOLDS
    reasons, escaping = _caps(s)
    capped = bool(reasons)
    if escaping:
        reasons.append("not capped: " + ", ".join(sorted(escaping)) + " impersonates the lawful party it names")
    p_low = s.level_p.get("low", 0.0)
    p_high = s.level_p.get("high", 0.0)
    has_evidence = (lambda p: True) if s.model_evidence is None else s.model_evidence.__contains__

    rules = {k: ("medium" if capped and v == "high" and k not in escaping else v) for k, v in s.rule_levels.items()}
    conf = {p: pattern_confidence(rules.get(p), s.pattern_p.get(p, 0.0), p in s.decisive) for p in s.pattern_p}

    high_by: dict[str, str] = {}  # pattern → why it makes the text high
    for p, lvl in rules.items():
        name = s.rule_names.get(p, "?")
        if lvl != "high":
            continue
        support = s.pattern_p.get(p, 0.0)
        if p in s.decisive:
            high_by[p] = f"decisive rule: {name} ({p})"
        elif support < t["rule_support"]:
            reasons.append(f"unsupported: rule {name} ({p}), classifier {support:.2f}")
        elif p_low >= t["rule_veto_low"]:
            reasons.append(f"vetoed: rule {name} ({p}), the level model finds the text lawful ({p_low:.2f})")
        else:
            high_by[p] = f"high rule: {name} ({p}), classifier support {support:.2f}"
    if not high_by and not capped and p_high >= t["model_high_level"]:
        for p, prob in s.pattern_p.items():
            sure = t["model_high"] if s.risk_context else t["model_high_alone"]
            if prob >= sure and p not in rules and has_evidence(p):
                high_by[p] = f"classifier: {p} {prob:.2f}, level high {p_high:.2f}"

    medium_by: dict[str, str] = {}
    veto = t["warning_medium_veto_low"] if (s.aware or s.service) else t["medium_veto_low"]
    if not high_by and p_low < veto:
        for p in rules:  # a medium rule, or a high one that was capped, vetoed or unsupported
            medium_by[p] = f"medium signal: rule {s.rule_names.get(p, '?')} ({p})"
        for p, prob in s.pattern_p.items():
            if p not in rules and prob >= t["model_medium"] and has_evidence(p):
                medium_by[p] = f"medium signal: classifier {p} {prob:.2f}"

    if high_by:
        level, found = "high", high_by
    elif medium_by:
        level, found = "medium", medium_by
    else:
        level, found = "low", {}
        if rules or any(v >= t["model_medium"] for v in s.pattern_p.values()):
            reasons.append(f"low: the level model finds the text lawful ({p_low:.2f})")
        else:
            reasons.append("low: no rule fired and the classifier names no pattern")
    reasons.extend(found.values())

    # What is reported: the patterns that decided the level, and any other rule finding strong enough.
    reported = {p: conf[p] for p in high_by} if level == "high" else {}
    if level != "low":
        reported |= {p: c for p, c in conf.items() if (p in rules or p in found) and c >= t["report"]}
        # A medium rule is the hint itself ("在吗？急用钱" → verify first): named even at low confidence.
        reported |= {p: conf[p] for p in medium_by if s.rule_levels.get(p) == "medium"}
    reported = dict(sorted(reported.items(), key=lambda kv: -kv[1]))

    lo, hi = BANDS[level]
    if level == "high":
        strength = max([p_high, *reported.values()])
    elif level == "medium":
        strength = min(1.0, s.level_p.get("medium", 0.0) + p_high)
    else:
        strength = 1.0 - p_low
    score = lo + (hi - lo) * max(0.0, min(1.0, strength)) * 0.999
    return Verdict(level, score, reported, tuple(reasons))


def without(verdict: Verdict, dropped: set[str]) -> Verdict:
    """The verdict once patterns the engine could not point at are dropped: high needs one left.

    The engine calls this after looking for evidence; a high verdict whose every pattern lacks
    evidence in the text becomes medium, so a high verdict always names what it saw.
    """
    kept = {p: c for p, c in verdict.confidences.items() if p not in dropped}
    if verdict.level != "high" or kept:
        return Verdict(verdict.level, verdict.score, kept, verdict.reasons)
    lo, hi = BANDS["medium"]
    return Verdict("medium", (lo + hi) / 2, kept, (*verdict.reasons, "medium: no evidence to point at for high"))
