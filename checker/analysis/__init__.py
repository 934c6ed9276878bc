"""The engine: normalise → tokenise → rules + classifier → combine.

Public entry point::

    from checker.analysis import assess
    result = assess("兼职注册APP拿50元佣金，要手持身份证拍照")
    result.risk_level, result.score, result.patterns
"""

from checker.analysis.model import ModelError
from checker.analysis.types import PATTERN_IDS, RISK_LEVELS, Assessment, InputError, PatternMatch

__all__ = ["PATTERN_IDS", "RISK_LEVELS", "Assessment", "InputError", "ModelError", "PatternMatch", "assess"]


def assess(text: str) -> Assessment:
    from checker.analysis.engine import get_engine

    return get_engine().assess(text)
