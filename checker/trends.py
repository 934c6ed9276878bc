"""What people are checking (/trends/): counts of checks by day, level, top pattern and channel.

Counters only. A check adds one to the row of its (day, channel, origin, level, pattern); its text,
share token and the client's address are never looked at, so no row leads back to a person. Small
numbers could still point at someone (one check from a village's widget on one day), so every count
shown anywhere (the page, the JSON API, the CSV) goes through :func:`shown`::

    >>> shown(12), shown(4), shown(0)
    (12, '<5', '<5')

Zero is shown as "<5" too, so a blank day and a day with a single check look alike.

Counts are kept in memory per process and written with one upsert per row (``count = count + n``,
atomic however many servers write at once) by the first check :data:`FLUSH_SECONDS` after the last
write, by the trends pages themselves, and when the process exits. On SQLite a commit costs 0.5 to
2 ms, many times the 0.1 ms that counting may add to a check; a count kept in memory costs a few
microseconds. A process that is killed (not stopped) loses what it counted since its last write.
A database error while writing is logged (the exception's class only) and the counts wait for the
next try: counting never breaks a check.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from checker.analysis.types import PATTERN_IDS
from checker.models import CheckCount
from checker.presentation import pattern_summary

if TYPE_CHECKING:
    from checker.pipeline import CheckOutcome

log = logging.getLogger(__name__)

# The day of a check is its date in China, wherever the server runs.
TZ = ZoneInfo("Asia/Shanghai")
SUPPRESS_BELOW = 5
SUPPRESSED = "<5"
DAYS_SHOWN = 30
WEEK = 7
FLUSH_SECONDS = 10.0
ORIGIN_MAX_CHARS = CheckCount._meta.get_field("origin").max_length

# A count as shown: a whole number of at least SUPPRESS_BELOW, or SUPPRESSED.
Shown = int | str


class Key(NamedTuple):
    """One row of CheckCount. Everything that is ever stored about a check is in here."""

    day: date
    channel: str
    origin: str
    level: str
    pattern: str


def shown(count: int) -> Shown:
    """The one suppression rule, for the page, the API and the CSV alike."""
    return count if count >= SUPPRESS_BELOW else SUPPRESSED


def today() -> date:
    return timezone.now().astimezone(TZ).date()


# --- Counting -------------------------------------------------------------------------------------


class _Waiting:
    """This process's counts not yet written, and the database they were counted against."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[Key] = Counter()
        self.database: str | None = None
        self.last_write = float("-inf")  # the first check writes at once
        self.exit_hook = False


_waiting = _Waiting()


def count_check(outcome: CheckOutcome, *, channel: str, origin: str = "") -> None:
    """Count one finished check; ``origin`` is the widget's embedding site, "" for the others."""
    assessment = outcome.assessment
    pattern = assessment.patterns[0].id if assessment.patterns else ""
    key = Key(today(), channel, origin[:ORIGIN_MAX_CHARS], assessment.risk_level, pattern)
    # A result that could not be saved means the database is away right now: writing would cost
    # the person a second connection timeout, so this check's count waits for a later one.
    add(key, may_write=outcome.result is None or outcome.saved)


def add(key: Key, n: int = 1, *, may_write: bool = True) -> None:
    """Count ``n`` checks of ``key``; write everything waiting when FLUSH_SECONDS have passed."""
    database = _database()
    with _waiting.lock:
        if _waiting.database != database:
            # Counted against another database (a test run swapped it in): never write them here.
            _waiting.counts.clear()
            _waiting.database = database
        _waiting.counts[key] += n
        due = may_write and time.monotonic() - _waiting.last_write >= FLUSH_SECONDS
        if not _waiting.exit_hook:
            atexit.register(flush)
            _waiting.exit_hook = True
    if due:
        flush()


def flush() -> int:
    """Write this process's waiting counts; return how many checks were written (0 after an error)."""
    with _waiting.lock:
        waiting, _waiting.counts = _waiting.counts, Counter()
        _waiting.last_write = time.monotonic()
        database = _waiting.database
    if not waiting:
        return 0
    if database != _database():
        return 0
    try:
        write(waiting)
    except DatabaseError as exc:
        # The class only: the message of a database error can quote the statement's parameters.
        log.warning("check counts not written, kept for the next try (%s)", exc.__class__.__name__)
        with _waiting.lock:
            if _waiting.database == database:
                _waiting.counts.update(waiting)
        return 0
    return sum(waiting.values())


def _database() -> str:
    # From settings, which a test run updates along with the connection, and quicker to read.
    return str(settings.DATABASES["default"]["NAME"])


