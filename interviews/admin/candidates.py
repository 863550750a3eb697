"""Candidates: profiles, inviting them, and their data rights (export everything held
about a candidate, and erase it)."""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from typing import TypedDict

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django_stubs_ext import WithAnnotations

from interviews.admin import invitation_emails
from interviews.admin.counts import row_count
from interviews.admin.invite_links import show_invite_links
from interviews.admin.pages import (
    EXPORT_PERMISSIONS,
    ExtraPage,
    ExtraPagesAdmin,
    download,
    require_permissions,
    staff_member,
)
from interviews.models import Candidate, Interview
from interviews.models.recordings import recordings_storage
from interviews.selectors import address_matches, reports
from interviews.services import erasure, invites

JSON_EXPORT_OPTIONS = {"indent": 2, "ensure_ascii": False}


class CandidateInterviewInline(admin.TabularInline):
    model = Interview
    fields = readonly_fields = ("public_id", "position", "status", "started_at", "ended_at")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Interview]:
        return super().get_queryset(request).select_related("position")


def export_page(model_admin: ExtraPagesAdmin, request: HttpRequest, object_id: int):
    """The JSON export; first a page to confirm which unidentified interviews that mention
    the address are the candidate's, when there are any."""
    candidate = model_admin.viewable_object(request, object_id, Candidate)
    require_permissions(request, EXPORT_PERMISSIONS)
    matches = address_matches.unidentified_matches(candidate=candidate)
    if matches and not request.GET.get("confirmed"):
        context = model_admin.page_context(
            request,
            title="Export all data about this candidate",
            candidate=candidate,
            interview_count=candidate.interviews.count(),
            unidentified=matches,
        )
        return TemplateResponse(request, "admin/interviews/candidate_export.html", context)
    confirmed = address_matches.confirmed_unidentified(
        candidate=candidate, confirmed=request.GET.getlist("unidentified")
    )
    data = reports.candidate_export(candidate=candidate, unidentified=confirmed)
    recordings = reports.candidate_recordings(candidate=candidate, unidentified=confirmed)
    if not recordings:
        response = JsonResponse(data, json_dumps_params=JSON_EXPORT_OPTIONS)
        return download(response, f"candidate-{candidate.pk}.json")
    # The recordings go with it: the export is then an archive, for those who may listen.
    require_permissions(request, ("interviews.view_recording",))
    archive = _export_archive(data, recordings)
    archive["Content-Disposition"] = f'attachment; filename="candidate-{candidate.pk}.zip"'
    archive["Cache-Control"] = "no-store"
    return archive


def _export_archive(data: dict, recordings: list) -> FileResponse:
    archive = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    storage = recordings_storage()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(
            "candidate.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
        for name, recording in recordings:
            # Opus is already compressed: stored as it is.
            with (
                storage.open(str(recording.file.name), "rb") as source,
                zipped.open(name, "w") as out,
            ):
                shutil.copyfileobj(source, out, 1 << 20)
    archive.seek(0)
    return FileResponse(archive, content_type="application/zip")


def erase_page(model_admin: ExtraPagesAdmin, request: HttpRequest, object_id: int) -> HttpResponse:
    candidate = model_admin.viewable_object(request, object_id, Candidate)
    if not request.user.has_perm("interviews.delete_candidate"):
        raise PermissionDenied
    if request.method == "POST":
        try:
            record = erasure.candidate_erase(
                candidate=candidate,
                erased_by=staff_member(request),
                unidentified=[
                    int(pk) for pk in request.POST.getlist("unidentified") if pk.isdigit()
                ],
            )
        except ValidationError as exc:
            model_admin.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            counts = record.counts
            model_admin.message_user(
                request,
                f"Candidate data erased: {counts['interviews']} interview(s), "
                f"{counts['transcript_segments']} transcript segment(s), "
                f"{counts['decisions']} decision(s). An erasure record was kept.",
                messages.SUCCESS,
            )
        return redirect("admin:interviews_candidate_changelist")
    context = model_admin.page_context(
        request,
        title="Erase all data about this candidate?",
        candidate=candidate,
        interview_count=candidate.interviews.count(),
        unidentified=address_matches.unidentified_matches(candidate=candidate),
    )
    return TemplateResponse(request, "admin/interviews/candidate_erase.html", context)


class _InterviewCount(TypedDict):
    _interviews: int


@admin.register(Candidate)
class CandidateAdmin(ExtraPagesAdmin):
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
    actions = ["invite", invitation_emails.email_candidates, "export_data"]
    extra_pages = (
        ExtraPage("<int:object_id>/export.json", export_page, "export"),
        ExtraPage("<int:object_id>/erase/", erase_page, "erase"),
    )

    @admin.action(
        description="Invite the selected candidates to an interview", permissions=["invite"]
    )
    def invite(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> HttpResponse:
        created, errors = [], []
        for candidate in queryset.select_related("position"):
            try:
                created.append(
                    invites.interview_create(position=candidate.position, candidate=candidate)
                )
            except ValidationError as exc:
                errors.append(f"{candidate.email}: {' '.join(exc.messages)}")
        return show_invite_links(request, created, errors)

    def has_invite_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("interviews.add_interview")

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # A plain delete would leave no erasure record and the admin's history: use erase.
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Candidate]:
        return (
            super()
            .get_queryset(request)
            .annotate(_interviews=row_count(Interview.objects.all(), "candidate"))
        )

    @admin.display(description="interviews", ordering="_interviews")
    def interview_count(self, candidate: WithAnnotations[Candidate, _InterviewCount]) -> int:
        return candidate._interviews

    @admin.display(description="data rights")
    def data_rights(self, candidate: Candidate) -> str:
        if candidate.pk is None:
            return "-"
        return format_html(
            '<a href="{}">Export all data (JSON)</a> &middot; <a href="{}">Erase all data</a>',
            reverse("admin:interviews_candidate_export", args=[candidate.pk]),
            reverse("admin:interviews_candidate_erase", args=[candidate.pk]),
        )

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perms(EXPORT_PERMISSIONS)

    @admin.action(description="Export the selected candidates' data (JSON)", permissions=["export"])
    def export_data(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> HttpResponse:
        # Their identified interviews only: unidentified ones that mention an address are
        # confirmed one candidate at a time, on the candidate's export page.
        data = [reports.candidate_export(candidate=c) for c in queryset.select_related("position")]
        response = JsonResponse(data, safe=False, json_dumps_params=JSON_EXPORT_OPTIONS)
        return download(response, "candidates.json")
