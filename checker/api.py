"""The JSON API for partners: reading a request body defensively, and what a check returns.

A request is ``{"text": "...", "save": false}``, or a multipart/form-data form with a screenshot in
``image`` and optional ``text`` and ``save`` fields (:func:`parse_check_form`). Anything else becomes an :class:`ApiError` with an
HTTP status, a stable ``code`` and a message for a person, never a 500::

    >>> parse_check_request(b'{"text": 42}')
    ApiError(400, 'wrong_type', '“text” 必须是字符串。')

The response is the assessment contract of shared/taxonomy.md plus, per pattern, the authored
title, warning, advice and legal references, the redacted text the evidence offsets point into,
and what redaction removed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from checker.analysis import Assessment
from checker.pipeline import ImageReading
from checker.presentation import pattern_summary
from checker.privacy import Redaction

API_VERSION = "v1"


class ApiError(Exception):
    """A request the API refuses, with the status to send and a message for a person."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"ApiError({self.status}, {self.code!r}, {self.message!r})"

    def to_dict(self) -> dict[str, str]:
        return {"error": self.code, "message": self.message}


@dataclass(frozen=True)
class CheckRequest:
    text: str | None
    save: bool = False
    # A screenshot's bytes (multipart/form-data); the text is then optional.
    image: bytes | None = field(default=None, repr=False)


def too_large(limit: int | None = None) -> ApiError:
    return ApiError(413, "too_large", f"请求体太大：最多 {limit or settings.DATA_UPLOAD_MAX_MEMORY_SIZE} 字节。")


def parse_check_request(body: bytes) -> CheckRequest:
    """Validate a raw request body; raise :class:`ApiError` for anything that is not a usable check.

    The content type is not insisted on: a browser sending ``text/plain`` avoids a CORS preflight,
    and the body is JSON or it is refused either way.
    """
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "invalid_json", "请求体不是 UTF-8 编码的 JSON。") from None
    try:
        data = json.loads(decoded)
    except RecursionError:
        # Thousands of nested brackets exhaust the parser's stack; the size limit keeps this cheap.
        raise ApiError(400, "invalid_json", "请求体的 JSON 嵌套太深。") from None
    except ValueError:
        raise ApiError(400, "invalid_json", "请求体不是合法的 JSON。") from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", '请求体必须是 JSON 对象，例如 {"text": "…"}。')
    if "text" not in data:
        raise ApiError(400, "missing_text", "缺少 “text”：请把要检查的文字放在 “text” 里。")
    text, save = data["text"], data.get("save", False)
    if not isinstance(text, str):
        raise ApiError(400, "wrong_type", "“text” 必须是字符串。")
    if not isinstance(save, bool):
        raise ApiError(400, "wrong_type", "“save” 必须是 true 或 false。")
    # The text itself is checked by the one pipeline (checker/pipeline.py), as the form's is.
    return CheckRequest(text=text, save=save)


_SAVE_VALUES = {"true": True, "1": True, "false": False, "0": False, "": False}


def parse_check_form(post: Mapping[str, str], image: bytes | None) -> CheckRequest:
    """A multipart check: ``image``, and optional ``text`` and ``save`` (``true``/``false``). Text alone is JSON."""
    text = post.get("text") or None
    if image is None:
        raise ApiError(400, "missing_image", "缺少 “image”：请把截图放在 multipart 表单的 “image” 字段里。")
    save = _SAVE_VALUES.get(post.get("save", "").strip().lower())
    if save is None:
        raise ApiError(400, "wrong_type", "“save” 必须是 true 或 false。")
    return CheckRequest(text=text, save=save, image=image)


def ocr_details(reading: ImageReading) -> dict[str, Any]:
    """What was read from the screenshot: its text (screen chrome dropped, numbers redacted) and QR codes."""
    return {"text": reading.text, "qr": list(reading.qr)}


def _pattern_details(pattern_id: str, absolute: Callable[[str], str]) -> dict[str, Any]:
    summary = pattern_summary(pattern_id)
    return {**summary, "url": absolute(summary["url"]) if summary["url"] else None}


def check_response(
    redaction: Redaction,
    assessment: Assessment,
    *,
    absolute: Callable[[str], str],
    share_url: str | None = None,
    delete_key: str | None = None,
) -> dict[str, Any]:
    """The body of a successful check.

    ``absolute`` turns a path into a full URL (``request.build_absolute_uri``), so a partner can
    link to pattern pages from its own site. ``share_url`` and ``delete_key`` are given only when
    the result was saved; the key is in this one answer only, as the form shows it once.
    """
    body = assessment.to_dict()
    body["patterns"] = [{**match, **_pattern_details(match["id"], absolute)} for match in body["patterns"]]
    body["text"] = redaction.text
    body["redactions"] = redaction.removed
    # "saved" is false both when saving was not asked for and when the database could not store it.
    body["saved"] = share_url is not None
    if share_url is not None:
        body["url"] = share_url
        if delete_key is not None:
            body["delete_key"] = delete_key
    return body
