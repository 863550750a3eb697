"""The question bank: positions with their open link, their questions (also as CSV), and
recruiters' review of the interviewer's suggestions."""

from __future__ import annotations

from contextvars import ContextVar
from typing import TypedDict

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django_stubs_ext import WithAnnotations
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV
from import_export.forms import ExportForm

from interviews.admin.bank_add import add_question
from interviews.admin.bank_csv import QuestionResource
from interviews.admin.counts import row_count
from interviews.admin.exercises import CodingExerciseInline, exercise_inline_classes
from interviews.admin.pages import ExtraPage, ExtraPagesAdmin
from interviews.links import apply_url
from interviews.models import MAX_EXPERIENCE_YEARS, Position, Question
from interviews.selectors.bank_overview import BankOverview, position_bank_overview
from interviews.selectors.notices import current_notice, notice_mentions_coding
from interviews.services import positions, questions
from interviews.templatetags.backoffice import link_box_html

_current_request: ContextVar[HttpRequest] = ContextVar("position_admin_request")


def switch_open_link(
    model_admin: ExtraPagesAdmin, request: HttpRequest, object_id: int
) -> HttpResponse:
    """Turn a position's open link on or off (POST, from the list's switch)."""
    position = model_admin.viewable_object(request, object_id, Position)
    if request.method != "POST" or not model_admin.has_change_permission(request, position):
        raise PermissionDenied
    turn_on = request.POST.get("open") == "on"
    positions.position_set_open(position=position, is_open=turn_on)
    state = "on: anyone with it can be interviewed" if turn_on else "off: it no longer works"
    model_admin.message_user(request, f"The {position.title} open link is {state}.")
    return redirect("admin:interviews_position_changelist")


class _BankCounts(TypedDict):
    _active_questions: int
    _suggestions: int


@admin.register(Position)
class PositionAdmin(ExtraPagesAdmin):
    list_display = [
        "title",
        "open_link",
        "open_switch",
        "active_question_count",
        "suggestion_count",
    ]
    list_filter = ["is_active"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["open_link"]
    extra_pages = (
        ExtraPage("<int:object_id>/open-link/", switch_open_link, "open_link", post_only=True),
        ExtraPage(
            "<int:object_id>/questions/<str:stage>/add/",
            add_question,
            "add_question",
            post_only=True,
        ),
    )

    # The plan's counts in the order an interview asks them.
    PLAN_FIELDS = ("technical_questions", "coding_questions", "behavioral_questions")

    def get_fields(self, request: HttpRequest, obj: Position | None = None):
        fields = [
            f
            for f in super().get_fields(request, obj)
            if f != "open_link" and f not in self.PLAN_FIELDS
        ]
        at = fields.index("time_budget_minutes") if "time_budget_minutes" in fields else len(fields)
        fields[at:at] = self.PLAN_FIELDS
        return [*fields, "open_link"] if obj is not None else fields

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The position's questions of every stage, in place, beside the plan.
        if obj is not None:
            context["bank"] = bank = position_bank_overview(position=obj)
            context["plan_warnings"] = self._plan_warnings(obj, bank)
            context["can_add_question"] = self.admin_site.get_model_admin(
                Question
            ).has_add_permission(request)
            context["question_limits"] = {
                "text": questions.MAX_QUESTION_LENGTH,
                "years": MAX_EXPERIENCE_YEARS,
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def _plan_warnings(position: Position, bank: BankOverview) -> list[str]:
        warnings = bank.warnings
        if position.coding_questions and not notice_mentions_coding(current_notice()):
            warnings.append(
                "The plan holds coding exercises, but the current notice does not tell "
                "candidates about a coding round: publish a notice version that does."
            )
        return warnings

    def _warn_about_the_plan(self, request: HttpRequest, position: Position) -> None:
        bank = position_bank_overview(position=position)
        for warning in self._plan_warnings(position, bank):
            self.message_user(request, warning, messages.WARNING)

    def response_add(self, request: HttpRequest, obj: Position, post_url_continue=None):
        self._warn_about_the_plan(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request: HttpRequest, obj: Position):
        self._warn_about_the_plan(request, obj)
        return super().response_change(request, obj)

    @admin.display(description="open link")
    def open_link(self, position: Position) -> str:
        url = apply_url(_current_request.get(), position)
        if not position.is_active:
            return format_html(
                '<span class="muted">Off</span> {}',
                link_box_html(url, label=f"the {position.title} open link"),
            )
        return link_box_html(url, label=f"the {position.title} open link")

    @admin.display(description="link on/off", ordering="is_active")
    def open_switch(self, position: Position) -> str:
        url = reverse("admin:interviews_position_open_link", args=[position.pk])
        state, action, value = (
            ("On", "Turn off", "off") if position.is_active else ("Off", "Turn on", "on")
        )
        return format_html(
            '<span class="position-switch"><span class="state">{}</span>'
            '<button type="submit" class="button" name="open" value="{}" formaction="{}" '
            'formmethod="post" formnovalidate aria-label="{} the {} open link">{}</button></span>',
            state,
            value,
            url,
            action,
            position.title,
            action,
        )

    def changelist_view(self, request: HttpRequest, extra_context=None):
        # The display methods see only the row; the absolute link needs the request.
        _current_request.set(request)
        return super().changelist_view(request, extra_context)

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        _current_request.set(request)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Position]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _active_questions=row_count(Question.objects.filter(is_active=True), "position"),
                _suggestions=row_count(
                    Question.objects.filter(origin=Question.Origin.AGENT, is_active=False),
                    "position",
                ),
            )
        )

    @admin.display(description="active questions", ordering="_active_questions")
    def active_question_count(self, position: WithAnnotations[Position, _BankCounts]) -> int:
        return position._active_questions

    @admin.display(description="suggestions to review", ordering="_suggestions")
    def suggestion_count(self, position: WithAnnotations[Position, _BankCounts]) -> int:
        return position._suggestions


