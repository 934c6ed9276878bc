"""One way through a check, for the form, the widget and the API: validate → redact → assess → save.

The views call :func:`run_check` and render what it returns; every refusal of the input is one
:class:`CheckError` with one message and one HTTP status, whichever view received it::

    >>> run_check("兼职拍手持身份证照片，一张50元", save=True).assessment.risk_level
    'high'
    >>> run_check("", save=False)
    CheckError(400, 'empty', '请先写下对方让你做什么（内容不能为空）。')

A screenshot will enter here too: its recognised text goes through the same steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from checker.analysis import Assessment, InputError, assess
from checker.analysis.engine import validate_text
from checker.models import Result
from checker.privacy import Redaction, redact
from checker.results import save_or_keep

# Only a text over the length limit is "too large"; every other refusal is a plain bad request.
STATUS = {"too_long": 413}


class CheckError(Exception):
    """Input no check can be run on. ``status`` is the HTTP status; ``code`` is stable for the API."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = STATUS.get(code, 400)

    def __repr__(self) -> str:
        return f"CheckError({self.status}, {self.code!r}, {self.message!r})"


@dataclass(frozen=True)
class CheckOutcome:
    redaction: Redaction
    assessment: Assessment
    # The stored result; unsaved (pk None) when saving was not asked for or the database is away.
    result: Result | None
    # Given once, to the creator only; None when nothing was saved.
    delete_key: str | None

    @property
    def saved(self) -> bool:
        return self.delete_key is not None


def validate(text: object) -> str:
    """The one check of a submitted text: a string, not blank, within the length limit, storable."""
    try:
        text = validate_text(text, settings.CHECKER_MAX_CHARS)
    except InputError as error:
        raise CheckError(error.code, error.message) from None
    if "\x00" in text:
        raise CheckError("invalid_characters", "文字里有无法识别的字符（NUL），请直接粘贴聊天里的文字内容。")
    try:
        # JSON may carry lone surrogates ("\ud800"), which no database column can store.
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise CheckError("invalid_characters", "文字里有无法编码的字符（孤立的代理项），请直接粘贴文字内容。") from None
    return text


def run_check(text: object, *, save: bool) -> CheckOutcome:
    # Redact first: only the redacted text is assessed, stored and shown, so evidence spans point into it.
    redaction = redact(validate(text))
    try:
        assessment = assess(redaction.text)
    except InputError as error:  # what redaction left is empty (only a number was sent)
        raise CheckError(error.code, error.message) from None
    if not save:
        return CheckOutcome(redaction, assessment, None, None)
    result, delete_key = save_or_keep(redaction.text, assessment, redactions=redaction.counts)
    return CheckOutcome(redaction, assessment, result, delete_key)
