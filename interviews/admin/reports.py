"""An interview's review pages: the report with the decision form, transcript downloads,
and (re)running the evaluation. Every write goes through interviews.services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from interviews.admin.pages import (
    REPORT_PERMISSIONS,
    TRANSCRIPT_PERMISSIONS,
    ExtraPage,
    ExtraPagesAdmin,
    download,
    require_permissions,
    staff_member,
)
from interviews.evaluation import llm, run
from interviews.models import Evaluation, Interview
from interviews.selectors import reports
from interviews.services import decisions

JSON_EXPORT_OPTIONS = {"indent": 2, "ensure_ascii": False}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=Evaluation.Recommendation.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        max_length=decisions.MAX_DECISION_NOTE_LENGTH,
        help_text="Why: what in the interview supports this decision.",
    )


def report_page(model_admin: ExtraPagesAdmin, request: HttpRequest, object_id: int) -> HttpResponse:
    interview = model_admin.viewable_object(request, object_id, Interview)
    require_permissions(request, REPORT_PERMISSIONS)
    can_decide = request.user.has_perm("interviews.add_decisionrecord")
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        if form.is_valid():
            try:
                decisions.decision_record(
                    interview=interview,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                    decided_by=staff_member(request),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                model_admin.message_user(request, "Decision recorded.", messages.SUCCESS)
                return redirect("admin:interviews_interview_report", object_id=interview.pk)
    context = model_admin.page_context(
        request,
        title=f"Interview report: {interview.position}",
        report=reports.interview_report(interview_id=interview.pk),
        form=form,
        can_decide=can_decide,
        can_listen=request.user.has_perm("interviews.view_recording"),
        evaluation_configured=llm.configured_model() is not None,
    )
    return TemplateResponse(request, "admin/interviews/interview_report.html", context)


def transcript_text(model_admin: ExtraPagesAdmin, request: HttpRequest, object_id: int):
    interview = model_admin.viewable_object(request, object_id, Interview)
    require_permissions(request, TRANSCRIPT_PERMISSIONS)
    response = HttpResponse(
        reports.transcript_as_text(interview=interview),
        content_type="text/plain; charset=utf-8",
    )
    return download(response, f"transcript-{interview.public_id}.txt")


def transcript_json(model_admin: ExtraPagesAdmin, request: HttpRequest, object_id: int):
    interview = model_admin.viewable_object(request, object_id, Interview)
    require_permissions(request, TRANSCRIPT_PERMISSIONS)
    response = JsonResponse(
        reports.transcript_as_json(interview=interview), json_dumps_params=JSON_EXPORT_OPTIONS
    )
    return download(response, f"transcript-{interview.public_id}.json")


PAGES = (
    ExtraPage("<int:object_id>/report/", report_page, "report"),
    ExtraPage("<int:object_id>/transcript.txt", transcript_text, "transcript_text"),
    ExtraPage("<int:object_id>/transcript.json", transcript_json, "transcript_json"),
)


@admin.action(description="(Re)run the evaluation", permissions=["change"])
def rerun_evaluation(
    model_admin: ExtraPagesAdmin, request: HttpRequest, queryset: QuerySet[Interview]
) -> None:
    model = llm.configured_model()
    if model is None:
        model_admin.message_user(
            request,
            "No evaluation model is configured (EVALUATION_MODEL): "
            "the interviews wait for human review, unscored.",
            messages.WARNING,
        )
        return
    outcomes = {"evaluated": 0, "failed": 0, "skipped": 0}
    for interview in queryset:
        if interview.status != Interview.Status.COMPLETED:
            outcomes["skipped"] += 1
            continue
        result = run.evaluation_run(interview=interview, model=model)
        outcomes["evaluated" if result.status == Evaluation.Status.EVALUATED else "failed"] += 1
    level = messages.WARNING if outcomes["failed"] or outcomes["skipped"] else messages.SUCCESS
    model_admin.message_user(
        request,
        f"{outcomes['evaluated']} evaluated, {outcomes['failed']} failed, "
        f"{outcomes['skipped']} skipped (not completed).",
        level,
    )
