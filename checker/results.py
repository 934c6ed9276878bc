"""Saved results: tokens, the one-time delete key, expiry, and what the result template shows.

The view, the JSON API and the widget all save through :func:`save_result` and render through
:func:`present`, so a shared link always shows exactly what its creator saw.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import segno
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from checker import presentation
from checker.analysis import Assessment
from checker.content import Channel, Pattern, get_channels, get_pattern
from checker.models import Feedback, Result
from checker.privacy import PLACEHOLDER, describe

# 24 random bytes = 192 bits, 32 URL-safe characters: unguessable, and short enough for a QR code.
TOKEN_BYTES = 24
DELETE_KEY_BYTES = 24
log = logging.getLogger(__name__)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_key(key: str) -> str:
    # A plain SHA-256 is enough: the key is 192 random bits, not a password that could be guessed.
    return hashlib.sha256(key.encode()).hexdigest()


def save_result(
    redacted_text: str, assessment: Assessment, *, redactions: Mapping[str, int] | None = None
) -> tuple[Result, str]:
    """Store an already redacted text and its assessment; return the result and its plain delete key.

    The caller must have run :func:`checker.privacy.redact` and assessed the redacted text, so the
    evidence spans point into what is stored. ``redactions`` is ``Redaction.counts``.
    """
    delete_key = secrets.token_urlsafe(DELETE_KEY_BYTES)
    result = Result.objects.create(
        token=new_token(),
        redacted_text=redacted_text,
        assessment=assessment.to_dict(),
        risk_level=assessment.risk_level,
        redactions=dict(redactions or {}),
        delete_key_hash=hash_key(delete_key),
        created_at=timezone.now(),
    )
    return result, delete_key


def save_or_keep(
    redacted_text: str, assessment: Assessment, *, redactions: Mapping[str, int] | None = None
) -> tuple[Result, str | None]:
    """Like :func:`save_result`, but when the database is unavailable the verdict is still returned.

    The result then comes back unsaved (``result.pk is None``, no delete key): the person sees the
    verdict and a note that no share link could be made, instead of an error page.
    """
    try:
        with transaction.atomic():
            return save_result(redacted_text, assessment, redactions=redactions)
    except DatabaseError as exc:
        # The exception class only: its message can quote the SQL parameters, i.e. the text.
        log.warning("result not saved, database unavailable (%s)", exc.__class__.__name__)
        unsaved = Result(
            token="",
            redacted_text=redacted_text,
            assessment=assessment.to_dict(),
            risk_level=assessment.risk_level,
            redactions=dict(redactions or {}),
            created_at=timezone.now(),
        )
        return unsaved, None


def retention() -> timedelta:
    return timedelta(days=settings.RESULT_RETENTION_DAYS)


def expires_at(result: Result) -> datetime:
    return result.created_at + retention()


def expired_results(now: datetime | None = None) -> QuerySet[Result]:
    # Computed from created_at with today's setting, so shortening the retention applies at once.
    return Result.objects.filter(created_at__lte=(now or timezone.now()) - retention())


def live_result(token: str) -> Result | None:
    """The result behind a share token, or None when unknown or past its retention period."""
    result = Result.objects.filter(token=token).first()
    if result is None or expires_at(result) <= timezone.now():
        return None
    return result


def key_matches(result: Result, delete_key: str) -> bool:
    return bool(delete_key) and hmac.compare_digest(hash_key(delete_key), result.delete_key_hash)


def delete_with_key(result: Result, delete_key: str) -> bool:
    if not key_matches(result, delete_key):
        return False
    result.delete()
    return True


def purge_expired(now: datetime | None = None) -> int:
    """Delete results older than RESULT_RETENTION_DAYS, and feedback older than FEEDBACK_RETENTION_DAYS.

    Returns how many results. Feedback outlives its result (checker.models.Feedback) only until then.
    """
    now = now or timezone.now()
    count = 0
    for result in expired_results(now).only("pk").iterator():
        result.delete()
        count += 1
    Feedback.objects.filter(created_at__lte=now - timedelta(days=settings.FEEDBACK_RETENTION_DAYS)).delete()
    return count


def keep_feedback(result: Result, comment: str) -> Feedback:
    """Store a comment (already redacted) with its own copy of the result's text and verdict."""
    return Feedback.objects.create(
        result=result,
        comment=comment,
        redacted_text=result.redacted_text,
        assessment=result.assessment,
        risk_level=result.risk_level,
    )


@dataclass(frozen=True)
class Segment:
    """A run of the text with the same marks. ``refs`` are the 1-based numbers of the patterns it is evidence for."""

    text: str
    refs: tuple[int, ...] = ()
    lawful: bool = False
    redacted: bool = False


def _clean_spans(spans: Iterable[Any], length: int) -> list[tuple[int, int]]:
    # Spans come back from JSON that another version of the engine may have written: trust nothing.
    clean = []
    for span in spans:
        try:
            start, end = (int(span[0]), int(span[1]))
        except (TypeError, ValueError, IndexError):
            continue
        start, end = max(0, start), min(length, end)
        if start < end:
            clean.append((start, end))
    return clean


