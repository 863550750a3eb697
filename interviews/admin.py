"""The recruiters' back office. Writes go through interviews.services."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from interviews import services
from interviews.dashboard import LiveAdminMixin
from interviews.models import (
    Candidate,
    Evaluation,
    Interview,
    InterviewQuestion,
    Position,
    Question,
    TranscriptSegment,
)
from interviews.review_admin import CandidateDataRightsMixin, DecisionInline, InterviewReviewMixin


def invite_link(request: HttpRequest, secret: str) -> str:
    return request.build_absolute_uri(reverse("interviews:invite", kwargs={"invite": secret}))


def show_invite_links(
    request: HttpRequest, created: list[services.NewInterview], errors: list[str]
) -> HttpResponse:
    """Invite secrets are stored hashed: this page is the one time a recruiter sees them."""
    rows = [(new.interview, invite_link(request, new.invite_secret)) for new in created]
    context = {
        **admin.site.each_context(request),
        "title": "Invite links",
        "rows": rows,
        "errors": errors,
    }
    return TemplateResponse(request, "admin/interviews/invite_links.html", context)


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "slug",
        "is_active",
        "technical_questions",
        "behavioral_questions",
        "time_budget_minutes",
        "active_question_count",
        "suggestion_count",
    ]
    list_filter = ["is_active"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Position]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _active_questions=Count("questions", filter=Q(questions__is_active=True)),
                _suggestions=Count(
                    "questions",
                    filter=Q(questions__origin=Question.Origin.AGENT, questions__is_active=False),
                ),
            )
        )

    @admin.display(description="active questions", ordering="_active_questions")
    def active_question_count(self, position: Position) -> int:
        return position._active_questions

    @admin.display(description="suggestions to review", ordering="_suggestions")
    def suggestion_count(self, position: Position) -> int:
        return position._suggestions


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = [
        "short_text",
        "position",
        "stage",
        "experience_band",
        "order",
        "is_active",
        "origin",
    ]
    list_filter = ["position", "stage", "origin", "is_active"]
    list_select_related = ["position"]
    list_editable = ["order"]
    search_fields = ["text", "rubric"]
    ordering = ["position__title", "stage", "order", "id"]
    readonly_fields = ["origin", "suggested_in", "created_at"]
    raw_id_fields = ["suggested_in"]
    actions = ["activate", "deactivate", "approve_suggestions"]

    @admin.display(description="question", ordering="text")
    def short_text(self, question: Question) -> str:
        return question.text if len(question.text) <= 90 else question.text[:87] + "..."

    @admin.display(description="experience (years)")
    def experience_band(self, question: Question) -> str:
        return f"{question.min_experience}-{question.max_experience}"

    @admin.action(description="Activate the selected questions", permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        count = services.question_set_active(questions=list(queryset), active=True)
        self.message_user(request, f"{count} question(s) activated.", messages.SUCCESS)

    @admin.action(description="Deactivate the selected questions", permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        count = services.question_set_active(questions=list(queryset), active=False)
        self.message_user(request, f"{count} question(s) deactivated.", messages.SUCCESS)

    @admin.action(
        description="Approve the selected suggestions into the bank", permissions=["change"]
    )
    def approve_suggestions(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        suggestions = list(queryset.filter(origin=Question.Origin.AGENT))
        count = services.question_set_active(questions=suggestions, active=True)
        skipped = queryset.count() - len(suggestions)
        note = f" {skipped} recruiter question(s) skipped." if skipped else ""
        self.message_user(request, f"{count} suggestion(s) approved.{note}", messages.SUCCESS)


class CandidateInterviewInline(admin.TabularInline):
    model = Interview
    fields = ["public_id", "position", "status", "started_at", "ended_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Interview]:
        return super().get_queryset(request).select_related("position")


@admin.register(Candidate)
class CandidateAdmin(CandidateDataRightsMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "position",
        "experience_years",
        "interview_count",
        "created_at",
    ]
    list_filter = ["position"]
    list_select_related = ["position"]
    search_fields = ["email", "name"]
    readonly_fields = ["created_at", "updated_at", "data_rights"]
    inlines = [CandidateInterviewInline]
    actions = ["invite", "export_data"]

    @admin.action(
        description="Invite the selected candidates to an interview", permissions=["invite"]
    )
    def invite(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> HttpResponse:
        created, errors = [], []
        for candidate in queryset.select_related("position"):
            try:
                created.append(
                    services.interview_create(position=candidate.position, candidate=candidate)
                )
            except ValidationError as exc:
                errors.append(f"{candidate.email}: {' '.join(exc.messages)}")
        return show_invite_links(request, created, errors)

    def has_invite_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("interviews.add_interview")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Candidate]:
        return super().get_queryset(request).annotate(_interviews=Count("interviews"))

    @admin.display(description="interviews", ordering="_interviews")
    def interview_count(self, candidate: Candidate) -> int:
        return candidate._interviews


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
class InterviewAdmin(LiveAdminMixin, InterviewReviewMixin, admin.ModelAdmin):
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
    actions = ["new_invite_links", "revoke_invites", "rerun_evaluation"]

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
        created = services.interview_create(
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
                created.append(services.interview_reissue_invite(interview=interview))
            except ValidationError as exc:
                errors.append(f"{interview.public_id}: {' '.join(exc.messages)}")
        return show_invite_links(request, created, errors)

    @admin.action(description="Revoke the invite links", permissions=["change"])
    def revoke_invites(self, request: HttpRequest, queryset: QuerySet[Interview]) -> None:
        for interview in queryset:
            services.interview_revoke_invite(interview=interview)
        self.message_user(request, f"{queryset.count()} invite(s) revoked.", messages.SUCCESS)
