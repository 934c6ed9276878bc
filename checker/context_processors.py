"""Template context every page needs: the limits the privacy note and the form state, and how many patterns there are."""

from django.conf import settings
from django.http import HttpRequest

from checker.presentation import PATTERN_COUNT

# The 长辈模式 switch (checker/views/pages.py): a session cookie, so it lasts for the visit only.
ELDER_COOKIE = "elder"


def limits(request: HttpRequest) -> dict[str, int]:
    return {
        "max_chars": settings.CHECKER_MAX_CHARS,
        "retention_days": settings.RESULT_RETENTION_DAYS,
        "feedback_retention_days": settings.FEEDBACK_RETENTION_DAYS,
        "pattern_count": PATTERN_COUNT,
    }


def display(request: HttpRequest) -> dict[str, bool]:
    return {"elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1"}
