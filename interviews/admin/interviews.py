"""Interviews: creating one with its invite link, following it (asked questions,
transcript, evaluation, decisions), and its extra pages (interviews.admin.live,
interviews.admin.reports). An interview's record is written by the interview itself."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html

from interviews.admin import live, reports
from interviews.admin.invite_links import show_invite_links
from interviews.admin.pages import ExtraPagesAdmin
from interviews.admin.records import DecisionInline
from interviews.models import Evaluation, Interview, InterviewQuestion, Position, TranscriptSegment
from interviews.services import invites


class AskedQuestionInline(admin.TabularInline):
    model = InterviewQuestion
    fk_name = "interview"
    fields = ["sequence", "stage", "text", "answer", "follow_up_to", "asked_at", "answered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "asked question"
    verbose_name_plural = "asked questions and answers"

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[InterviewQuestion]:
        return super().get_queryset(request).select_related("follow_up_to")


class TranscriptInline(admin.TabularInline):
    model = TranscriptSegment
    fields = ["sequence", "speaker", "text", "spoken_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "transcript"

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class EvaluationInline(admin.StackedInline):
    model = Evaluation
    fields = [
        "status",
        "suggested_recommendation",
        "summary",
        "strengths",
        "concerns",
        "model_name",
        "prompt_version",
        "evaluated_at",
        "error",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class NewInterviewForm(forms.ModelForm):
    invite_valid_days = forms.IntegerField(
        min_value=1, max_value=90, help_text="How long the invite link works."
    )

    class Meta:
        model = Interview
        fields = ["position", "candidate"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidate"].required = True
        self.fields["invite_valid_days"].initial = settings.INVITE_TTL_DAYS
        self.fields["position"].queryset = Position.objects.filter(is_active=True)


@admin.register(Interview)
class InterviewAdmin(ExtraPagesAdmin):
    list_display = [
        "public_id",
        "candidate",
        "position",
        "kind",
        "status",
        "ai_mode",
        "answered_count",
        "started_at",
        "created_at",
        "report_link",
    ]
    list_filter = ["status", "kind", "position", "ai_mode"]
    list_select_related = ["candidate", "position"]
    search_fields = ["candidate__email", "candidate__name", "=public_id", "room_name"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "report_link",
        "watch_live_link",
        "public_id",
        "kind",
        "status",
        "room_name",
        "invite_expires_at",
        "invite_revoked_at",
        "ai_mode",
        "consent_at",
        "accommodation_requested_at",
        "accommodation_note",
        "started_at",
        "ended_at",
        "created_at",
        "updated_at",
    ]
    fields = ["position", "candidate", *readonly_fields]
    raw_id_fields = ["candidate"]
    inlines = [AskedQuestionInline, TranscriptInline, EvaluationInline, DecisionInline]
    actions = ["new_invite_links", "revoke_invites", reports.rerun_evaluation]
    extra_pages = (*live.PAGES, *reports.PAGES)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Deleting an interview would take its decision trail with it: interview data
        # leaves only through erasure or the retention purge, which keep a record.
        return False

    @admin.display(description="report")
    def report_link(self, interview: Interview) -> str:
        if interview.pk is None:
            return "-"
        url = reverse("admin:interviews_interview_report", args=[interview.pk])
        return format_html('<a href="{}">Report</a>', url)

    @admin.display(description="live")
    def watch_live_link(self, interview: Interview) -> str:
        if interview.pk is None or interview.status != Interview.Status.IN_PROGRESS:
            return "Not in progress"
        url = reverse("admin:interviews_interview_watch", args=[interview.pk])
        return format_html('<a href="{}">Watch live</a>', url)

    def get_form(self, request: HttpRequest, obj: Interview | None = None, **kwargs):
        if obj is None:
            kwargs["form"] = NewInterviewForm
            kwargs["fields"] = ["position", "candidate", "invite_valid_days"]
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Interview | None = None):
        if obj is None:
            return ["position", "candidate", "invite_valid_days"]
        return self.fields

    def get_inlines(self, request: HttpRequest, obj: Interview | None):
        return self.inlines if obj is not None else []

    def get_queryset(self, request: HttpRequest) -> QuerySet[Interview]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _answered=Count(
                    "asked",
                    filter=Q(asked__answered_at__isnull=False, asked__follow_up_to__isnull=True),
                )
            )
        )

    @admin.display(description="answered", ordering="_answered")
    def answered_count(self, interview: Interview) -> int:
        return interview._answered

    def get_readonly_fields(self, request: HttpRequest, obj: Interview | None = None):
        # Position and candidate are chosen when the interview is created, then fixed.
        if obj is not None:
            return ["position", "candidate", *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Interview, form, change: bool) -> None:
        if change:
            return  # An interview's record is written by the interview itself.
        created = invites.interview_create(
            position=form.cleaned_data["position"],
            candidate=form.cleaned_data["candidate"],
            invite_ttl=timedelta(days=form.cleaned_data["invite_valid_days"]),
        )
        obj.pk = created.interview.pk
        obj.refresh_from_db()
        request.new_interview = created  # for response_add: the admin object is shared

    def response_add(self, request: HttpRequest, obj: Interview, post_url_continue=None):
        return show_invite_links(request, [request.new_interview], [])

    @admin.action(
        description="Issue new invite links (old links stop working)", permissions=["change"]
    )
    def new_invite_links(self, request: HttpRequest, queryset: QuerySet[Interview]) -> HttpResponse:
        created, errors = [], []
        for interview in queryset:
            try:
                created.append(invites.interview_reissue_invite(interview=interview))
            except ValidationError as exc:
                errors.append(f"{interview.public_id}: {' '.join(exc.messages)}")
        return show_invite_links(request, created, errors)

    @admin.action(description="Revoke the invite links", permissions=["change"])
    def revoke_invites(self, request: HttpRequest, queryset: QuerySet[Interview]) -> None:
        for interview in queryset:
            invites.interview_revoke_invite(interview=interview)
        self.message_user(request, f"{queryset.count()} invite(s) revoked.", messages.SUCCESS)
