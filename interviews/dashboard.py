"""The live side of the back office: the dashboard of interviews (updated over Channels,
see interviews.live) and watching an interview live as a hidden, subscribe-only
participant. Mixed into InterviewAdmin; staff with the view permission on interviews."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from interviews import livekit_tokens
from interviews.models import Interview, QuestionScore
from interviews.views import _join_page_policy

logger = logging.getLogger(__name__)

LIST_LIMIT = 50
WAITING_STATUSES = (Interview.Status.INVITED, Interview.Status.INTERRUPTED)


# --- Reads -----------------------------------------------------------------------------


def _start_of_today(now: datetime) -> datetime:
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


def _row(interview: Interview) -> dict:
    in_progress = interview.status == Interview.Status.IN_PROGRESS
    return {
        "id": str(interview.public_id),
        "status": interview.status,
        "status_label": interview.get_status_display(),
        "position": interview.position.title,
        "candidate": interview.candidate.name if interview.candidate_id else "",
        "started_at": interview.started_at.isoformat() if interview.started_at else None,
        "ended_at": interview.ended_at.isoformat() if interview.ended_at else None,
        "updated_at": interview.updated_at.isoformat(),
        "admin_url": reverse("admin:interviews_interview_change", args=[interview.pk]),
        "watch_url": (
            reverse("admin:interviews_interview_watch", args=[interview.pk])
            if in_progress
            else None
        ),
    }


def dashboard_snapshot(*, now: datetime | None = None) -> dict:
    """Interviews in progress, waiting (invited or interrupted) and finished today; counts
    by status; the average answer score by position."""
    now = now or timezone.now()
    interviews = Interview.objects.select_related("position", "candidate")
    counts = dict.fromkeys(Interview.Status.values, 0)
    for row in Interview.objects.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    in_progress = interviews.filter(status=Interview.Status.IN_PROGRESS).order_by("started_at")
    waiting = interviews.filter(status__in=WAITING_STATUSES).order_by("-updated_at")
    finished_today = interviews.filter(
        status__in=Interview.FINAL_STATUSES, ended_at__gte=_start_of_today(now)
    ).order_by("-ended_at")
    scores = (
        QuestionScore.objects.filter(score__isnull=False)
        .values("evaluation__interview__position__title")
        .annotate(average=Avg("score"), scored=Count("id"))
        .order_by("evaluation__interview__position__title")
    )
    return {
        "generated_at": now.isoformat(),
        "counts": [
            {"status": value, "label": label, "count": counts[value]}
            for value, label in Interview.Status.choices
        ],
        "in_progress": [_row(i) for i in in_progress[:LIST_LIMIT]],
        "waiting": [_row(i) for i in waiting[:LIST_LIMIT]],
        "waiting_total": counts[Interview.Status.INVITED] + counts[Interview.Status.INTERRUPTED],
        "finished_today": [_row(i) for i in finished_today[:LIST_LIMIT]],
        "finished_today_total": finished_today.count(),
        "scores_by_position": [
            {
                "position": row["evaluation__interview__position__title"],
                "average": round(float(row["average"]), 2),
                "scored": row["scored"],
            }
            for row in scores
        ],
    }


# --- Admin views -----------------------------------------------------------------------


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


class LiveAdminMixin:
    """For InterviewAdmin: the live dashboard, its snapshot, and watching live."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard_view), name="interviews_interview_dashboard"),
            path(
                "dashboard/snapshot.json",
                wrap(self.dashboard_snapshot_view),
                name="interviews_interview_dashboard_snapshot",
            ),
            path(
                "<int:object_id>/watch/", wrap(self.watch_view), name="interviews_interview_watch"
            ),
            path(
                "<int:object_id>/watch/token",
                wrap(self.watch_token_view),
                name="interviews_interview_watch_token",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="live")
    def watch_live_link(self, interview: Interview) -> str:
        if interview.pk is None or interview.status != Interview.Status.IN_PROGRESS:
            return "Not in progress"
        url = reverse("admin:interviews_interview_watch", args=[interview.pk])
        return format_html('<a href="{}">Watch live</a>', url)

    def _may_view(self, request: HttpRequest) -> None:
        if not self.has_view_permission(request):
            raise PermissionDenied

    def _watchable(self, request: HttpRequest, object_id: int) -> Interview:
        interview = self.get_object(request, str(object_id))
        if interview is None:
            raise Http404("No such interview.")
        if not self.has_view_permission(request, interview):
            raise PermissionDenied
        return interview

    @staticmethod
    def _with_page_policy(response: HttpResponse) -> HttpResponse:
        # The join page's policy: our own scripts and styles only, media from LiveKit.
        response["Content-Security-Policy"] = _join_page_policy()
        return _no_store(response)

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        self._may_view(request)
        config = {
            "websocketPath": "/ws/dashboard/",
            "snapshotUrl": reverse("admin:interviews_interview_dashboard_snapshot"),
            "pollSeconds": settings.DASHBOARD_POLL_SECONDS,
        }
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Live interviews",
            "snapshot": dashboard_snapshot(),
            "config": config,
        }
        response = TemplateResponse(request, "admin/interviews/dashboard.html", context)
        return self._with_page_policy(response)

    def dashboard_snapshot_view(self, request: HttpRequest) -> HttpResponse:
        self._may_view(request)
        return _no_store(JsonResponse(dashboard_snapshot()))

    def watch_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        interview = self._watchable(request, object_id)
        config = {
            "tokenUrl": reverse("admin:interviews_interview_watch_token", args=[interview.pk]),
            "csrfToken": get_token(request),
            "inProgress": interview.status == Interview.Status.IN_PROGRESS,
        }
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": interview,
            "title": f"Watch live: {interview.position} interview",
            "interview": interview,
            "config": config,
        }
        response = TemplateResponse(request, "admin/interviews/watch.html", context)
        return self._with_page_policy(response)

    def watch_token_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """A hidden, subscribe-only token for the interview's room (POST, CSRF checked).

        Only while the interview is in progress: its room then exists, created by the
        candidate's join with the interviewer's dispatch. An observer joining first would
        create the room without that dispatch, and the interviewer would never come."""
        if request.method != "POST":
            return _json_error(405, "method_not_allowed", "Use POST.")
        interview = self._watchable(request, object_id)
        if interview.is_finished:
            return _json_error(
                410, "interview_finished", "This interview is over; read its transcript."
            )
        if interview.status != Interview.Status.IN_PROGRESS:
            return _json_error(
                409,
                "not_in_progress",
                "This interview is not in progress. Watch it once the candidate has joined.",
            )
        logger.info(
            "Observer token issued",
            extra={"interview": str(interview.public_id), "user_id": request.user.pk},
        )
        token = livekit_tokens.observer_token(interview, user_id=request.user.pk)
        return _no_store(
            JsonResponse(
                {
                    "server_url": settings.LIVEKIT_PUBLIC_URL,
                    "participant_token": token,
                    "room_name": interview.room_name,
                },
                status=201,
            )
        )
