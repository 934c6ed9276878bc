"""A Redis cache that fails soft: when Redis is down or frozen the site goes on, with a warning.

The cache holds only rate-limit counters. Losing them for a while lifts the limit for a while,
which is better than every check answering 500 (django-ratelimit lets ``ConnectionError`` from
``cache.add`` through). So each call that fails is logged and answered as a miss, and for
:data:`PAUSE_SECONDS` afterwards Redis is not asked at all: a frozen Redis then costs one socket
timeout (``OPTIONS`` in settings, 0.2 s) every few seconds instead of one per request.

With ``RATELIMIT_FAIL_OPEN = True`` a miss lets the request through: ``add`` answers False and
``incr`` raises ``ValueError``, which django-ratelimit reads as "the cache failed".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
PAUSE_SECONDS = 5.0


class _Unavailable(Exception):
    pass


def _soft(on_failure: Callable[..., Any]):
    def decorate(method):
        @wraps(method)
        def wrapped(self: FailSoftRedisCache, *args: Any, **kwargs: Any) -> Any:
            if time.monotonic() < self._paused_until:
                return on_failure(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as exc:
                self._paused_until = time.monotonic() + PAUSE_SECONDS
                # The class only: the message could name the key, and keys hold client addresses.
                log.warning(
                    "cache unavailable (%s in %s); rate limits are lifted for %.0f s",
                    exc.__class__.__name__,
                    method.__name__,
                    PAUSE_SECONDS,
                )
                return on_failure(*args, **kwargs)

        return wrapped

    return decorate


def _incr_failed(*args: Any, **kwargs: Any) -> int:
    raise ValueError("cache unavailable")


class FailSoftRedisCache(RedisCache):
    """Django's RedisCache, answering a miss instead of raising while Redis is unreachable."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._paused_until = 0.0

    @_soft(lambda *a, **k: False)
    def add(self, *args: Any, **kwargs: Any) -> bool:
        return super().add(*args, **kwargs)

    @_soft(lambda key, default=None, version=None: default)
    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return super().get(key, default, version)

    @_soft(lambda *a, **k: None)
    def set(self, *args: Any, **kwargs: Any) -> None:
        return super().set(*args, **kwargs)

    @_soft(lambda *a, **k: False)
    def touch(self, *args: Any, **kwargs: Any) -> bool:
        return super().touch(*args, **kwargs)

    @_soft(lambda *a, **k: False)
    def delete(self, *args: Any, **kwargs: Any) -> bool:
        return super().delete(*args, **kwargs)

    @_soft(lambda *a, **k: {})
    def get_many(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return super().get_many(*args, **kwargs)

    @_soft(lambda *a, **k: False)
    def has_key(self, *args: Any, **kwargs: Any) -> bool:
        return super().has_key(*args, **kwargs)

    @_soft(_incr_failed)
    def incr(self, *args: Any, **kwargs: Any) -> int:
        return super().incr(*args, **kwargs)

    @_soft(lambda data, *a, **k: list(data))
    def set_many(self, data: dict[str, Any], *args: Any, **kwargs: Any) -> list[str]:
        return super().set_many(data, *args, **kwargs)

    @_soft(lambda *a, **k: None)
    def delete_many(self, *args: Any, **kwargs: Any) -> None:
        return super().delete_many(*args, **kwargs)

    @_soft(lambda *a, **k: False)
    def clear(self) -> bool:
        return super().clear()
