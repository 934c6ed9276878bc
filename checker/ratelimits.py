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
_PERIOD_WORDS = {"s": "秒", "m": "分钟", "h": "小时", "d": "天"}


def checks_rate() -> str:
    """The configured rate, e.g. ``"30/m"``; read per request so settings overrides apply at once."""
    return settings.RATELIMIT_CHECKS


def _parse(rate: str) -> tuple[int, int, str]:
    """``"100/5m"`` → ``(100, 5, "m")``: how many, in how many units, of which unit."""
    match = _RATE.fullmatch(rate)
    if match is None:
        raise ValueError(f"not a rate: {rate!r}")
    return int(match.group(1)), int(match.group(2) or 1), match.group(3) or "s"


def rate_period(rate: str) -> int:
    """The length in seconds of a rate's window: ``"30/m"`` → 60, ``"100/5m"`` → 300."""
    _count, units, unit = _parse(rate)
    return units * _PERIOD_SECONDS[unit]


def describe_rate(rate: str) -> str:
    """A rate in words, for people: ``"30/m"`` → ``"每分钟 30 次"``, ``"10/5m"`` → ``"每 5 分钟 10 次"``."""
    count, units, unit = _parse(rate)
    period = _PERIOD_WORDS[unit] if units == 1 else f" {units} {_PERIOD_WORDS[unit]}"
    return f"每{period} {count} 次"


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
