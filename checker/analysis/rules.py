"""Rules authored in ``content/rules/``: cue groups that must co-occur within a window.

A rule fires when every one of its groups matches somewhere in the normalised text and all the
chosen matches fit inside ``window`` characters, and none of its ``unless`` groups occurs anywhere in
the text. Each firing yields the matched spans as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

LEVELS = ("medium", "high")


class RulesError(ValueError):
    pass


@dataclass(frozen=True)
class Rule:
    pattern: str
    name: str
    groups: tuple[re.Pattern, ...]
    window: int
    level: str
    # A decisive rule names a hand-over so unambiguous (a "safe account", 跑分, 人脸解封) that the
    # classifier finding the text lawful does not overrule it.
    decisive: bool = False
    # Cue groups that say the same words belong to another pattern: ID photos and a fee in a loan
    # application are a loan harvest, not a paid ID-photo job.
    unless: tuple[re.Pattern, ...] = ()


@dataclass(frozen=True)
class RuleHit:
    pattern: str
    rule: str
    level: str
    spans: tuple[tuple[int, int], ...]  # into the normalised text
    decisive: bool = False


def _compile_group(group, cues: dict[str, list[str]], where: str) -> re.Pattern:
    # A group is a cue name, or a list mixing cue names and regular expressions.
    items = [group] if isinstance(group, str) else list(group)
    alternatives: list[str] = []
    for item in items:
        if isinstance(item, list):
            alternatives.extend(item)
        elif item in cues:
            alternatives.extend(cues[item])
        else:
            alternatives.append(item)
    try:
        # Longest alternatives first so evidence covers "手持证件照" rather than "手持".
        # re.compile caches by source, so rules sharing a cue share one pattern object (see match_all).
        return re.compile("|".join(f"(?:{a})" for a in sorted(alternatives, key=len, reverse=True)))
    except re.error as exc:
        raise RulesError(f"{where}: bad expression ({exc})") from None


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    lawful: re.Pattern  # lawful real-name context
    aware: re.Pattern  # the text warns about a scheme rather than describing an offer
    cues: dict[str, re.Pattern]


def load_rules(directory: Path) -> RuleSet:
    """Read cues, per-pattern rules, lawful-context and warning cues."""
    cues_file = directory / "cues.yaml"
    cues = yaml.safe_load(cues_file.read_text(encoding="utf-8"))["cues"]
    rules: list[Rule] = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name in {"cues.yaml", "lawful.yaml"}:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        pattern = data.get("pattern")
        if pattern != path.stem:
            raise RulesError(f"{path.name}: field 'pattern' must be {path.stem!r}")
        for i, raw in enumerate(data.get("rules") or []):
            where = f"{path.name}: rules[{i}]"
            if raw.get("level") not in LEVELS:
                raise RulesError(f"{where}: field 'level' must be one of {LEVELS}")
            if not raw.get("all"):
                raise RulesError(f"{where}: field 'all' must list at least one cue group")
            groups = tuple(_compile_group(g, cues, where) for g in raw["all"])
            decisive = bool(raw.get("decisive", False))
            if decisive and raw["level"] != "high":
                raise RulesError(f"{where}: field 'decisive' is only for level high")
            unless = tuple(_compile_group(g, cues, where) for g in raw.get("unless") or [])
            window = int(raw.get("window", 60))
            rules.append(Rule(pattern, str(raw.get("name", i)), groups, window, raw["level"], decisive, unless))
    context = yaml.safe_load((directory / "lawful.yaml").read_text(encoding="utf-8"))
    return RuleSet(
        rules=tuple(rules),
        lawful=re.compile("|".join(f"(?:{p})" for p in context["lawful"])),
        aware=re.compile("|".join(f"(?:{p})" for p in context.get("aware") or ["(?!)"])),
        cues={name: _compile_group(name, cues, f"cues.yaml: {name}") for name in cues},
    )


def _spans(group: re.Pattern, text: str, memo: dict) -> list[tuple[int, int]]:
    spans = memo.get(group)
    if spans is None:
        # Most cue groups are absent from any one text: one search says so more cheaply than finditer,
        # and when it finds one, collecting resumes at that match instead of scanning the text again.
        first = group.search(text)
        found = () if first is None else group.finditer(text, first.start())
        spans = memo[group] = [m.span() for m in found if m.end() > m.start()]
    return spans


def has_match(group: re.Pattern, text: str, memo: dict) -> bool:
    """Whether a cue group occurs in ``text``, sharing ``match_all``'s memo."""
    return bool(_spans(group, text, memo))


def match_rule(rule: Rule, text: str, memo: dict | None = None) -> RuleHit | None:
    memo = {} if memo is None else memo
    found = []
    for group in rule.groups:
        spans = _spans(group, text, memo)
        if not spans:
            return None
        found.append(spans)
    if any(has_match(group, text, memo) for group in rule.unless):
        return None
    if len(found) == 1:
        return RuleHit(rule.pattern, rule.name, rule.level, (found[0][0],), rule.decisive)
    # Anchor on each match of the rarest group and take the nearest match of every other group.
    anchor_index = min(range(len(found)), key=lambda k: len(found[k]))
    for anchor in found[anchor_index]:
        chosen = [anchor]
        for k, spans in enumerate(found):
            if k == anchor_index:
                continue
            chosen.append(min(spans, key=lambda s: abs(s[0] - anchor[0])))
        lo = min(s[0] for s in chosen)
        hi = max(s[1] for s in chosen)
        if hi - lo <= rule.window:
            return RuleHit(rule.pattern, rule.name, rule.level, tuple(sorted(set(chosen))), rule.decisive)
    return None


def match_all(rules: tuple[Rule, ...], text: str, memo: dict | None = None) -> list[RuleHit]:
    # Many rules share a cue group ("money", "stranger" …): each group is searched once per text.
    memo = {} if memo is None else memo
    return [hit for rule in rules if (hit := match_rule(rule, text, memo))]
