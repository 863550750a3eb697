"""What the hiring team shows a regulator or a candidate: the notice versions, the bias
audit (its own permission), voluntary self-identification (its own permission, never
shown elsewhere), the operation log, and the explanation of an interview for its
candidate."""

from __future__ import annotations

import json
from typing import Any, TypedDict

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django_stubs_ext import WithAnnotations

from interviews.admin.counts import row_count
from interviews.admin.pages import (
    REPORT_PERMISSIONS,
    ExtraPage,
    ExtraPagesAdmin,
    download,
    require_permissions,
    staff_member,
)
from interviews.admin.records import ReadOnlyAdmin
from interviews.models import (
    BiasAudit,
    Interview,
    NoticeConsent,
    NoticeVersion,
    OperationRecord,
    Position,
    SelfIdentification,
)
from interviews.modes import MODES as INTERVIEW_MODES
from interviews.selectors import bias_audit, bias_audit_counts
from interviews.selectors.explanation import interview_explanation
from interviews.selectors.notices import current_notice
from interviews.services.notices import notice_publish, notice_validate

# --- Notice versions ---------------------------------------------------------------------


class NoticeVersionForm(forms.ModelForm):
    points = forms.JSONField(
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100}),
        help_text=(
            'A list of {"text": ..., "only_if": ""} (or "candidate_unknown" for a point shown '
            'only before the candidate is identified, "coding_round" for one shown only when '
            "the position's plan holds coding exercises). Use **bold** and the placeholders "
            "{interviewer}, {interviewer_short}, {decides}, {technical_questions}, "
            "{behavioral_questions}, {topics}, {minutes}, {coding_questions}."
        ),
    )
    modes = forms.JSONField(
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100}),
        help_text='For each interviewer mode: "short", "long" and "decides" texts.',
    )

    class Meta:
        model = NoticeVersion
        fields = ["heading", "points", "consent_statement", "modes"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors:
            try:
                notice_validate(**cleaned)
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from exc
        return cleaned


class _Consents(TypedDict):
    _consents: int


@admin.register(NoticeVersion)
class NoticeVersionAdmin(admin.ModelAdmin):
    show_full_result_count = False
    list_display = ["version", "heading", "published_at", "published_by_username", "consents"]
    readonly_fields = [
        "version",
        "heading",
        "points_shown",
        "consent_statement",
        "modes_shown",
        "published_at",
        "published_by_username",
    ]
    form = NoticeVersionForm

    def get_queryset(self, request: HttpRequest):
        consents = row_count(NoticeConsent.objects.all(), "notice")
        return super().get_queryset(request).annotate(_consents=consents)

    @admin.display(description="candidates who agreed", ordering="_consents")
    def consents(self, notice: WithAnnotations[NoticeVersion, _Consents]) -> int:
        return notice._consents

    @admin.display(description="points")
    def points_shown(self, notice: NoticeVersion) -> str:
        return json.dumps(notice.points, indent=1, ensure_ascii=False)

    @admin.display(description="modes")
    def modes_shown(self, notice: NoticeVersion) -> str:
        return json.dumps(notice.modes, indent=1, ensure_ascii=False)

    def get_fields(self, request: HttpRequest, obj: NoticeVersion | None = None):
        if obj is None:
            return ["heading", "points", "consent_statement", "modes"]
        return self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: NoticeVersion | None = None):
        return self.readonly_fields if obj is not None else []

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        latest = current_notice()
        return {
            "heading": latest.heading,
            "points": latest.points,
            "consent_statement": latest.consent_statement,
            "modes": latest.modes,
        }

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: NoticeVersion, form, change: bool) -> None:
        published = notice_publish(**form.cleaned_data, published_by=staff_member(request))
        obj.pk, obj.version = published.pk, published.version
        obj._state.adding = False


# --- Self-identification -----------------------------------------------------------------


@admin.register(SelfIdentification)
class SelfIdentificationAdmin(ReadOnlyAdmin):
    """Readable only with view_selfidentification; never editable, erased with the
    candidate."""

    list_display = ["id", "sex", "race_ethnicity", "submitted_at"]
    list_filter = ["sex", "race_ethnicity"]
    fields = readonly_fields = ("sex", "race_ethnicity", "submitted_at")


# --- Bias audit ----------------------------------------------------------------------------


class BiasAuditForm(forms.Form):
    position = forms.ModelChoiceField(
        queryset=Position.objects.order_by("title"), required=False, empty_label="All positions"
    )
    since = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("since") and cleaned.get("until") and cleaned["since"] > cleaned["until"]:
            raise forms.ValidationError("The period must end after it starts.")
        return cleaned


