"""What the recruiters' live dashboard shows (interviews.admin.live serves it)."""

from datetime import datetime

from django.db.models import Avg, Count
from django.urls import reverse
from django.utils import timezone

from interviews.models import Interview, QuestionScore
from interviews.selectors.interviewer_capacity import capacity_now

LIST_LIMIT = 50


def _start_of_today(now: datetime) -> datetime:
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


def _row(interview: Interview) -> dict:
    in_progress = interview.status == Interview.Status.IN_PROGRESS
    return {
        "id": str(interview.public_id),
        "status": interview.status,
        "status_label": interview.get_status_display(),
        "position": interview.position.title,
        "candidate": interview.candidate.name if interview.candidate else "",
        "started_at": interview.started_at.isoformat() if interview.started_at else None,
        "ended_at": interview.ended_at.isoformat() if interview.ended_at else None,
        "updated_at": interview.updated_at.isoformat(),
        "admin_url": reverse("admin:interviews_interview_change", args=[interview.pk]),
        "report_url": reverse("admin:interviews_interview_report", args=[interview.pk]),
        "watch_url": (
            reverse("admin:interviews_interview_watch", args=[interview.pk])
            if in_progress
            else None
        ),
    }


def _interviewers(now: datetime) -> dict:
    """What the interviewer workers can take, hold and who waits for them."""
    capacity = capacity_now(now=now)
    return {
        "workers": capacity.workers,
        "capacity": capacity.capacity,
        "in_use": capacity.in_use,
        "starting": capacity.starting,
        "in_line": capacity.waiting,
    }


def dashboard_snapshot(*, now: datetime | None = None, with_scores: bool = False) -> dict:
    """Interviews in progress, waiting (invited or interrupted) and finished today; counts
    by status; the average answer score by position (`with_scores`: for those who may see
    scores; empty otherwise)."""
    now = now or timezone.now()
    interviews = Interview.objects.select_related("position", "candidate")
    counts = dict.fromkeys(Interview.Status.values, 0)
    for row in Interview.objects.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    in_progress = interviews.filter(status=Interview.Status.IN_PROGRESS).order_by("started_at")
    waiting = interviews.filter(status__in=Interview.RESUMABLE_STATUSES).order_by("-updated_at")
    finished_today = interviews.filter(
        status__in=Interview.FINISHED_STATUSES, ended_at__gte=_start_of_today(now)
    ).order_by("-ended_at")
    scores = (
        QuestionScore.objects.filter(score__isnull=False)
        .values("evaluation__interview__position__title")
        .annotate(average=Avg("score"), scored=Count("id"))
        .order_by("evaluation__interview__position__title")
    )
    return {
        "generated_at": now.isoformat(),
        "interviewers": _interviewers(now),
        "counts": [
            {"status": value, "label": label, "count": counts[value]}
            for value, label in Interview.Status.choices
        ],
        "in_progress": [_row(i) for i in in_progress[:LIST_LIMIT]],
        "waiting": [_row(i) for i in waiting[:LIST_LIMIT]],
        "waiting_total": sum(counts[status] for status in Interview.RESUMABLE_STATUSES),
        "finished_today": [_row(i) for i in finished_today[:LIST_LIMIT]],
        "finished_today_total": finished_today.count(),
        "scores_by_position": [
            {
                "position": row["evaluation__interview__position__title"],
                "average": round(float(row["average"]), 2),
                "scored": row["scored"],
            }
            for row in (scores if with_scores else [])
        ],
    }
