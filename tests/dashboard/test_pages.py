from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from interviews.models import Evaluation, Interview, InterviewQuestion, QuestionScore
from interviews.services.invites import interview_create
from interviews.services.lifecycle import interview_start
from tests.factories import CandidateFactory, InterviewFactory, PositionFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/interviews/interview/dashboard/"
SNAPSHOT = "/admin/interviews/interview/dashboard/snapshot.json"


def test_the_dashboard_loads_for_a_recruiter_with_its_policy(recruiter, logged_in, invited):
    response = logged_in(recruiter).get(DASHBOARD)
    assert response.status_code == 200
    assert b"Live interviews" in response.content
    assert b'id="dashboard-snapshot"' in response.content
    assert b"interviews/dashboard.js" in response.content
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "no-store" in response["Cache-Control"]


def test_the_dashboard_and_its_snapshot_send_anonymous_visitors_to_the_login(client):
    for url in (DASHBOARD, SNAPSHOT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_the_dashboard_refuses_users_who_are_not_staff(outsider, logged_in):
    response = logged_in(outsider).get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_dashboard_refuses_staff_without_the_view_permission(staff_without_view, logged_in):
    client = logged_in(staff_without_view)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(SNAPSHOT).status_code == 403


def test_the_interview_list_links_to_the_dashboard(recruiter, logged_in):
    response = logged_in(recruiter).get(reverse("admin:interviews_interview_changelist"))
    assert response.status_code == 200
    assert DASHBOARD.encode() in response.content


def _scored(interview: Interview, scores: list[int | None]) -> None:
    evaluation = Evaluation.objects.create(interview=interview, status=Evaluation.Status.EVALUATED)
    for sequence, score in enumerate(scores, start=1):
        asked = InterviewQuestion.objects.create(
            interview=interview, sequence=sequence, stage="technical", text=f"Q{sequence}?"
        )
        QuestionScore.objects.create(
            evaluation=evaluation,
            interview_question=asked,
            score=score,
            insufficient_evidence=score is None,
        )


def test_the_snapshot_counts_interviews_by_status_and_by_day(recruiter, logged_in):
    now = timezone.now()
    backend = PositionFactory(title="Backend engineer")
    data = PositionFactory(title="Data scientist")
    invited = InterviewFactory.create_batch(2, position=backend)
    InterviewFactory(position=backend, status=Interview.Status.INTERRUPTED)
    running = InterviewFactory(position=data, status=Interview.Status.IN_PROGRESS, started_at=now)
    done_today = InterviewFactory(position=backend, status=Interview.Status.COMPLETED, ended_at=now)
    # Interrupted today: waiting for the candidate to come back, not finished.
    InterviewFactory(position=data, status=Interview.Status.INTERRUPTED, ended_at=now)
    InterviewFactory(
        position=data, status=Interview.Status.COMPLETED, ended_at=now - timedelta(days=2)
    )
    _scored(done_today, [4, 2, None])
    earlier = InterviewFactory(
        position=data, status=Interview.Status.COMPLETED, ended_at=now - timedelta(days=3)
    )
    _scored(earlier, [5])
    # Scores are shown to those who may view evaluations and scores.
    recruiter.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_evaluation", "view_questionscore"])
    )

    response = logged_in(recruiter).get(SNAPSHOT)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    snapshot = response.json()
    counts = {row["status"]: row["count"] for row in snapshot["counts"]}
    assert counts == {
        "invited": 2,
        "in_progress": 1,
        "interrupted": 2,
        "completed": 3,
    }
    assert [row["id"] for row in snapshot["in_progress"]] == [str(running.public_id)]
    assert snapshot["in_progress"][0]["watch_url"] == reverse(
        "admin:interviews_interview_watch", args=[running.pk]
    )
    assert snapshot["in_progress"][0]["candidate"] == running.candidate.name
    assert snapshot["waiting_total"] == 4
    assert {row["id"] for row in snapshot["waiting"]} >= {str(i.public_id) for i in invited}
    assert all(row["watch_url"] is None for row in snapshot["waiting"])
    assert snapshot["finished_today_total"] == 1
    assert {row["status"] for row in snapshot["finished_today"]} == {"completed"}
    assert snapshot["scores_by_position"] == [
        {"position": "Backend engineer", "average": 3.0, "scored": 2},
        {"position": "Data scientist", "average": 5.0, "scored": 1},
    ]


def test_a_new_invite_shows_in_the_snapshot_without_a_reload(recruiter, logged_in):
    client = logged_in(recruiter)
    assert client.get(SNAPSHOT).json()["waiting_total"] == 0
    position = PositionFactory()
    interview_create(position=position, candidate=CandidateFactory(position=position))
    assert client.get(SNAPSHOT).json()["waiting_total"] == 1


def test_the_interview_page_links_to_watching_live_only_while_in_progress(
    recruiter, logged_in, invited
):
    client = logged_in(recruiter)
    change = reverse("admin:interviews_interview_change", args=[invited.pk])
    watch = reverse("admin:interviews_interview_watch", args=[invited.pk])
    assert watch.encode() not in client.get(change).content
    interview_start(interview=invited, ai_mode="structured")
    assert watch.encode() in client.get(change).content


def test_the_snapshot_shows_the_interviewers_capacity_use_and_line(recruiter, logged_in):
    from interviews.services.interview_queue import interview_admit_or_queue, worker_report

    worker_report(worker_id="a", capacity=3, in_use=3, draining=False)
    worker_report(worker_id="b", capacity=3, in_use=1, draining=True)  # stopping
    waiting = [InterviewFactory(), InterviewFactory()]
    for interview in waiting:
        assert not interview_admit_or_queue(interview=interview).admitted

    snapshot = logged_in(recruiter).get(SNAPSHOT).json()

    assert snapshot["interviewers"] == {
        "workers": 2,
        "capacity": 3,
        "in_use": 3,
        "starting": 0,
        "in_line": 2,
    }
