"""Rules authored in ``content/patterns/<id>/rules.yaml``: cue groups that must co-occur within a window.

A rule fires when every one of its groups matches somewhere in the normalised text and all the
chosen matches fit inside ``window`` characters, and none of its ``unless`` groups occurs anywhere in
the text. Each firing yields the matched spans as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from checker.analysis import contentfile, layout
from checker.analysis.contentfile import ContentError
from checker.analysis.prefilter import ABSENT, Prefilter
from checker.analysis.types import PATTERN_IDS

# Cue groups the engine's code reads by name (risk context): the content must define them.
CODE_CUES = ("commission", "stranger", "handover", "rent", "job", "upfront_fee")
# A group item shaped like this is a cue name; anything else is a regular expression. A literal
# English word is written as a group, "(app)", so a misspelt cue name can never pass as a literal.
_CUE_NAME = re.compile(r"[a-z][a-z0-9_]*")


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
    # The scheme speaks in a lawful party's voice (a bank's points "worth cash" behind a link, an airline's
    # "cancelled flight" with a compensation hotline): the lawful words it borrows (官网, 我行, 航空) do not
    # cap it. Warnings and a service's own code message still do.
    impersonates: bool = False
    # The group most likely to be absent from a text (by its prefilter anchors): looked at first.
    key: re.Pattern | None = None


@dataclass(frozen=True)
class RuleHit:
    pattern: str
    rule: str
    level: str
    spans: tuple[tuple[int, int], ...]  # into the normalised text
    decisive: bool = False
    impersonates: bool = False


def _compile_group(group, cues: dict[str, list[str]], path: Path, field: str, seen: dict) -> re.Pattern:
    # A group is a cue name, or a list mixing cue names and regular expressions.
    items = [group] if isinstance(group, str) else list(group)
    alternatives: list[str] = []
    for k, item in enumerate(items):
        where = field if isinstance(group, str) else f"{field}[{k}]"
        if item in cues:
            alternatives.extend(cues[item])
        elif _CUE_NAME.fullmatch(item):
            raise ContentError(
                path, where, f"{item!r} is not a cue in cues.yaml (a literal word is written as a group: '({item})')"
            )
        else:
            alternatives.append(item)
    # Longest alternatives first so evidence covers "手持证件照" rather than "手持".
    # re.compile caches by source, so rules sharing a cue share one pattern object (see match_all).
    return _alternation(path, field, sorted(alternatives, key=len, reverse=True), seen)


def _alternation(path: Path, field: str, patterns: list[str], seen: dict) -> re.Pattern:
    """One expression of alternatives; ``seen`` records what it was joined from, for the prefilter."""
    try:
        compiled = re.compile("|".join(f"(?:{p})" for p in patterns))
    except re.error as exc:
        raise ContentError(path, field, f"bad regular expression ({exc})") from None
    seen[compiled] = list(patterns)
    return compiled


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    lawful: re.Pattern  # lawful real-name context
    aware: re.Pattern  # the text warns about a scheme rather than describing an offer
    service: re.Pattern  # a service's own message sending the person a code ("…请勿泄露")
    cues: dict[str, re.Pattern]
    # Skips the expressions that cannot match a text; start each check's memo with prefilter.memo(text).
    prefilter: Prefilter | None = None


def load_rules(root: Path | None = None) -> RuleSet:
    """Read and validate the shared cues, every pattern's rules and the context cues."""
    cues_path = layout.shared_file("cues.yaml", root)
    cues = contentfile.read(cues_path, "cues.schema.json", root)["cues"]
    missing = [name for name in CODE_CUES if name not in cues]
    if missing:
        raise ContentError(cues_path, f"cues.{missing[0]}", "the engine's code reads this cue group; define it")
    rules: list[Rule] = []
    seen: dict[re.Pattern, list[str]] = {}  # every expression compiled, with its alternatives (the prefilter's input)
    for pattern, path in layout.rule_files(root).items():
        data = contentfile.read(path, "rules.schema.json", root)
        if pattern not in PATTERN_IDS:
            raise ContentError(path.parent, "(folder)", f"{pattern!r} is not a taxonomy id")
        if data["pattern"] != pattern:
            raise ContentError(path, "pattern", f"must be {pattern!r}, the folder's name")
        for i, raw in enumerate(data["rules"]):
            at = f"rules[{i}]"
            if raw.get("decisive") and raw["level"] != "high":
                raise ContentError(path, f"{at}.decisive", "only a level high rule can be decisive")
            groups = tuple(_compile_group(g, cues, path, f"{at}.all[{j}]", seen) for j, g in enumerate(raw["all"]))
            unless = tuple(
                _compile_group(g, cues, path, f"{at}.unless[{j}]", seen) for j, g in enumerate(raw.get("unless") or [])
            )
            rules.append(
                Rule(
                    pattern,
                    raw["name"],
                    groups,
                    raw.get("window", 60),
                    raw["level"],
                    raw.get("decisive", False),
                    unless,
                    raw.get("impersonates", False),
                )
            )
    context_path = layout.shared_file("lawful.yaml", root)
    context = contentfile.read(context_path, "lawful.schema.json", root)
    lawful = _alternation(context_path, "lawful", context["lawful"], seen)
    aware = _alternation(context_path, "aware", context["aware"], seen)
    service = _alternation(context_path, "service", context.get("service") or ["(?!)"], seen)
    compiled_cues = {name: _compile_group(name, cues, cues_path, f"cues.{name}", seen) for name in cues}
    searched = [g for r in rules for g in r.groups + r.unless] + list(compiled_cues.values())
    prefilter = Prefilter({p: seen[p] for p in [*searched, lawful, aware, service]})
    rules = [replace(r, key=max(r.groups, key=prefilter.rarity)) for r in rules]
    return RuleSet(
        rules=tuple(rules),
        lawful=lawful,
        aware=aware,
        service=service,
        cues=compiled_cues,
        prefilter=prefilter,
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
        return RuleHit(rule.pattern, rule.name, rule.level, (found[0][0],), rule.decisive, rule.impersonates)
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
            spans = tuple(sorted(set(chosen)))
            return RuleHit(rule.pattern, rule.name, rule.level, spans, rule.decisive, rule.impersonates)
    return None


def match_all(rules: tuple[Rule, ...], text: str, memo: dict | None = None) -> list[RuleHit]:
    # Many rules share a cue group ("money", "stranger" …): each group is searched once per text.
    memo = {} if memo is None else memo
    # A rule whose rarest group the prefilter ruled out is passed over without a call.
    return [hit for rule in rules if memo.get(rule.key) is not ABSENT and (hit := match_rule(rule, text, memo))]