def highlight_segments(text: str, evidence: Sequence[Iterable[Any]], lawful: Iterable[Any] = ()) -> list[Segment]:
    """Cut ``text`` into runs, each marked with the patterns whose evidence covers it.

    ``evidence[i]`` holds the spans of pattern number ``i + 1``. Placeholders left by redaction are
    marked too. The pieces are plain strings: the template escapes them.

    >>> highlight_segments("拍手持身份证照片", [[(1, 5)]])
    [Segment(text='拍', ...), Segment(text='手持身份证', refs=(1,), ...), Segment(text='照片', ...)]
    """
    length = len(text)
    per_pattern = [_clean_spans(spans, length) for spans in evidence]
    lawful_spans = _clean_spans(lawful, length)
    redacted_spans = []
    start = text.find(PLACEHOLDER)
    while start != -1:
        redacted_spans.append((start, start + len(PLACEHOLDER)))
        start = text.find(PLACEHOLDER, start + 1)

    cuts = {0, length}
    for spans in [*per_pattern, lawful_spans, redacted_spans]:
        for start, end in spans:
            cuts.update((start, end))
    points = sorted(cuts)

    def covered(spans: list[tuple[int, int]], a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in spans)

    segments: list[Segment] = []
    for a, b in zip(points, points[1:], strict=False):
        refs = tuple(i + 1 for i, spans in enumerate(per_pattern) if covered(spans, a, b))
        piece = Segment(text[a:b], refs, covered(lawful_spans, a, b), covered(redacted_spans, a, b))
        last = segments[-1] if segments else None
        if last and (last.refs, last.lawful, last.redacted) == (piece.refs, piece.lawful, piece.redacted):
            segments[-1] = Segment(last.text + piece.text, last.refs, last.lawful, last.redacted)
        else:
            segments.append(piece)
    return segments


def qr_svg(url: str) -> SafeString:
    """The share URL as an inline SVG QR code: prints crisply and needs no JavaScript or image request."""
    svg = segno.make(url, error="m").svg_inline(
        scale=1, border=2, omitsize=True, svgclass="qr", title="扫码打开这条体检结果", dark="#000", light="#fff"
    )
    # Safe: segno builds the markup itself; the URL is only encoded into the module pattern, never echoed.
    return mark_safe(svg)  # noqa: S308


def _pattern_content(pattern_id: str) -> Pattern | None:
    try:
        return get_pattern(pattern_id)
    except KeyError:  # an id from a newer engine than the content: show the bare id rather than fail
        return None


def folded_laws(patterns: Sequence[Pattern | None]) -> list[dict[str, Any]]:
    """The legal references of the matched patterns, each article once, in the order first cited.

    Two patterns often cite the same article; the page lists it once, naming every pattern it serves.
    """
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for pattern in patterns:
        if pattern is None:
            continue
        for ref in pattern.legal_refs:
            entry = seen.setdefault((ref.law.key, ref.article.key), {"ref": ref, "patterns": []})
            if pattern.title not in entry["patterns"]:
                entry["patterns"].append(pattern.title)
    return list(seen.values())


def _channel(key: str) -> Channel | None:
    return next((channel for channel in get_channels() if channel.key == key), None)


def present(result: Result) -> dict[str, Any]:
    """Everything templates/partials/result.html needs, for the page, htmx and the widget alike."""
    data = result.assessment
    text = result.redacted_text
    level, level_info = presentation.level(data.get("risk_level"))
    patterns = []
    for number, match in enumerate(data.get("patterns", []), start=1):
        spans = _clean_spans(match.get("evidence", []), len(text))
        patterns.append(
            {
                "number": number,
                "id": match.get("id", ""),
                "confidence": match.get("confidence"),
                "content": _pattern_content(match.get("id", "")),
                "url": presentation.pattern_url(match.get("id", "")),
                "quotes": [text[s:e] for s, e in spans],
            }
        )
    contents = [p["content"] for p in patterns]
    titles = [p["content"].title if p["content"] else p["id"] for p in patterns]
    when = timezone.localtime(result.created_at).strftime("%Y年%m月%d日 %H:%M")
    return {
        "result": result,
        "level": level,
        "level_info": level_info,
        "first_sentence": presentation.first_sentence(level, contents[0] if contents else None),
        "title_line": level_info.word + (f"：{titles[0]}" if level == "high" and titles else ""),
        "laws": folded_laws(contents),
        "police_summary": presentation.police_summary(
            when=when,
            level_word=level_info.word,
            titles=titles,
            quotes=[q for p in patterns for q in p["quotes"]],
            text=text,
        ),
        "fanzha_app": _channel("fanzha-app") if level == "high" else None,
        "handoff_steps": presentation.HANDOFF_STEPS,
        "coverage_note": presentation.COVERAGE_NOTE,
        "closing_step": presentation.CLOSING_STEP,
        "score": data.get("score"),
        "note": data.get("note", ""),
        "patterns": patterns,
        "segments": highlight_segments(
            text, [p.get("evidence", []) for p in data.get("patterns", [])], data.get("lawful_evidence", [])
        ),
        "has_lawful": bool(_clean_spans(data.get("lawful_evidence", []), len(text))),
        "removed": describe(result.redactions or {}),
        "expires_at": expires_at(result),
        "retention_days": settings.RESULT_RETENTION_DAYS,
    }
