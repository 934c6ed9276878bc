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
    """'This result looks wrong', kept for review in the admin.

    The feedback holds its own copy of the (redacted) text and verdict, so the promised review can
    still happen after the person deletes the result: deleting detaches it from the share link
    (``result`` becomes empty) instead of deleting it. It is purged after FEEDBACK_RETENTION_DAYS.
    """

    result = models.ForeignKey(Result, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback")
    # Redacted like the text itself: people write their numbers here too.
    comment = models.TextField(blank=True)
    # The result's redacted text and assessment when the feedback was given.
    redacted_text = models.TextField(blank=True)
    assessment = models.JSONField(default=dict, blank=True)
    risk_level = models.CharField(max_length=8, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reviewed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "结果反馈"
        verbose_name_plural = "结果反馈"

    def __str__(self) -> str:
        return f"反馈 · {self.created_at:%Y-%m-%d %H:%M}"


class CheckCount(models.Model):
    """How many checks ended in one level and top pattern, per day and channel (checker/trends.py).

    Counters only: no text, share token, address or time of day, so no row leads back to a person.
    """

    CHANNELS = {"site": "网站", "widget": "小组件", "api": "API"}

    # The Asia/Shanghai date of the check.
    day = models.DateField()
    channel = models.CharField(max_length=8, choices=CHANNELS)
    # The widget's embedding site (scheme://host[:port]) when it is allowed to frame it; "" otherwise.
    origin = models.CharField(max_length=255, blank=True)
    level = models.CharField(max_length=8)
    # The assessment's first pattern id; "" when none matched.
    pattern = models.CharField(max_length=64, blank=True)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-day", "channel", "origin", "level", "pattern"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "channel", "origin", "level", "pattern"], name="checkcount_one_row_per_key"
            )
        ]
        verbose_name = "体检次数"
        verbose_name_plural = "体检次数"

    def __str__(self) -> str:
        return f"{self.day} · {self.channel} · {self.level} · {self.count}"
