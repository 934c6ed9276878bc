"""Which cue groups can possibly match a text, found in one pass before any of their expressions runs.

A check searches about 180 cue groups and context expressions; nearly all of them are absent from any one
text, and each absent one still cost a regular-expression search. Every expression here is read once (by
Python's own regular-expression parser) for its *anchors*: literal strings one of which occurs in every
match of it ("手持证件照|拍(几|一)张" has the anchors 手持证件照 and 拍). One Aho-Corasick automaton
(pyahocorasick) finds every anchor in a text in a single pass; an expression none of whose anchors occurs
cannot match, and is never run. An expression whose anchors cannot be read (a bare \\d{6}, a character
class, a case-insensitive flag) is always run: the filter can only skip work, never change a result —
tests/test_prefilter.py compares the two on every training text and on random text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from operator import itemgetter

import ahocorasick

try:  # The parser behind re.compile; private, so a Python without it simply runs every expression.
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - every CPython 3.11+ has it
    sre_parse = None

# What a skipped pattern's memo entry holds: no spans. An empty tuple, while computed spans are lists.
ABSENT: tuple = ()
_SECOND = itemgetter(1)  # the value of an automaton match (end, value), in C
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


_SPECIAL = frozenset(".^$*+?{}[]\\|()")


@lru_cache(maxsize=4096)
def anchors(source: str) -> frozenset[str] | None:
    """Literal strings one of which every match of the expression ``source`` contains, or None when that
    cannot be said. Most cue words are plain literals, their own anchor: only the others are parsed."""
    if source and _SPECIAL.isdisjoint(source):
        return frozenset([source])
    if sre_parse is None:
        return None
    try:
        parsed = sre_parse.parse(source)
    except (re.error, RecursionError):  # pragma: no cover - it compiled once already
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    return _required(list(parsed))


def anchors_of(alternatives: Iterable[str]) -> frozenset[str] | None:
    """Anchors of an alternation: every alternative must bring its own."""
    found = [anchors(a) for a in alternatives]
    if not found or any(f is None for f in found):
        return None
    return frozenset().union(*found)


def _score(option: frozenset[str]) -> tuple[int, int]:
    # The rarer the anchors the better: longer strings first, then fewer of them.
    return (min(map(len, option)), -len(option))


_ZERO_WIDTH = ("AT", "ASSERT", "ASSERT_NOT")
_MAX_PRODUCT = 64  # "拍(几|一)张" reads as {拍几张, 拍一张}; a longer product is not worth its anchors


def _required(items: list) -> frozenset[str] | None:
    """For a parsed sequence: a set of strings one of which occurs in every match, the best one found.

    Adjacent items that each match one of a few exact strings are joined into their product; anything
    else ends such a run and offers its own anchors, if it has any.
    """
    options: list[frozenset[str]] = []
    run: frozenset[str] = frozenset([""])
    for op, av in items:
        exact = _exact(op.name, av)
        if exact is not None and len(run) * len(exact) <= _MAX_PRODUCT:
            run = frozenset(a + b for a in run for b in exact)
            continue
        options.append(run)
        run = frozenset([""]) if exact is None else exact
        option = _required_of(op.name, av) if exact is None else None
        if option:
            options.append(option)
    options.append(run)
    return max((o for o in options if "" not in o), key=_score, default=None)


def _exact(name: str, av) -> frozenset[str] | None:
    """The few whole strings an item matches (a zero-width assertion matches the empty one), or None."""
    if name == "LITERAL":
        return frozenset([chr(av)])
    if name in _ZERO_WIDTH:
        return frozenset([""])  # it only narrows which of the neighbours' strings match: still a necessary set
    if name == "IN":  # a class of plain characters, [元块]
        chars = [chr(v) for o, v in av if o.name == "LITERAL"]
        return frozenset(chars) if chars and len(chars) == len(av) and len(chars) <= _MAX_PRODUCT else None
    if name == "SUBPATTERN":
        _group, add_flags, _del_flags, body = av
        return None if add_flags & re.IGNORECASE else _exact_sequence(list(body))
    if name == "BRANCH":
        branches = [_exact_sequence(list(b)) for b in av[1]]
        if any(b is None for b in branches):
            return None
        union = frozenset().union(*branches)
        return union if len(union) <= _MAX_PRODUCT else None
    return None


def _exact_sequence(items: list) -> frozenset[str] | None:
    out = frozenset([""])
    for op, av in items:
        exact = _exact(op.name, av)
        if exact is None or len(out) * len(exact) > _MAX_PRODUCT:
            return None
        out = frozenset(a + b for a in out for b in exact)
    return out


def _required_of(name: str, av) -> frozenset[str] | None:
    if name == "SUBPATTERN":
        _group, add_flags, _del_flags, body = av
        return None if add_flags & re.IGNORECASE else _required(list(body))
    if name == "BRANCH":
        branches = [_required(list(b)) for b in av[1]]
        # Every branch must bring its own anchor: one that brings none could match without any.
        return None if any(b is None for b in branches) else frozenset().union(*branches)
    if name in _REPEATS:
        low, _high, body = av
        return _required(list(body)) if low >= 1 else None
    return None


class Expression:
    """A compiled alternation of cue expressions, hashed by identity.

    The memo and the prefilter look expressions up in dicts and sets many times per check, and a
    ``re.Pattern`` hashes its whole compiled program on every lookup (about a microsecond for a cue
    group, five for the warning vocabulary); an object's identity hash costs nothing. Equal sources are
    interned by whoever builds them (:func:`checker.analysis.rules.load_rules`), so rules sharing a cue
    share one memo entry.
    """

    __slots__ = ("regex", "search", "finditer", "pattern", "flags", "alternatives")

    def __init__(self, regex: re.Pattern, alternatives: list[str]) -> None:
        self.regex = regex
        self.search = regex.search
        self.finditer = regex.finditer
        self.pattern = regex.pattern
        self.flags = regex.flags
        self.alternatives = tuple(alternatives)

    def __repr__(self) -> str:
        return f"Expression({self.pattern[:60]!r})"


class Prefilter:
    """Built once per rule set; :meth:`memo` starts each check's memo of cue-group spans."""

    def __init__(self, expressions: Iterable[Expression]) -> None:
        expressions = list(dict.fromkeys(expressions))
        by_anchor: dict[str, list[Expression]] = {}
        self._skippable: dict[Expression, tuple] = {}
        self._anchors: dict[Expression, frozenset[str]] = {}
        for pattern in expressions:
            found = anchors_of(pattern.alternatives)
            if found is None or pattern.flags & re.IGNORECASE:
                continue  # always run
            self._skippable[pattern] = ABSENT
            self._anchors[pattern] = found
            for anchor in found:
                by_anchor.setdefault(anchor, []).append(pattern)
        self.always_run = [p for p in expressions if p not in self._skippable]
        self._skippable_set = frozenset(self._skippable)
        # The automaton stores small ints (a set of them is cheap to build); each names a tuple of owners.
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self._owners: list[tuple[Expression, ...]] = []
        for anchor, owners in by_anchor.items():
            self._automaton.add_word(anchor, len(self._owners))
            self._owners.append(tuple(owners))
        if by_anchor:
            self._automaton.make_automaton()
        self._empty = not by_anchor

    def skippable(self, pattern: Expression) -> bool:
        return pattern in self._skippable

    def rarity(self, pattern: Expression) -> tuple[int, int]:
        """How selective a pattern's anchors are (higher: more often absent); never-skipped patterns lowest."""
        found = self._anchors.get(pattern)
        return _score(found) if found else (-1, 0)

    def scan(self, text: str) -> tuple[dict, set[Expression]]:
        """One pass over ``text``: a memo in which every expression that cannot match it already has no spans
        (an empty tuple), and the set of skippable expressions that may match."""
        if self._empty:
            return dict(self._skippable), set()
        owners = self._owners
        possible = set().union(*[owners[k] for k in set(map(_SECOND, self._automaton.iter(text)))])
        return dict.fromkeys(self._skippable_set - possible, ABSENT), possible

    def memo(self, text: str) -> dict:
        return self.scan(text)[0]


def cannot_match(pattern: Expression, memo: dict) -> bool:
    """Whether the prefilter showed that ``pattern`` does not occur (computed spans are lists, never this tuple)."""
    return memo.get(pattern) is ABSENT
