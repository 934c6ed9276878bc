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
        self.fields["text"].widget.attrs["maxlength"] = str(settings.CHECKER_MAX_CHARS)
        self.fields["image"].widget.attrs["accept"] = IMAGE_TYPES
        self.image: bytes | None = None
        # The pipeline's refusal when the check could not run: its status and Retry-After for the view.
        self.failure: CheckError | None = None

    def clean_text(self) -> str:
        # The pipeline's own check, so the form, the widget and the API refuse alike, with one message.
        text = self.cleaned_data["text"]
        if not text:
            return ""
        try:
            return validate(text)
        except CheckError as error:
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
