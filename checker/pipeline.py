"""One way through a check, for the form, the widget and the API: validate → redact → assess → save.

The views call :func:`run_check` and render what it returns; every refusal of the input is one
:class:`CheckError` with one message and one HTTP status, whichever view received it::

    >>> run_check("兼职拍手持身份证照片，一张50元", save=True).assessment.risk_level
    'high'
    >>> run_check("", save=False)
    CheckError(400, 'empty', '请先写下对方让你做什么（内容不能为空）。')

A screenshot enters here too, as bytes: its recognised text, cleaned of the screen around the
message (checker/ocr/cleanup.py), joins the typed text, if any, and goes through the same steps::

    >>> run_check("", save=False, image=png_bytes).ocr.text
    '兼职招聘：在家拍一张手持身份证正反面的照片……'

The image is never saved or logged; only the redacted text is assessed and stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from checker.analysis import Assessment, InputError, assess
from checker.analysis.engine import validate_text
from checker.models import Result
from checker.privacy import Redaction, redact
from checker.results import save_or_keep

# A text over the length limit or an image too large is "too large"; every other refusal of the
# input is a plain bad request. A busy or stopped OCR service is the server's, not the input's.
STATUS = {
    "too_long": 413,
    "image_too_large": 413,
    "unsupported_image": 415,
    "no_text_in_image": 422,
    "ocr_failed": 422,
    "ocr_busy": 503,
    "ocr_unavailable": 503,
}
# Appended to what a screenshot says when it holds a QR code: in a gift, prize or app-download
# offer the code is itself a cue, and "二维码" is a word of the rules' `qr` cue group (content/cues.yaml).
QR_MARKER = "（图片里有二维码）"
OCR_BUSY_MESSAGE = "现在读图片的人有点多，请过几秒再试一次。也可以直接把对方的话粘贴进来体检，不用等。"
OCR_UNAVAILABLE_MESSAGE = "读图片的服务暂时不可用，请稍后再试，或直接把对方的话粘贴进来体检。"


class CheckError(Exception):
    """Input no check can be run on. ``status`` is the HTTP status; ``code`` is stable for the API.

    ``retry_after`` (seconds) is set when trying again later will work (a busy OCR service).
    """

    def __init__(self, code: str, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = STATUS.get(code, 400)
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return f"CheckError({self.status}, {self.code!r}, {self.message!r})"


@dataclass(frozen=True)
class ImageReading:
    """What a screenshot said, as shown to the person: both redacted like any text, never saved as such."""

    # The recognised message, without the status bar, names, time stamps and buttons.
    text: str
    # Decoded QR codes: shown as plain text, never as links.
    qr: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckOutcome:
    redaction: Redaction
    assessment: Assessment
    # The stored result; unsaved (pk None) when saving was not asked for or the database is away.
    result: Result | None
    # Given once, to the creator only; None when nothing was saved.
    delete_key: str | None
    # Only for a check with a screenshot.
    ocr: ImageReading | None = None

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


def validate_image(data: bytes) -> None:
    """The web process's check of an upload, before it is sent to OCR: format, bytes, pixels, structure."""
    from checker.ocr.images import ImageRefused, check_image

    try:
        check_image(data, max_bytes=settings.CHECKER_IMAGE_MAX_BYTES, max_pixels=settings.CHECKER_IMAGE_MAX_PIXELS)
    except ImageRefused as refused:
        raise CheckError(refused.code, refused.message) from None


def read_image(data: bytes) -> tuple[str, tuple[str, ...]]:
    """OCR in the service's processes: the cleaned message and the decoded QR codes (not yet redacted)."""
    from checker.ocr import cleanup, pool

    validate_image(data)
    try:
        reading = pool.read(data)
    except pool.OcrBusy as busy:
        raise CheckError("ocr_busy", OCR_BUSY_MESSAGE, retry_after=busy.retry_after) from None
    except pool.OcrUnavailable:
        raise CheckError("ocr_unavailable", OCR_UNAVAILABLE_MESSAGE, retry_after=30) from None
    except pool.OcrRefused as refused:
        raise CheckError(refused.code, refused.message) from None
    return cleanup.message_text(reading), reading.qr


def _with_image(text: object, image: bytes) -> tuple[str, ImageReading]:
    typed = validate(text) if isinstance(text, str) and text.strip() else ""
    recognised, qr = read_image(image)
    if not recognised.strip() and not qr and not typed:
        raise CheckError("no_text_in_image", "这张图片里没有认出文字。请换一张清楚的截图，或直接把对方的话写下来。")
    marker = QR_MARKER if qr else ""
    # A long screenshot is cut to fit, rather than refused: the person cannot shorten a picture.
    room = settings.CHECKER_MAX_CHARS - len(typed) - len(marker) - 2
    parts = [typed, recognised[: max(0, room)].strip(), marker]
    combined = "\n".join(part for part in parts if part)
    reading = ImageReading(text=redact(recognised).text, qr=tuple(redact(code).text for code in qr))
    return combined, reading


def run_check(text: object, *, save: bool, image: bytes | None = None) -> CheckOutcome:
    """Check a text, or a screenshot (``image``, bytes) with an optional typed text beside it."""
    reading = None
    if image is not None:
        text, reading = _with_image(text, image)
    # Redact first: only the redacted text is assessed, stored and shown, so evidence spans point into it.
    redaction = redact(validate(text))
    try:
        assessment = assess(redaction.text)
    except InputError as error:  # what redaction left is empty (only a number was sent)
        raise CheckError(error.code, error.message) from None
    if not save:
        return CheckOutcome(redaction, assessment, None, None, reading)
    result, delete_key = save_or_keep(redaction.text, assessment, redactions=redaction.counts)
    return CheckOutcome(redaction, assessment, result, delete_key, reading)
