"""Rules authored in ``content/patterns/<id>/rules.yaml``: cue groups that must co-occur within a window.

A rule fires when every one of its groups matches somewhere in the normalised text and all the
chosen matches fit inside ``window`` characters, and none of its ``unless`` groups occurs anywhere in
the text. Each firing yields the matched spans as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from checker.analysis import contentfile, layout
from checker.analysis.contentfile import ContentError
from checker.analysis.prefilter import ABSENT, Expression, Prefilter
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
    groups: tuple[Expression, ...]
    window: int
    level: str
    # A decisive rule names a hand-over so unambiguous (a "safe account", 跑分, 人脸解封) that the
    # classifier finding the text lawful does not overrule it.
    decisive: bool = False
    # Cue groups that say the same words belong to another pattern: ID photos and a fee in a loan
    # application are a loan harvest, not a paid ID-photo job.
    unless: tuple[Expression, ...] = ()
    # The scheme speaks in a lawful party's voice (a bank's points "worth cash" behind a link, an airline's
    # "cancelled flight" with a compensation hotline): the lawful words it borrows (官网, 我行, 航空) do not
    # cap it. Warnings and a service's own code message still do.
    impersonates: bool = False
    # The group most likely to be absent from a text (by its prefilter anchors): RuleSet.candidates indexes
    # the rule by it, so a rule whose key group the prefilter rules out is never called.
    key: Expression | None = None


@dataclass(frozen=True)
class RuleHit:
    pattern: str
    rule: str
    level: str
    spans: tuple[tuple[int, int], ...]  # into the normalised text
    decisive: bool = False
    impersonates: bool = False


def _compile_group(group, cues: dict[str, list[str]], path: Path, field: str, seen: dict) -> Expression:
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
    # Equal sources are interned, so rules sharing a cue share one expression and one memo entry.
    return _alternation(path, field, sorted(alternatives, key=len, reverse=True), seen)


def _alternation(path: Path, field: str, patterns: list[str], seen: dict) -> Expression:
    """One expression of alternatives, interned in ``seen`` by its source (one memo entry per source)."""
    source = "|".join(f"(?:{p})" for p in patterns)
    if source not in seen:
        try:
            seen[source] = Expression(re.compile(source), patterns)
        except re.error as exc:
            raise ContentError(path, field, f"bad regular expression ({exc})") from None
    return seen[source]


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    lawful: Expression  # lawful real-name context
    aware: Expression  # the text warns about a scheme rather than describing an offer
    service: Expression  # a service's own message sending the person a code ("…请勿泄露")
    cues: dict[str, Expression]
    # Skips the expressions that cannot match a text; start each check's memo with prefilter.scan(text).
    prefilter: Prefilter | None = None
    # The warning and service expressions one alternative each: whether any occurs needs only the
    # alternatives whose anchors the text holds, not a search of the whole (long) alternation.
    aware_parts: tuple[Expression, ...] = ()
    service_parts: tuple[Expression, ...] = ()
    # Rule positions by their key group; rules whose key is never skipped are always candidates.
    _by_key: dict = field(default_factory=dict)
    _always: tuple[int, ...] = ()

    def candidates(self, possible: set[Expression]) -> list[Rule]:
        """The rules, in order, whose key group the prefilter found possible (or cannot rule out)."""
        found = [k for p in possible if (ks := self._by_key.get(p)) for k in ks]
        return [self.rules[k] for k in sorted([*self._always, *found])]


def any_match(parts: tuple[Expression, ...], text: str, memo: dict) -> bool:
    """Whether any of the alternatives occurs, running only those the prefilter could not rule out."""
    return any(part.search(text) for part in parts if memo.get(part) is not ABSENT)


def load_rules(root: Path | None = None) -> RuleSet:
    """Read and validate the shared cues, every pattern's rules and the context cues."""
    cues_path = layout.shared_file("cues.yaml", root)
    cues = contentfile.read(cues_path, "cues.schema.json", root)["cues"]
    missing = [name for name in CODE_CUES if name not in cues]
    if missing:
        raise ContentError(cues_path, f"cues.{missing[0]}", "the engine's code reads this cue group; define it")
    rules: list[Rule] = []
    seen: dict[str, Expression] = {}  # every expression compiled, by source
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
    aware_parts = tuple(_alternation(context_path, "aware", [a], seen) for a in aware.alternatives)
    service_parts = tuple(_alternation(context_path, "service", [a], seen) for a in service.alternatives)
    prefilter = Prefilter(seen.values())
    rules = [replace(r, key=max(r.groups, key=prefilter.rarity)) for r in rules]
    by_key: dict[Expression, list[int]] = {}
    always: list[int] = []
    for k, r in enumerate(rules):
        (by_key.setdefault(r.key, []) if prefilter.skippable(r.key) else always).append(k)
    return RuleSet(
        rules=tuple(rules),
        lawful=lawful,
        aware=aware,
        service=service,
        cues=compiled_cues,
        prefilter=prefilter,
        aware_parts=aware_parts,
        service_parts=service_parts,
        _by_key={p: tuple(ks) for p, ks in by_key.items()},
        _always=tuple(always),
    )


def _spans(group: Expression, text: str, memo: dict) -> list[tuple[int, int]]:
    spans = memo.get(group)
    if spans is None:
        # Most cue groups are absent from any one text: one search says so more cheaply than finditer,
        # and when it finds one, collecting resumes at that match instead of scanning the text again.
        first = group.search(text)
        found = () if first is None else group.finditer(text, first.start())
        spans = memo[group] = [m.span() for m in found if m.end() > m.start()]
    return spans


def has_match(group: Expression, text: str, memo: dict) -> bool:
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
    return [hit for rule in rules if (hit := match_rule(rule, text, memo))]
