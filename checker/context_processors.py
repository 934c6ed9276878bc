"""Template context every page needs: the limits the privacy note and the form state."""

from django.conf import settings
from django.http import HttpRequest


def limits(request: HttpRequest) -> dict[str, int]:
    return {"max_chars": settings.CHECKER_MAX_CHARS, "retention_days": settings.RESULT_RETENTION_DAYS}
