"""The public forms. Messages are written for a person on a phone, not for a developer."""

from __future__ import annotations

from django import forms
from django.conf import settings

from checker.pipeline import CheckError, CheckOutcome, run_check, validate

FEEDBACK_MAX_CHARS = 1000


class CheckForm(forms.Form):
    text = forms.CharField(
        label="对方让你做什么？",
        strip=True,
        error_messages={
            "required": "请先写下或粘贴对方让你做的事，再开始体检。",
            "null_characters_not_allowed": "文字里有无法识别的字符，请直接粘贴聊天里的文字内容。",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["maxlength"] = str(settings.CHECKER_MAX_CHARS)

    def clean_text(self) -> str:
        # The pipeline's own check, so the form, the widget and the API refuse alike, with one message.
        try:
            return validate(self.cleaned_data["text"])
        except CheckError as error:
            raise forms.ValidationError(error.message, code=error.code) from None

    def run(self) -> CheckOutcome | None:
        """The check of a valid form, saved; None (with the error on the field) when it cannot run."""
        try:
            return run_check(self.cleaned_data["text"], save=True)
        except CheckError as error:
            self.add_error("text", error.message)
            return None


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
