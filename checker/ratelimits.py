"""Rate limits for the checks the widget and the JSON API run, with the wait a client is told.

django-ratelimit keeps the counters in the default cache: local memory on one server, Redis in
production (settings.REDIS_URL), so a limit holds across every app server. Each caller names its
own group, so a busy partner API client does not use up the widget's allowance on the same network::

    >>> wait = seconds_until_allowed(request, group="api")
    >>> if wait is not None:
    ...     return too_many(wait)  # with "Retry-After: <wait>"
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

# The rate syntax django-ratelimit reads: "30/m", "100/5m", "5/s".
_RATE = re.compile(r"(\d+)/(\d*)([smhd])?")
_PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def checks_rate() -> str:
    """The configured rate, e.g. ``"30/m"``; read per request so settings overrides apply at once."""
    return settings.RATELIMIT_CHECKS


def rate_period(rate: str) -> int:
    """The length in seconds of a rate's window: ``"30/m"`` → 60, ``"100/5m"`` → 300."""
    match = _RATE.fullmatch(rate)
    if match is None:
        raise ValueError(f"not a rate: {rate!r}")
    return int(match.group(2) or 1) * _PERIOD_SECONDS[match.group(3) or "s"]


def seconds_until_allowed(request: HttpRequest, *, group: str) -> int | None:
    """Count this request against the client's allowance; ``None`` if it may go on, else seconds to wait.

    The client is its IP address: the check creates no account or session to key on.
    """
    rate = checks_rate()
    usage = get_usage(request, group=group, key="ip", rate=rate, method="POST", increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    # time_left is when this client's window ends; -1 means the cache failed, so wait a whole period.
    time_left = usage["time_left"]
    return max(1, time_left) if time_left >= 0 else rate_period(rate)
