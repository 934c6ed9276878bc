"""Saved results and the feedback on them. Only redacted text is ever stored here."""

from __future__ import annotations

from django.db import models


class Result(models.Model):
    # The only public handle: random, URL-safe, at least 128 bits (see checker/results.py).
    # Public URLs never carry the sequential primary key.
    token = models.CharField(max_length=64, unique=True)
    redacted_text = models.TextField()
    # Assessment.to_dict(): evidence spans point into redacted_text.
    assessment = models.JSONField()
    # Kept beside the JSON so the admin can filter on it.
    risk_level = models.CharField(max_length=8, db_index=True)
    # What redaction removed, kind → count (e.g. {"mobile": 1}); never the values.
    redactions = models.JSONField(default=dict, blank=True)
    # SHA-256 of the creator's delete key; the key itself is shown once and never stored.
    delete_key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "体检结果"
        verbose_name_plural = "体检结果"

    def __str__(self) -> str:
        return f"{self.risk_level} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("result", args=[self.token])


class Feedback(models.Model):
    """'This result looks wrong', kept for review in the admin."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="feedback")
    # Redacted like the text itself: people write their numbers here too.
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "结果反馈"
        verbose_name_plural = "结果反馈"

    def __str__(self) -> str:
        return f"反馈 · {self.created_at:%Y-%m-%d %H:%M}"
