"""The audit records: decisions (also inline on an interview) and erasures. Readable,
never editable."""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from interviews.models import DecisionRecord, ErasureRecord


class DecisionInline(admin.TabularInline):
    model = DecisionRecord
    fields = readonly_fields = (
        "decided_at",
        "decided_by_username",
        "decision",
        "suggested_recommendation",
        "note",
    )
    extra = 0
    can_delete = False
    verbose_name_plural = "decisions (latest first; record a new one on the report page)"

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    # No second count of every row beside the paginator's.
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(DecisionRecord)
class DecisionRecordAdmin(ReadOnlyAdmin):
    """The audit trail of decisions: readable, never editable."""

    list_display = ["decided_at", "interview_link", "decision", "suggested_recommendation"]
    list_filter = ["decision"]
    list_select_related = ["interview"]
    fields = [
        "interview",
        "decision",
        "note",
        "suggested_recommendation",
        "decided_by_username",
        "decided_at",
    ]
    # No date hierarchy: it reads the dates of every decision on each page view.

    @admin.display(description="interview")
    def interview_link(self, record: DecisionRecord) -> str:
        url = reverse("admin:interviews_interview_report", args=[record.interview_id])
        return format_html('<a href="{}">{}</a>', url, record.interview.public_id)


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyAdmin):
    list_display = ["erased_at", "reason", "erased_by_username", "counts"]
    list_filter = ["reason"]
    fields = ["erased_at", "reason", "erased_by_username", "counts"]
