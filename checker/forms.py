"""The public forms. Messages are written for a person on a phone, not for a developer."""

from __future__ import annotations

from django import forms
from django.conf import settings

from checker.pipeline import CheckError, CheckOutcome, run_check, validate, validate_image
from checker.uploads import image_bytes

FEEDBACK_MAX_CHARS = 1000
# Fields whose refusal is about the picture, so the message goes under the file field.
IMAGE_CODES = frozenset(
    {"image_too_large", "unsupported_image", "unreadable_image", "empty_image", "no_text_in_image", "ocr_failed"}
)
IMAGE_TYPES = "image/png,image/jpeg,image/webp"
# The button under a too-long text: check only its last CHECKER_MAX_CHARS characters.
KEEP_FIELD = "keep"
KEEP_END = "end"


def too_long_message(length: int, limit: int) -> str:
    return (
        f"这段内容有 {length} 个字，超过了 {limit} 字，所以还没有检查。聊天记录里，对方真正的要求常常在最后："
        f"可以删掉前面的寒暄再试，或者点下面的按钮，只检查最后 {limit} 个字。"
    )


class CheckForm(forms.Form):
    text = forms.CharField(
        label="对方让你做什么？",
        strip=True,
        required=False,
        error_messages={
            "null_characters_not_allowed": "文字里有无法识别的字符，请直接粘贴聊天里的文字内容。",
        },
    )
    # A screenshot instead of (or beside) the text. Read in memory only (settings.FILE_UPLOAD_HANDLERS).
    image = forms.FileField(label="或者上传截图", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["image"].widget.attrs["accept"] = IMAGE_TYPES
        self.image: bytes | None = None
        # The pipeline's refusal when the check could not run: its status and Retry-After for the view.
        self.failure: CheckError | None = None
        # The length of a text over the limit, so the page can offer to keep its last part.
        self.too_long: int | None = None

    def clean_text(self) -> str:
        # The pipeline's own check, so the form, the widget and the API refuse alike, with one message.
        text = self.cleaned_data["text"]
        if not text:
            return ""
        limit = settings.CHECKER_MAX_CHARS
        if len(text) > limit and self.data.get(KEEP_FIELD) == KEEP_END:
            # Asked for after a refusal: a chat's actual request is usually at its end.
            text = text[-limit:].strip()
        try:
            return validate(text)
        except CheckError as error:
            if error.code == "too_long":
                self.too_long = len(text)
                raise forms.ValidationError(too_long_message(len(text), limit), code=error.code) from None
            raise forms.ValidationError(error.message, code=error.code) from None

    def clean_image(self) -> None:
        data = image_bytes(self.cleaned_data.get("image"))
        if data is not None:
            try:
                validate_image(data)
            except CheckError as error:
                self.failure = error
                raise forms.ValidationError(error.message, code=error.code) from None
        self.image = data

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors and not cleaned.get("text") and self.image is None:
            self.add_error("text", "请先写下或粘贴对方让你做的事，或者上传聊天截图，再开始体检。")
        return cleaned

    def run(self) -> CheckOutcome | None:
        """The check of a valid form, saved; None (with the error on its field) when it cannot run."""
        try:
            return run_check(self.cleaned_data["text"], save=True, image=self.image)
        except CheckError as error:
            self.failure = error
            self.add_error("image" if error.code in IMAGE_CODES else "text", error.message)
            return None

    @property
    def status(self) -> int:
        """The HTTP status of a form that could not be checked."""
        return self.failure.status if self.failure else 400


class FeedbackForm(forms.Form):
    comment = forms.CharField(
        label="哪里不对？（可不填）",
        required=False,
        max_length=FEEDBACK_MAX_CHARS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"最多 {FEEDBACK_MAX_CHARS} 个字。",
            "null_characters_not_allowed": "文字里有无法识别的字符。",
        },
    )
