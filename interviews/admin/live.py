"""The live side of the back office: the dashboard of interviews (updated over Channels,
see interviews.live) and watching an interview live as a hidden, subscribe-only
participant. Pages of InterviewAdmin; staff with the view permission on interviews."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.urls import reverse

from interviews import livekit_tokens
from interviews.admin.pages import (
    SCORE_PERMISSIONS,
    WATCH_PERMISSIONS,
    ExtraPage,
    ExtraPagesAdmin,
    no_store,
    require_permissions,
    staff_member,
)
from interviews.models import Interview
from interviews.selectors.dashboard import dashboard_snapshot
from interviews.web.csp import join_page_policy
from interviews.web.http import json_error

logger = logging.getLogger(__name__)


def _with_page_policy(response: HttpResponse) -> HttpResponse:
    # The join page's policy: our own scripts and styles only, media from LiveKit.
    response["Content-Security-Policy"] = join_page_policy()
    return no_store(response)


def dashboard_page(model_admin: ExtraPagesAdmin, request: HttpRequest) -> HttpResponse:
    model_admin.require_view_permission(request)
    config = {
        "websocketPath": "/ws/dashboard/",
        "snapshotUrl": reverse("admin:interviews_interview_dashboard_snapshot"),
        "pollSeconds": settings.DASHBOARD_POLL_SECONDS,
    }
    with_scores = request.user.has_perms(SCORE_PERMISSIONS)
    context = model_admin.page_context(
        request,
        title="Live interviews",
        snapshot=dashboard_snapshot(with_scores=with_scores),
        config=config,
        show_scores=with_scores,
    )
    response = TemplateResponse(request, "admin/interviews/dashboard.html", context)
    return _with_page_policy(response)


def dashboard_snapshot_json(model_admin: ExtraPagesAdmin, request: HttpRequest) -> HttpResponse:
    model_admin.require_view_permission(request)
    with_scores = request.user.has_perms(SCORE_PERMISSIONS)
    return no_store(JsonResponse(dashboard_snapshot(with_scores=with_scores)))


def watch_page(model_admin: ExtraPagesAdmin, request: HttpRequest, object_id: int) -> HttpResponse:
    interview = model_admin.viewable_object(request, object_id, Interview)
    require_permissions(request, WATCH_PERMISSIONS)
    config = {
        "tokenUrl": reverse("admin:interviews_interview_watch_token", args=[interview.pk]),
        "csrfToken": get_token(request),
        "inProgress": interview.status == Interview.Status.IN_PROGRESS,
        "statusUrl": reverse("admin:interviews_interview_watch_status", args=[interview.pk]),
        "pollSeconds": settings.DASHBOARD_POLL_SECONDS,
    }
    context = model_admin.page_context(
        request,
        original=interview,
        title=f"Watch live: {interview.position} interview",
        interview=interview,
        config=config,
    )
    response = TemplateResponse(request, "admin/interviews/watch.html", context)
    return _with_page_policy(response)


def watch_token(model_admin: ExtraPagesAdmin, request: HttpRequest, object_id: int) -> HttpResponse:
    """A hidden, subscribe-only token for the interview's room (POST, CSRF checked).

    Only while the interview is in progress: its room then exists, created by the
    candidate's join with the interviewer's dispatch. An observer joining first would
    create the room without that dispatch, and the interviewer would never come."""
    if request.method != "POST":
        return json_error(405, "method_not_allowed", "Use POST.")
    interview = model_admin.viewable_object(request, object_id, Interview)
    require_permissions(request, WATCH_PERMISSIONS)
    if interview.is_finished:
        return json_error(410, "interview_finished", "This interview is over; read its transcript.")
    if interview.status != Interview.Status.IN_PROGRESS:
        return json_error(
            409,
            "not_in_progress",
            "This interview is not in progress. Watch it once the candidate has joined.",
        )
    logger.info(
        "Observer token issued",
        extra={"interview": str(interview.public_id), "user_id": request.user.pk},
    )
    token = livekit_tokens.observer_token(interview, user_id=staff_member(request).pk)
    return no_store(
        JsonResponse(
            {
                "server_url": settings.LIVEKIT_PUBLIC_URL,
                "participant_token": token,
                "room_name": interview.room_name,
            },
            status=201,
        )
    )


def watch_status(model_admin: ExtraPagesAdmin, request: HttpRequest, object_id: int):
    """The interview's status, which the watch page follows to the interview's end."""
    interview = model_admin.viewable_object(request, object_id, Interview)
    return no_store(
        JsonResponse(
            {
                "status": interview.status,
                "status_label": interview.get_status_display(),
                "in_progress": interview.status == Interview.Status.IN_PROGRESS,
                "finished": interview.is_finished,
            }
        )
    )


PAGES = (
    ExtraPage("dashboard/", dashboard_page, "dashboard"),
    ExtraPage("dashboard/snapshot.json", dashboard_snapshot_json, "dashboard_snapshot"),
    ExtraPage("<int:object_id>/watch/", watch_page, "watch"),
    ExtraPage("<int:object_id>/watch/token", watch_token, "watch_token", post_only=True),
    ExtraPage("<int:object_id>/watch/status.json", watch_status, "watch_status"),
)