@admin.register(Question)
class QuestionAdmin(ImportExportMixin, admin.ModelAdmin):
    show_full_result_count = False
    resource_classes = [QuestionResource]
    inlines = [CodingExerciseInline]
    import_formats = [CSV]
    export_formats = [CSV]
    # The bank's CSV always has every column, as the import reads them back: no column
    # picker (whose "select all" box has no label for a screen reader).
    export_form_class = ExportForm

    def get_changelist_form(self, request: HttpRequest, **kwargs):
        base = super().get_changelist_form(request, **kwargs)

        # The admin builds the list's form class at run time; mypy cannot take a value's
        # type as a base class.
        class LabelledOrderForm(base):  # type: ignore[misc,valid-type]
            # The list's order inputs have no visible label: name them for screen readers.
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, **kwargs)
                self.fields["order"].widget.attrs["aria-label"] = (
                    f"Order of “{self.instance.text[:60]}”"
                )

        return LabelledOrderForm

    def get_inline_instances(self, request: HttpRequest, obj: Question | None = None):
        instances = super().get_inline_instances(request, obj)
        stage_asked = request.POST.get("stage") or request.GET.get("stage")
        for inline in instances:
            if isinstance(inline, CodingExerciseInline):
                inline.classes = exercise_inline_classes(obj, stage_asked)
        return instances

    def get_form(self, request: HttpRequest, obj: Question | None = None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "text" in form.base_fields:
            form.base_fields["text"].help_text = (
                "As the interviewer says it aloud; for a coding question, the statement the "
                "candidate reads beside the editor."
            )
        if "rubric" in form.base_fields:
            form.base_fields["rubric"].help_text = (
                "What a good answer covers; for a coding question, what good code and a "
                "good explanation of it cover."
            )
        return form

    def has_import_permission(self, request: HttpRequest) -> bool:
        # An import adds and changes questions: the same rights as doing it by hand.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

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