@admin.register(BiasAudit)
class BiasAuditAdmin(admin.ModelAdmin):
    """The bias audit page, readable with view_biasaudit: figures only, never a person's
    answers."""

    show_full_result_count = False

    def get_urls(self):
        # The audit page alone: the admin's page of one object (and its history) would show
        # one person's self-identification to whoever may read the figures.
        name = f"{self.opts.app_label}_{self.opts.model_name}_changelist"
        return [path("", self.admin_site.admin_view(self.changelist_view), name=name)]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        since, until = bias_audit_counts.default_period()
        data = request.GET if "since" in request.GET else None
        form = BiasAuditForm(data, initial={"since": since, "until": until})
        result = scope = None
        if data is None or form.is_valid():
            values = form.cleaned_data if data is not None else {}
            position = values.get("position")
            since, until = values.get("since", since), values.get("until", until)
            result = bias_audit.bias_audit(
                bias_audit_counts.audit_counts(position=position, since=since, until=until),
                min_cell=bias_audit.MIN_CELL,
            )
            scope = bias_audit_counts.audit_scope(position, since, until)
            if request.GET.get("format") == "csv":
                response = HttpResponse(
                    bias_audit.bias_audit_csv(result, scope=scope),
                    content_type="text/csv; charset=utf-8",
                )
                return download(response, f"bias-audit-{since}-{until}.csv")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Bias audit",
            "form": form,
            "result": result,
            "scope": scope,
            "titles": bias_audit.DIMENSION_TITLES,
            "flag_below": bias_audit.FLAG_BELOW,
            "csv_query": request.GET.urlencode(),
        }
        return TemplateResponse(request, "admin/interviews/bias_audit.html", context)


# --- Operation log and explanations -------------------------------------------------------


def explanation_text(
    model_admin: ExtraPagesAdmin, request: HttpRequest, interview_id: int
) -> HttpResponse:
    """The plain-language explanation of one interview, to give its candidate: it holds
    what the report holds (answers, scores, the AI's summary, the decisions' notes)."""
    require_permissions(request, REPORT_PERMISSIONS)
    interview = Interview.objects.filter(pk=interview_id).first()
    if interview is None:
        raise Http404("No such interview.")
    response = HttpResponse(
        interview_explanation(interview=interview), content_type="text/plain; charset=utf-8"
    )
    return download(response, f"explanation-{interview.public_id}.txt")


class OperationModeFilter(admin.SimpleListFilter):
    title = "AI mode"
    parameter_name = "ai_mode"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [(mode, mode) for mode in INTERVIEW_MODES]

    def queryset(self, request: HttpRequest, queryset):
        return queryset.filter(ai_mode=self.value()) if self.value() else queryset


class OperationStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return Interview.Status.choices

    def queryset(self, request: HttpRequest, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(OperationRecord)
class OperationRecordAdmin(ExtraPagesAdmin, ReadOnlyAdmin):
    # One "evaluation" column for the model, prompt and rubric, and short headings: the
    # log fits a 1280 px screen beside its filters.
    list_display = [
        "interview_created_at",
        "position_title",
        "ai_mode",
        "status",
        "notice",
        "evaluation",
        "current_decision",
        "personal_data_held",
    ]
    # Filters that list fixed choices or the positions, not the distinct values of every
    # record; no date hierarchy (it reads the dates of every record on each page view).
    list_filter = [OperationModeFilter, OperationStatusFilter, "position"]
    extra_pages = (
        ExtraPage("explanation/<int:interview_id>.txt", explanation_text, "explanation"),
    )

    def get_fields(self, request: HttpRequest, obj: OperationRecord | None = None):
        return [f.name for f in OperationRecord._meta.fields if f.name not in ("id", "interview")]

    def get_readonly_fields(self, request: HttpRequest, obj: OperationRecord | None = None):
        return self.get_fields(request, obj)

    @admin.display(description="notice", ordering="notice_version")
    def notice(self, record: OperationRecord) -> str:
        return f"v{record.notice_version}" if record.notice_version else "-"

    @admin.display(description="evaluation")
    def evaluation(self, record: OperationRecord) -> str:
        if not record.evaluation_model:
            return "-"
        return (
            f"{record.evaluation_model}, prompt {record.evaluation_prompt_version or '-'}, "
            f"rubric {record.rubric_version or '-'}"
        )

    @admin.display(description="decision")
    def current_decision(self, record: OperationRecord) -> str:
        return record.decisions[-1]["decision"] if record.decisions else "-"

    @admin.display(description="data held", boolean=True)
    def personal_data_held(self, record: OperationRecord) -> bool:
        return record.interview_id is not None
