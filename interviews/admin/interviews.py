"""Interviews: the list a recruiter works from (candidate opening the report, decision,
score), one interview's record (asked questions, transcript, evaluation, decisions), and
its extra pages (interviews.admin.invite, .live, .reports). An interview's record is
written by the interview itself."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from interviews.admin import invitation_emails, invite, live, recordings, reports
from interviews.admin.formats import natural_datetime
from interviews.admin.invite_links import show_invite_links
from interviews.admin.pages import DECISION_PERMISSIONS, SCORE_PERMISSIONS, ExtraPagesAdmin
from interviews.admin.records import DecisionInline
from interviews.models import Evaluation, Interview, InterviewQuestion, TranscriptSegment
from interviews.selectors import backoffice
from interviews.services import invites


class AskedQuestionInline(admin.TabularInline):
    model = InterviewQuestion
    fk_name = "interview"
    fields = readonly_fields = (
        "sequence",
        "stage",
        "text",
        "answer",
        "follow_up_to",
        "asked_at",
        "answered_at",
    )
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
    fields = readonly_fields = ("sequence", "speaker", "text", "spoken_at")
    extra = 0
    can_delete = False
    verbose_name_plural = "transcript"

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class EvaluationInline(admin.StackedInline):
    model = Evaluation
    fields = readonly_fields = (
        "status",
        "suggested_recommendation",
        "summary",
        "strengths",
        "concerns",
        "model_name",
        "prompt_version",
        "evaluated_at",
        "error",
    )
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AwaitingDecisionFilter(admin.SimpleListFilter):
    title = "awaiting decision"
    parameter_name = "awaiting"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("yes", "Awaiting a decision")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Interview]):
        if self.value() == "yes":
            return queryset.filter(backoffice.awaiting_decision_filter())
        return queryset


class DecisionFilter(admin.SimpleListFilter):
    title = "decision"
    parameter_name = "decision"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [*Evaluation.Recommendation.choices, ("none", "Not decided")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[backoffice.ReviewedInterview]):
        if self.value() == "none":
            return queryset.filter(current_decision__isnull=True)
        if self.value() in Evaluation.Recommendation.values:
            return queryset.filter(current_decision=self.value())
        return queryset


@admin.register(Interview)
class InterviewAdmin(ExtraPagesAdmin):
    list_display = [
        "candidate_report_link",
        "position",
        "status",
        "decision",
        "score",
        "date",
    ]
    list_display_links = None
    list_filter = [AwaitingDecisionFilter, DecisionFilter, "status", "position"]
    list_select_related = ["candidate", "position"]
    list_per_page = 50
    search_fields = ["candidate__email", "candidate__name", "=public_id", "room_name"]
    readonly_fields = [
        "report_link",
        "watch_live_link",
        "public_id",
        "kind",
        "status",
        "room_name",
        "invite_expires_at",
        "invite_revoked_at",
        "invitation_sent_at",
        "invitation_error",
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
    autocomplete_fields = ["candidate"]
    inlines = [AskedQuestionInline, TranscriptInline, EvaluationInline, DecisionInline]
    actions = [
        "new_invite_links",
        invitation_emails.email_interviews,
        "revoke_invites",
        reports.rerun_evaluation,
    ]
    extra_pages = (*live.PAGES, *reports.PAGES, *recordings.PAGES, *invite.PAGES)

    @admin.display(description="candidate", ordering="candidate__name")
    def candidate_report_link(self, interview: Interview) -> str:
        url = reverse("admin:interviews_interview_report", args=[interview.pk])
        name = interview.candidate.name if interview.candidate else "Not identified yet"
        return format_html('<a href="{}" title="Open the report">{}</a>', url, name)

    @admin.display(description="decision", ordering="current_decision")
    def decision(self, interview: backoffice.ReviewedInterview) -> str:
        if interview.current_decision:
            return Evaluation.Recommendation(interview.current_decision).label
        if interview.status in Interview.ENDED_STATUSES:
            return format_html('<strong class="awaiting">{}</strong>', "Awaiting")
        return "-"

    @admin.display(description="score", ordering="average_score")
    def score(self, interview: backoffice.ReviewedInterview) -> str:
        if interview.average_score is None:
            return "-"
        return f"{interview.average_score:.1f} / 5"

    @admin.display(description="date", ordering="last_activity")
    def date(self, interview: backoffice.ReviewedInterview) -> str:
        return natural_datetime(interview.last_activity)

    def get_list_display(self, request: HttpRequest):
        hidden = set()
        if not request.user.has_perms(DECISION_PERMISSIONS):
            hidden.add("decision")
        if not request.user.has_perms(SCORE_PERMISSIONS):
            hidden.add("score")
        return [column for column in self.list_display if column not in hidden]

    def get_list_filter(self, request: HttpRequest):
        if request.user.has_perms(DECISION_PERMISSIONS):
            return self.list_filter
        return [f for f in self.list_filter if f not in (AwaitingDecisionFilter, DecisionFilter)]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        return super().changelist_view(request, {"title": "Interviews", **(extra_context or {})})

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        # One way to invite: the form that takes an email and creates what is missing.
        return redirect("admin:interviews_interview_invite")

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

    def get_inlines(self, request: HttpRequest, obj: Interview | None):
        return self.inlines if obj is not None else []

    def get_queryset(self, request: HttpRequest) -> QuerySet[Interview]:
        return backoffice.with_review_state(super().get_queryset(request))

    def get_readonly_fields(self, request: HttpRequest, obj: Interview | None = None):
        # Position and candidate are chosen when the interview is created, then fixed.
        return ["position", "candidate", *self.readonly_fields]

    def save_model(self, request: HttpRequest, obj: Interview, form, change: bool) -> None:
        return  # An interview's record is written by the interview itself.

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
