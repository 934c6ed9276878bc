"""The public forms. Messages are written for a person on a phone, not for a developer."""

from __future__ import annotations

from django import forms
from django.conf import settings

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
        # Checked here rather than with max_length, so the limit is read from settings per request.
        text = self.cleaned_data["text"]
        limit = settings.CHECKER_MAX_CHARS
        if len(text) > limit:
            raise forms.ValidationError(
                f"最多 {limit} 个字，你写了 {len(text)} 个。请只保留对方提出要求的那几句话。", code="max_length"
            )
        return text


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
