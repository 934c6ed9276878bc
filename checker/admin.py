"""Admin: review the 'this result looks wrong' feedback next to the (redacted) result it is about."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from checker import trends
from checker.models import CheckCount, Feedback, Result


def reasons_html(result: Result | Feedback) -> str:
    """The verdict's reasons (checker/analysis/scoring.py), one per line, so a reviewer sees what decided it."""
    reasons = result.assessment.get("reasons") or ["（这条结果保存时还没有记录理由）"]
    return format_html_join("", "<div>{}</div>", ((r,) for r in reasons))


class FeedbackInline(admin.TabularInline):
    model = Feedback
    extra = 0
    fields = ("created_at", "comment", "reviewed")
    readonly_fields = ("created_at", "comment")


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ("created_at", "risk_level", "excerpt", "feedback_count")
    list_filter = ("risk_level", "created_at")
    date_hierarchy = "created_at"
    # No token or delete hash on screen: staff do not need the public handle to review.
    fields = ("created_at", "risk_level", "redacted_text", "reasons", "assessment", "redactions", "public_page")
    readonly_fields = fields
    inlines = [FeedbackInline]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="文字摘要")
    def excerpt(self, obj: Result) -> str:
        return obj.redacted_text[:60]

    @admin.display(description="反馈数")
    def feedback_count(self, obj: Result) -> int:
        return obj.feedback.count()

    @admin.display(description="判断的理由")
    def reasons(self, obj: Result) -> str:
        return reasons_html(obj)

    @admin.display(description="公开页面")
    def public_page(self, obj: Result) -> str:
        return format_html('<a href="{}" target="_blank" rel="noopener">打开</a>', obj.get_absolute_url())


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("created_at", "reviewed", "comment_excerpt", "risk_level")
    list_filter = ("reviewed", "created_at", "risk_level")
    list_editable = ("reviewed",)
    fields = ("created_at", "comment", "reviewed", "result_text", "result_reasons", "result_assessment", "public_page")
    readonly_fields = ("created_at", "comment", "result_text", "result_reasons", "result_assessment", "public_page")
    list_select_related = ("result",)
    actions = ["mark_reviewed"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="反馈")
    def comment_excerpt(self, obj: Feedback) -> str:
        return obj.comment[:60] or "（未填写）"

    # The feedback's own copy of the text and verdict: the result may have been deleted since.
    @admin.display(description="被反馈的文字（已隐去号码）")
    def result_text(self, obj: Feedback) -> str:
        return obj.redacted_text

    @admin.display(description="判断的理由")
    def result_reasons(self, obj: Feedback) -> str:
        return reasons_html(obj)

    @admin.display(description="当时的判断")
    def result_assessment(self, obj: Feedback) -> dict:
        return obj.assessment

    @admin.display(description="公开页面")
    def public_page(self, obj: Feedback) -> str:
        if obj.result is None:
            return "（结果已被删除或过期，只留下这条反馈）"
        return format_html('<a href="{}" target="_blank" rel="noopener">打开</a>', obj.result.get_absolute_url())

    @admin.action(description="标记为已复核")
    def mark_reviewed(self, request, queryset) -> None:
        queryset.update(reviewed=True)


@admin.register(CheckCount)
class CheckCountAdmin(admin.ModelAdmin):
    """The counts behind /trends/, read-only (checks write them, prune_trends deletes them), not suppressed."""

    list_display = ("day", "channel", "origin", "level", "pattern", "count")
    list_filter = ("channel", "origin", "level", "day")
    date_hierarchy = "day"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        # Above the list: how many checks each station's widget served this month.
        today = trends.today()
        month_start = today.replace(day=1)
        context = {"month_start": month_start, "widget_origins": trends.widget_origins(month_start, today)}
        return super().changelist_view(request, {**context, **(extra_context or {})})
