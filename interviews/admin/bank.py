"""The question bank: positions and their questions, and recruiters' review of the
interviewer's suggestions."""

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from interviews.models import Position, Question
from interviews.services import questions


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
        count = questions.question_set_active(questions=list(queryset), active=True)
        self.message_user(request, f"{count} question(s) activated.", messages.SUCCESS)

    @admin.action(description="Deactivate the selected questions", permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        count = questions.question_set_active(questions=list(queryset), active=False)
        self.message_user(request, f"{count} question(s) deactivated.", messages.SUCCESS)

    @admin.action(
        description="Approve the selected suggestions into the bank", permissions=["change"]
    )
    def approve_suggestions(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        suggestions = list(queryset.filter(origin=Question.Origin.AGENT))
        count = questions.question_set_active(questions=suggestions, active=True)
        skipped = queryset.count() - len(suggestions)
        note = f" {skipped} recruiter question(s) skipped." if skipped else ""
        self.message_user(request, f"{count} suggestion(s) approved.{note}", messages.SUCCESS)
