"""The engine: loaded once per process, then ``assess(text)`` in well under a millisecond or two."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from checker.analysis import model as model_mod
from checker.analysis.normalize import normalize
from checker.analysis.prefilter import cannot_match
from checker.analysis.rules import CODE_CUES, any_match, has_match, load_rules, match_all
from checker.analysis.scoring import THRESHOLDS, Signals, combine, without
from checker.analysis.types import RISK_LEVELS, Assessment, InputError, PatternMatch
from checker.presentation import LEVELS

EMPTY_MESSAGE = "请先写下对方让你做什么（内容不能为空）。"


def validate_text(text: object, max_chars: int) -> str:
    """The engine's refusals and their messages; checker/pipeline.py adds what storage refuses."""
    if not isinstance(text, str):
        raise InputError("wrong_type", "内容必须是文字（字符串）。")
    if not text.strip():
        raise InputError("empty", EMPTY_MESSAGE)
    if len(text) > max_chars:
        raise InputError(
            "too_long",
            f"内容太长了：最多 {max_chars} 个字，现在有 {len(text)} 个字。请只保留对方提出要求的那几句话。",
        )
    return text


def merge_spans(spans) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((a, b) for a, b in out)


class Engine:
    def __init__(self, model: model_mod.Model, content_root: Path | None = None, max_chars: int = 5000) -> None:
        self.model = model
        self.ruleset = load_rules(content_root)
        self.max_chars = max_chars
        self._pattern_index = {p: k for k, p in enumerate(model_mod.PATTERN_IDS)}

    def validate(self, text) -> str:
        return validate_text(text, self.max_chars)

    def assess(self, text: str) -> Assessment:
        self.validate(text)
        norm = normalize(text)
        if not norm.text.strip():
            # Only invisible or control characters: nothing a person could have meant to submit.
            raise InputError("empty", EMPTY_MESSAGE)
        # Cue group → spans, shared by the rules and the context checks; the prefilter has already
        # entered every expression that cannot match this text (no spans) so that it is never run.
        rs = self.ruleset
        memo, possible = rs.prefilter.scan(norm.text)
        hits = match_all(rs.candidates(possible), norm.text, memo)
        pattern_p, level_p, idx, vals = self.model.predict(norm.text)
        probs = dict(zip(model_mod.PATTERN_IDS, pattern_p, strict=True))

        rule_levels: dict[str, str] = {}
        rule_names: dict[str, str] = {}
        for hit in hits:  # the strongest rule per pattern, the first of equals
            current = rule_levels.get(hit.pattern)
            if current is None or (current == "medium" and hit.level == "high"):
                rule_levels[hit.pattern], rule_names[hit.pattern] = hit.level, hit.rule
        # The classifier's own evidence is looked for only where it could name a pattern by itself.
        model_spans = {
            p: spans
            for p, prob in probs.items()
            if p not in rule_levels and prob >= THRESHOLDS["model_medium"]
            if (spans := self._model_evidence(norm.text, p, idx, vals))
        }
        # Context only caps what was found: with no rule hit and no pattern the classifier could name,
        # the verdict is low whatever the context says, so its (large) expressions are not searched.
        signal = bool(hits) or max(probs.values()) >= THRESHOLDS["model_medium"]
        lawful_spans = [m.span() for m in rs.lawful.finditer(norm.text)] if self._may(rs.lawful, signal, memo) else []
        verdict = combine(
            Signals(
                rule_levels=rule_levels,
                pattern_p=probs,
                level_p=dict(zip(RISK_LEVELS, level_p, strict=True)),
                lawful=bool(lawful_spans),
                risk_context=signal and any(has_match(self.ruleset.cues[c], norm.text, memo) for c in CODE_CUES),
                aware=signal and any_match(rs.aware_parts, norm.text, memo),
                decisive=frozenset(h.pattern for h in hits if h.decisive),
                impersonation=frozenset(h.pattern for h in hits if h.impersonates and h.level == "high"),
                service=signal and any_match(rs.service_parts, norm.text, memo),
                rule_names=rule_names,
                model_evidence=frozenset(model_spans),
            )
        )

        evidence: dict[str, tuple[list, str]] = {}
        for pattern in verdict.confidences:
            spans = [s for h in hits if h.pattern == pattern for s in h.spans]
            if spans:
                evidence[pattern] = (spans, "rules+model" if probs[pattern] >= 0.5 else "rules")
            elif spans := model_spans.get(pattern) or self._model_evidence(norm.text, pattern, idx, vals):
                evidence[pattern] = (spans, "model")
        # A pattern we cannot point at in the person's words is not shown, and cannot hold up a high verdict.
        verdict = without(verdict, set(verdict.confidences) - set(evidence))
        matches = tuple(
            PatternMatch(p, c, merge_spans(norm.span_to_original(a, b) for a, b in evidence[p][0]), evidence[p][1])
            for p, c in verdict.confidences.items()
        )
        return Assessment(
            text=text,
            risk_level=verdict.level,
            score=verdict.score,
            patterns=matches,
            lawful_evidence=merge_spans(norm.span_to_original(a, b) for a, b in lawful_spans),
            note=LEVELS[verdict.level].note,
            reasons=verdict.reasons,
        )

    @staticmethod
    def _may(pattern, signal: bool, memo: dict) -> bool:
        """Whether a context expression is worth running: there is a signal to cap and it could match."""
        return signal and not cannot_match(pattern, memo)

    def _model_evidence(self, norm_text: str, pattern: str, idx: np.ndarray, vals: np.ndarray, top: int = 3):
        """Spans of the words and n-grams that weighed most for a pattern the classifier found alone."""
        if not len(idx):
            return []
        contrib = vals * self.model.weights[idx, self._pattern_index[pattern]]
        spans: list[tuple[int, int]] = []
        for k in np.argsort(-contrib):
            if contrib[k] <= 0 or len(spans) >= top:
                break
            kind, term = self.model.feature_name(int(idx[k]))
            needle = term.replace(" ", "") if kind == "word" else term
            if kind == "char" and len(needle.strip()) < 2:
                continue
            pos = norm_text.find(needle)
            if pos >= 0:
                spans.append((pos, pos + len(needle)))
        return spans


_engine: Engine | None = None
_lock = threading.Lock()


def get_engine() -> Engine:
    """The process's engine, loaded on first use (never at import) and then reused."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                from django.conf import settings

                _engine = Engine(
                    model_mod.load(Path(settings.CHECKER_MODEL_PATH)), max_chars=settings.CHECKER_MAX_CHARS
                )
    return _engine


def reset_engine() -> None:
    """Forget the loaded engine (tests, and after `train` in the same process)."""
    global _engine
    with _lock:
        _engine = None
