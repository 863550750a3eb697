"""The review side of the back office: interview reports, decisions, the evaluation action,
and candidates' data rights (export, erasure). Mixed into the admin classes in admin.py;
every write goes through interviews.review."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from interviews import evaluation, reports, review
from interviews.models import (
    Candidate,
    DecisionRecord,
    ErasureRecord,
    Evaluation,
    Interview,
)

JSON_EXPORT_OPTIONS = {"indent": 2, "ensure_ascii": False}


def _download(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=Evaluation.Recommendation.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        max_length=review.MAX_DECISION_NOTE_LENGTH,
        help_text="Why: what in the interview supports this decision.",
    )


class DecisionInline(admin.TabularInline):
    model = DecisionRecord
    fields = ["decided_at", "decided_by_username", "decision", "suggested_recommendation", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "decisions (latest first; record a new one on the report page)"

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class InterviewReviewMixin:
    """For InterviewAdmin: the report page, transcript downloads and the evaluation."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/report/",
                wrap(self.report_view),
                name="interviews_interview_report",
            ),
            path(
                "<int:object_id>/transcript.txt",
                wrap(self.transcript_text_view),
                name="interviews_interview_transcript_text",
            ),
            path(
                "<int:object_id>/transcript.json",
                wrap(self.transcript_json_view),
                name="interviews_interview_transcript_json",
            ),
            *super().get_urls(),
        ]

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

    def _viewable(self, request: HttpRequest, object_id: int) -> Interview:
        interview = self.get_object(request, str(object_id))
        if interview is None:
            raise Http404("No such interview.")
        if not self.has_view_permission(request, interview):
            raise PermissionDenied
        return interview

    def report_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        interview = self._viewable(request, object_id)
        can_decide = request.user.has_perm("interviews.add_decisionrecord")
        form = DecisionForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            if not can_decide:
                raise PermissionDenied
            if form.is_valid():
                try:
                    review.decision_record(
                        interview=interview,
                        decision=form.cleaned_data["decision"],
                        note=form.cleaned_data["note"],
                        decided_by=request.user,
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    self.message_user(request, "Decision recorded.", messages.SUCCESS)
                    return redirect("admin:interviews_interview_report", object_id=interview.pk)
        report = reports.interview_report(interview_id=interview.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Interview report: {interview.position}",
            "report": report,
            "form": form,
            "can_decide": can_decide,
        }
        return TemplateResponse(request, "admin/interviews/interview_report.html", context)

    def transcript_text_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        interview = self._viewable(request, object_id)
        response = HttpResponse(
            reports.transcript_as_text(interview=interview),
            content_type="text/plain; charset=utf-8",
        )
        return _download(response, f"transcript-{interview.public_id}.txt")

    def transcript_json_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        interview = self._viewable(request, object_id)
        response = JsonResponse(
            reports.transcript_as_json(interview=interview), json_dumps_params=JSON_EXPORT_OPTIONS
        )
        return _download(response, f"transcript-{interview.public_id}.json")

    @admin.action(description="(Re)run the evaluation", permissions=["change"])
    def rerun_evaluation(self, request: HttpRequest, queryset: QuerySet[Interview]) -> None:
        model = evaluation.configured_model()
        if model is None:
            self.message_user(
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
            result = evaluation.evaluation_run(interview=interview, model=model)
            outcomes["evaluated" if result.status == Evaluation.Status.EVALUATED else "failed"] += 1
        level = messages.WARNING if outcomes["failed"] or outcomes["skipped"] else messages.SUCCESS
        self.message_user(
            request,
            f"{outcomes['evaluated']} evaluated, {outcomes['failed']} failed, "
            f"{outcomes['skipped']} skipped (not completed).",
            level,
        )


class CandidateDataRightsMixin:
    """For CandidateAdmin: export everything held about a candidate, and erase it."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/export.json",
                wrap(self.export_view),
                name="interviews_candidate_export",
            ),
            path(
                "<int:object_id>/erase/", wrap(self.erase_view), name="interviews_candidate_erase"
            ),
            *super().get_urls(),
        ]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # A plain delete would leave no erasure record and the admin's history: use erase.
        return False

    @admin.display(description="data rights")
    def data_rights(self, candidate: Candidate) -> str:
        if candidate.pk is None:
            return "-"
        return format_html(
            '<a href="{}">Export all data (JSON)</a> &middot; <a href="{}">Erase all data</a>',
            reverse("admin:interviews_candidate_export", args=[candidate.pk]),
            reverse("admin:interviews_candidate_erase", args=[candidate.pk]),
        )

    def _candidate(self, request: HttpRequest, object_id: int) -> Candidate:
        candidate = self.get_object(request, str(object_id))
        if candidate is None:
            raise Http404("No such candidate.")
        if not self.has_view_permission(request, candidate):
            raise PermissionDenied
        return candidate

    def export_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        candidate = self._candidate(request, object_id)
        response = JsonResponse(
            reports.candidate_export(candidate=candidate), json_dumps_params=JSON_EXPORT_OPTIONS
        )
        return _download(response, f"candidate-{candidate.pk}.json")

    @admin.action(description="Export the selected candidates' data (JSON)")
    def export_data(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> HttpResponse:
        data = [reports.candidate_export(candidate=c) for c in queryset.select_related("position")]
        response = JsonResponse(data, safe=False, json_dumps_params=JSON_EXPORT_OPTIONS)
        return _download(response, "candidates.json")

    def erase_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        candidate = self._candidate(request, object_id)
        if not request.user.has_perm("interviews.delete_candidate"):
            raise PermissionDenied
        if request.method == "POST":
            try:
                record = review.candidate_erase(candidate=candidate, erased_by=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                counts = record.counts
                self.message_user(
                    request,
                    f"Candidate data erased: {counts['interviews']} interview(s), "
                    f"{counts['transcript_segments']} transcript segment(s), "
                    f"{counts['decisions']} decision(s). An erasure record was kept.",
                    messages.SUCCESS,
                )
            return redirect("admin:interviews_candidate_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Erase all data about this candidate?",
            "candidate": candidate,
            "interview_count": candidate.interviews.count(),
        }
        return TemplateResponse(request, "admin/interviews/candidate_erase.html", context)


class ReadOnlyAdmin(admin.ModelAdmin):
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
    date_hierarchy = "decided_at"

    @admin.display(description="interview")
    def interview_link(self, record: DecisionRecord) -> str:
        url = reverse("admin:interviews_interview_report", args=[record.interview_id])
        return format_html('<a href="{}">{}</a>', url, record.interview.public_id)


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyAdmin):
    list_display = ["erased_at", "reason", "erased_by_username", "counts"]
    list_filter = ["reason"]
    fields = ["erased_at", "reason", "erased_by_username", "counts"]