def forget_waiting() -> None:
    """Drop this process's unwritten counts (tests start from nothing)."""
    with _waiting.lock:
        _waiting.counts.clear()
        _waiting.last_write = float("-inf")


def write(counts: Mapping[Key, int]) -> None:
    """Add ``counts`` to their rows in one transaction: one upsert per row, atomic under concurrency.

    Rows are written in key order, so two servers writing the same rows cannot deadlock.
    """
    day = connection.ops.adapt_datefield_value
    rows = [(day(k.day), k.channel, k.origin, k.level, k.pattern, n) for k, n in sorted(counts.items())]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(_upsert_sql(), rows)


@cache
def _upsert_sql() -> str:
    # INSERT … ON CONFLICT … DO UPDATE: PostgreSQL 9.5+ and SQLite 3.24+ spell it alike.
    q = connection.ops.quote_name
    table = q(CheckCount._meta.db_table)
    key = ", ".join(q(name) for name in Key._fields)
    count = q("count")
    # Names come from the model, never from input; every value is a parameter.
    return (
        f"INSERT INTO {table} ({key}, {count}) VALUES (%s, %s, %s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    )


def prune(days: int | None = None, *, on: date | None = None) -> int:
    """Delete counts older than ``days`` (CHECKER_TRENDS_DAYS); return how many rows went."""
    keep_from = (on or today()) - timedelta(days=(days or settings.CHECKER_TRENDS_DAYS) - 1)
    deleted, _ = CheckCount.objects.filter(day__lt=keep_from).delete()
    return deleted


# --- What is shown --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    day: date
    checks: Shown


@dataclass(frozen=True)
class PatternWeeks:
    id: str
    title: str
    url: str | None
    this_week: Shown
    last_week: Shown


@dataclass(frozen=True)
class Figures:
    """Everything /trends/, its CSV and the API show, every count already through :func:`shown`."""

    today: date
    days: tuple[Day, ...]
    total: Shown
    this_week: tuple[date, date]
    last_week: tuple[date, date]
    patterns: tuple[PatternWeeks, ...]


def _sums(start: date, end: date, by: str, **filters: Any) -> dict[Any, int]:
    rows = CheckCount.objects.filter(day__range=(start, end), **filters).values(by).annotate(n=Sum("count"))
    return {row[by]: row["n"] for row in rows.order_by()}


def _rank(value: Shown) -> int:
    # Ordered by what is shown, so the order of two "<5" rows gives away nothing more.
    return value if isinstance(value, int) else 0


def figures(on: date | None = None) -> Figures:
    """The last DAYS_SHOWN days by day, and every pattern's last 7 days against the 7 before."""
    end = on or today()
    start = end - timedelta(days=DAYS_SHOWN - 1)
    by_day = _sums(start, end, "day")
    days = tuple(Day(start + timedelta(i), shown(by_day.get(start + timedelta(i), 0))) for i in range(DAYS_SHOWN))

    this_week = (end - timedelta(days=WEEK - 1), end)
    last_week = (end - timedelta(days=2 * WEEK - 1), end - timedelta(days=WEEK))
    this = _sums(*this_week, "pattern")
    last = _sums(*last_week, "pattern")
    patterns = []
    for pattern_id in PATTERN_IDS:
        summary = pattern_summary(pattern_id)
        patterns.append(
            PatternWeeks(
                pattern_id,
                summary["title"],
                summary["url"],
                shown(this.get(pattern_id, 0)),
                shown(last.get(pattern_id, 0)),
            )
        )
    patterns.sort(key=lambda p: (-_rank(p.this_week), -_rank(p.last_week)))  # stable: taxonomy order
    return Figures(end, days, shown(sum(by_day.values())), this_week, last_week, tuple(patterns))


def as_json(found: Figures, absolute: Callable[[str], str]) -> dict[str, Any]:
    """The API's answer (documented in checker/openapi.py); ``absolute`` makes a path a full URL."""

    def span(dates: tuple[date, date]) -> dict[str, str]:
        return {"from": dates[0].isoformat(), "to": dates[1].isoformat()}

    return {
        "timezone": str(TZ),
        "today": found.today.isoformat(),
        "suppressed_below": SUPPRESS_BELOW,
        "total": found.total,
        "days": [{"date": d.day.isoformat(), "checks": d.checks} for d in found.days],
        "this_week": span(found.this_week),
        "last_week": span(found.last_week),
        "patterns": [
            {
                "id": p.id,
                "title": p.title,
                "url": absolute(p.url) if p.url else None,
                "this_week": p.this_week,
                "last_week": p.last_week,
            }
            for p in found.patterns
        ],
    }


CSV_HEADER = ("类别", "开始日期", "结束日期", "套路编号", "套路", "体检次数")


def csv_rows(found: Figures) -> Iterator[tuple[Shown, ...]]:
    """One table, so a spreadsheet can filter it: each day, then each pattern in both weeks."""
    yield CSV_HEADER
    for d in found.days:
        yield ("每天", d.day.isoformat(), d.day.isoformat(), "", "", d.checks)
    for label, week, attribute in (("最近7天", found.this_week, "this_week"), ("前7天", found.last_week, "last_week")):
        for p in found.patterns:
            yield (label, week[0].isoformat(), week[1].isoformat(), p.id, p.title, getattr(p, attribute))


def widget_origins(start: date, end: date) -> list[tuple[str, int]]:
    """Checks each embedding site's widget served between two days, most first (staff only, not suppressed)."""
    sums = _sums(start, end, "origin", channel="widget")
    return sorted(sums.items(), key=lambda item: (-item[1], item[0]))


# --- The chart --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    day: date
    checks: Shown
    x: float
    y: float
    width: float
    height: float

    @property
    def few(self) -> bool:
        return self.checks == SUPPRESSED


@dataclass(frozen=True)
class Gridline:
    y: float
    label: int


@dataclass(frozen=True)
class DateLabel:
    x: float
    day: date
    anchor: str
    # The last bar is labelled "今天": shorter than a date, so it never runs into the one before.
    today: bool = False


@dataclass(frozen=True)
class Chart:
    """Coordinates of the inline SVG bar chart (templates/partials/trends_chart.html), in its viewBox units."""

    width: int
    height: int
    left: float
    right: float
    baseline: float
    bars: tuple[Bar, ...]
    gridlines: tuple[Gridline, ...]
    dates: tuple[DateLabel, ...]
    # The busiest day shown, or None when every day is under SUPPRESS_BELOW.
    busiest: Bar | None

    @property
    def value_x(self) -> float:
        """Where the value labels end, just left of the plot."""
        return self.left - 4

    @property
    def date_y(self) -> float:
        return self.baseline + 18


# Sized for a phone: at 360 px the chart is drawn about 1:1, so 12 units of text are 12 px.
CHART_WIDTH, CHART_HEIGHT = 320, 184
_LEFT, _RIGHT, _TOP, _BOTTOM = 40, 4, 10, 30
FEW_HEIGHT = 3  # a day under SUPPRESS_BELOW: a short pale stub, whatever its true count


def _scale_top(value: int) -> int:
    """The smallest round number ≥ value whose half is whole too: 6, 8, 10, 20, 30, 40, 50, 60, 80, 100, 150 …"""
    step = 10 ** (len(str(max(value, 1))) - 1)
    for multiple in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        top = multiple * step
        if top >= value and top % 2 == 0:
            return int(top)
    return 10 * step


def chart(days: Sequence[Day]) -> Chart:
    counted = [d.checks for d in days if isinstance(d.checks, int)]
    top = _scale_top(max([SUPPRESS_BELOW + 1, *counted]))
    plot_height = CHART_HEIGHT - _TOP - _BOTTOM
    baseline = float(CHART_HEIGHT - _BOTTOM)
    right = float(CHART_WIDTH - _RIGHT)
    slot = (right - _LEFT) / max(len(days), 1)
    width = round(slot * 0.7, 2)
    bars = []
    for i, d in enumerate(days):
        height = FEW_HEIGHT if isinstance(d.checks, str) else d.checks / top * plot_height
        x = _LEFT + i * slot + (slot - width) / 2
        bars.append(Bar(d.day, d.checks, round(x, 2), round(baseline - height, 2), width, round(height, 2)))
    gridlines = tuple(Gridline(round(baseline - value / top * plot_height, 2), value) for value in (0, top // 2, top))
    # A date under every seventh bar, counting back from today, which closes the chart on the right.
    dates = []
    for i in range(len(bars) - 1, -1, -WEEK):
        bar = bars[i]
        if i == len(bars) - 1:
            dates.append(DateLabel(right, bar.day, "end", today=True))
        else:
            dates.append(DateLabel(round(bar.x + width / 2, 2), bar.day, "middle"))
    busiest = max((b for b in bars if not b.few), key=lambda b: b.checks, default=None)
    return Chart(
        CHART_WIDTH, CHART_HEIGHT, _LEFT, right, baseline, tuple(bars), gridlines, tuple(reversed(dates)), busiest
    )
