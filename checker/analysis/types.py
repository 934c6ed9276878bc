"""What the engine returns. Every page, the API and `manage.py assess` render these."""

from __future__ import annotations

from dataclasses import dataclass, field

RISK_LEVELS = ("low", "medium", "high")

# The taxonomy's pattern ids (shared/taxonomy.md), in its order: a contract shared by the content
# files, the classifier's labels, the JSON API and `manage.py assess`.
PATTERN_IDS: tuple[str, ...] = (
    "id-photo-collection",
    "paid-account-registration",
    "verification-code-request",
    "card-account-rental",
    "nominee-registration",
    "face-data-request",
    "loan-info-harvest",
    "personal-data-trade",
    "fake-authority",
    "gift-qr-lure",
    "excessive-authorization",
    "money-transfer-fraud",
)


class InputError(ValueError):
    """Text the engine refuses to judge (empty, too long). ``code`` is stable for the API."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class PatternMatch:
    id: str
    confidence: float
    # Half-open character spans [start, end) into the text given to assess(), merged and sorted.
    evidence: tuple[tuple[int, int], ...]
    # "rules", "model" or "rules+model": what recognised it.
    via: str


@dataclass(frozen=True)
class Assessment:
    text: str
    risk_level: str
    score: float
    patterns: tuple[PatternMatch, ...]
    # Spans of lawful-context cues (bank counter, 12306 …) that lowered the risk.
    lawful_evidence: tuple[tuple[int, int], ...] = field(default=())
    note: str = ""
    # Why the verdict is what it is (checker/analysis/scoring.py): rules, caps, the classifier.
    reasons: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        """The assessment contract of shared/taxonomy.md (without the request id)."""
        return {
            "risk_level": self.risk_level,
            "score": round(self.score, 3),
            "patterns": [
                {
                    "id": m.id,
                    "confidence": round(m.confidence, 3),
                    "evidence": [list(span) for span in m.evidence],
                    "via": m.via,
                }
                for m in self.patterns
            ],
            "lawful_evidence": [list(span) for span in self.lawful_evidence],
            "note": self.note,
            "reasons": list(self.reasons),
        }
