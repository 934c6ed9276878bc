"""Readiness: may this server take checks now? ``GET /readyz`` asks; ``GET /healthz`` only says it is alive.

Ready means the model is loaded in this process and the file on disk is still current (a worker
restarted now would load it), and the database answers within :data:`DATABASE_WAIT` seconds::

    >>> problems()
    {}                                              # ready
    {"model": "…", "database": "…"}                 # not ready: a 503 that says why

The reasons are fixed sentences, never an exception's message (which can name paths, hosts or
SQL); the log has the details.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections

from checker.analysis.model import ModelError, verify

log = logging.getLogger(__name__)

# A probe runs every few seconds; a database slower than this to say "1" is not ready.
DATABASE_WAIT = 2.0

MODEL_REASON = "the model is missing, stale or unreadable: run `python manage.py train`, then restart"
DATABASE_REASON = "the database does not answer"
DATABASE_SLOW_REASON = f"the database did not answer within {DATABASE_WAIT:g} s"

# At most one database probe at a time per process: a frozen database keeps one thread waiting on
# its socket, not one per probe.
_probe_lock = threading.Lock()
_probe: threading.Thread | None = None


def problems() -> dict[str, str]:
    """What keeps this server from answering checks, by part; empty when it is ready."""
    found = {}
    reason = model_problem()
    if reason:
        found["model"] = reason
    reason = database_problem()
    if reason:
        found["database"] = reason
    return found


def model_problem() -> str | None:
    from checker.analysis.engine import get_engine

    try:
        get_engine()  # loaded once per process; retried here while it fails
        verify(Path(settings.CHECKER_MODEL_PATH))  # what the next worker to start would load
    except ModelError as exc:
        log.warning("not ready: %s", exc)
        return MODEL_REASON
    return None


def database_problem() -> str | None:
    """``SELECT 1`` on a connection of its own, given :data:`DATABASE_WAIT` seconds.

    A PostgreSQL that is stopped refuses at once and one that is unreachable is bounded by the
    connect timeout, but one that is frozen accepts the query and never answers (the statement
    timeout is enforced by the frozen server), so the probe runs in a thread that is waited for.
    """
    global _probe
    outcome: list[str | None] = []
    with _probe_lock:
        if _probe is not None and _probe.is_alive():
            return DATABASE_SLOW_REASON
        _probe = threading.Thread(target=_select_one, args=(outcome,), name="readyz-database", daemon=True)
        _probe.start()
        probe = _probe
    probe.join(DATABASE_WAIT)
    if probe.is_alive():
        log.warning("not ready: the database did not answer within %.0f s", DATABASE_WAIT)
        return DATABASE_SLOW_REASON
    return outcome[0] if outcome else DATABASE_REASON


def _select_one(outcome: list[str | None]) -> None:
    connection = connections.create_connection("default")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        outcome.append(None)
    except DatabaseError as exc:
        # The class only: the message can name the host, the user or the query.
        log.warning("not ready: the database does not answer (%s)", exc.__class__.__name__)
        outcome.append(DATABASE_REASON)
    finally:
        connection.close()
