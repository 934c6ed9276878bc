"""The rate limits' cache, failing soft: when it is unreachable or broken the site goes on, with a warning.

Two backends, one behaviour (settings.py picks one):

* :class:`FailSoftRedisCache` when ``REDIS_URL`` is set: shared by every app server.
* :class:`FailSoftFileCache` otherwise: a directory on the machine (``CHECKER_CACHE_DIR``), shared by
  every gunicorn worker on it, so one client's allowance is one allowance, not one per worker (local
  memory would give each worker its own count).

The cache holds only rate-limit counters. Losing them for a while lifts the limit for a while,
which is better than every check answering 500 (django-ratelimit lets ``ConnectionError`` from
``cache.add`` through). So each call that fails is logged and answered as a miss, and for
:data:`PAUSE_SECONDS` afterwards the cache is not asked at all: a frozen Redis then costs one socket
timeout (``OPTIONS`` in settings, 0.2 s) every few seconds instead of one per request.

With ``RATELIMIT_FAIL_OPEN = True`` a miss lets the request through: ``add`` answers False and
``incr`` raises ``ValueError``, which django-ratelimit reads as "the cache failed".
"""

from __future__ import annotations

import logging
import pickle
import time
import zlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
PAUSE_SECONDS = 5.0


def _soft(on_failure: Callable[..., Any]):
    def decorate(method):
        @wraps(method)
        def wrapped(self: FailSoft, *args: Any, **kwargs: Any) -> Any:
            if time.monotonic() < self._paused_until:
                return on_failure(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except self.failures as exc:
                self._failed(exc, method.__name__)
                return on_failure(*args, **kwargs)

        return wrapped

    return decorate


def _incr_failed(*args: Any, **kwargs: Any) -> int:
    raise ValueError("cache unavailable")


class FailSoft:
    """Mixed in before a Django cache backend: answers a miss instead of raising ``failures``."""

    failures: tuple[type[BaseException], ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._paused_until = 0.0
        try:
            super().__init__(*args, **kwargs)
        except self.failures as exc:  # the file cache creates its directory here
            self._failed(exc, "__init__")

    def _failed(self, exc: BaseException, where: str) -> None:
        self._paused_until = time.monotonic() + PAUSE_SECONDS
        # The class only: the message could name the key, and keys hold client addresses.
        log.warning(
            "cache unavailable (%s in %s); rate limits are lifted for %.0f s",
            exc.__class__.__name__,
            where,
            PAUSE_SECONDS,
        )

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


class FailSoftRedisCache(FailSoft, RedisCache):
    """Django's RedisCache, answering a miss while Redis is unreachable or frozen."""

    failures = (RedisError, OSError)


class FailSoftFileCache(FailSoft, FileBasedCache):
    """Django's FileBasedCache, without its costly culling, answering a miss when the disk fails.

    Django's backend lists the whole directory on every ``set`` and, over ``MAX_ENTRIES``, deletes a
    random third of the entries, live counters included. A rate-limit counter is written on every
    check, so here expired entries alone are swept, at most every :data:`SWEEP_SECONDS` per process;
    a counter lives for its window (a minute by default), so the directory holds about one file per
    client seen in the last window or two.
    """

    failures = (OSError, EOFError, pickle.UnpicklingError, zlib.error)
    SWEEP_SECONDS = 60.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._swept_at = time.monotonic()

    def _cull(self) -> None:
        if time.monotonic() - self._swept_at < self.SWEEP_SECONDS:
            return
        self._swept_at = time.monotonic()
        for path in self._list_cache_files():
            try:
                with open(path, "rb") as f:
                    self._is_expired(f)  # deletes the file when it has expired
            except FileNotFoundError:
                pass  # another worker swept it first
