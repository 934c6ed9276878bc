"""Template context every page needs: the limits the privacy note and the form state, and how many patterns there are."""

from django.conf import settings
from django.http import HttpRequest

from checker.presentation import PATTERN_COUNT


def limits(request: HttpRequest) -> dict[str, int]:
    return {
        "max_chars": settings.CHECKER_MAX_CHARS,
        "retention_days": settings.RESULT_RETENTION_DAYS,
        "pattern_count": PATTERN_COUNT,
    }
