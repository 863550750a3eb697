import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interviews.models import (
    Evaluation,
    Interview,
    InterviewQuestion,
    QuestionScore,
    Stage,
)
from interviews.services.decisions import decision_record
from interviews.services.invites import interview_create
from interviews.services.lifecycle import interview_finish, interview_start
from tests.factories import CandidateFactory, InterviewFactory, PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiter(django_user_model):
    return django_user_model.objects.create_superuser("recruiter", "r@example.com", "pw")


@pytest.fixture
def recruiter_client(client, recruiter):
    client.force_login(recruiter)
    return client


def ended(name: str, *, scores: tuple[int, ...] = ()) -> Interview:
    interview = InterviewFactory(candidate__name=name)
    interview_start(interview=interview, ai_mode="structured")
    interview_finish(interview=interview)
    if scores:
        evaluation = Evaluation.objects.get(interview=interview)
        evaluation.status = Evaluation.Status.EVALUATED
        evaluation.save()
        for sequence, score in enumerate(scores, start=1):
            asked = InterviewQuestion.objects.create(
                interview=interview, sequence=sequence, stage=Stage.TECHNICAL, text="Q?"
            )
            QuestionScore.objects.create(
                evaluation=evaluation, interview_question=asked, score=score
            )
    return interview


def changelist(client, **params) -> str:
    return client.get(reverse("admin:interviews_interview_changelist"), params).content.decode()


def test_the_interview_list_opens_the_report_from_the_candidate_name(recruiter_client):
    interview = ended("Ada Lovelace", scores=(4, 3))
    page = changelist(recruiter_client)
    report = reverse("admin:interviews_interview_report", args=[interview.pk])
    assert f'<a href="{report}" title="Open the report">Ada Lovelace</a>' in page
    assert "3.5 / 5" in page
    assert "Awaiting" in page
    assert str(interview.public_id) not in page
    assert reverse("admin:interviews_interview_change", args=[interview.pk]) not in page


def test_the_list_filters_interviews_awaiting_a_decision_and_by_decision(
    recruiter_client, recruiter
):
    waiting = ended("Waiting Person")
    decided = ended("Decided Person")
    decision_record(interview=decided, decision="advance", note="Strong.", decided_by=recruiter)
    InterviewFactory(candidate__name="Invited Person")

    awaiting = changelist(recruiter_client, awaiting="yes")
    assert "Waiting Person" in awaiting
    assert "Decided Person" not in awaiting and "Invited Person" not in awaiting

    advanced = changelist(recruiter_client, decision="advance")
    assert "Decided Person" in advanced and "Waiting Person" not in advanced
    assert waiting.pk != decided.pk


def test_the_interview_list_costs_the_same_queries_with_decisions_and_scores(
    recruiter_client, recruiter
):
    def rows(count: int) -> None:
        for n in range(count):
            interview = ended(f"Person {n}", scores=(3, 4))
            decision_record(interview=interview, decision="hold", note="n", decided_by=recruiter)

    rows(2)
    with CaptureQueriesContext(connection) as few:
        changelist(recruiter_client)
    rows(20)
    with CaptureQueriesContext(connection) as many:
        changelist(recruiter_client)
    assert len(many) == len(few)


def test_the_start_page_shows_what_needs_doing(recruiter_client):
    ended("Needs A Decision")
    position = PositionFactory(title="Data engineer", slug="data-engineer")
    PositionFactory(title="Closed role", slug="closed-role", is_active=False)
    page = recruiter_client.get(reverse("admin:index")).content.decode()
    assert "Invite a candidate" in page
    assert "Awaiting your decision (1)" in page and "Needs A Decision" in page
    assert "In progress now (0)" in page
    assert f"http://testserver/apply/{position.slug}/" in page
    assert "/apply/closed-role/" not in page
    assert reverse("admin:interviews_question_import") in page


def test_positions_show_their_open_link_with_a_copy_button_and_a_switch(recruiter_client):
    position = PositionFactory(title="Data engineer", slug="data-engineer")
    page = recruiter_client.get(reverse("admin:interviews_position_changelist")).content.decode()
    assert "http://testserver/apply/data-engineer/</code>" in page
    assert 'data-copy-target="link-box-' in page
    switch = reverse("admin:interviews_position_open_link", args=[position.pk])
    assert f'formaction="{switch}"' in page

    response = recruiter_client.post(switch, {"open": "off"})
    assert response.status_code == 302
    position.refresh_from_db()
    assert position.is_active is False
    assert recruiter_client.get(switch).status_code == 403
    recruiter_client.post(switch, {"open": "on"})
    position.refresh_from_db()
    assert position.is_active is True


def test_inviting_with_email_sends_the_link_to_the_candidate(recruiter_client):
    candidate = CandidateFactory(email="grace@example.com")
    response = recruiter_client.post(
        reverse("admin:interviews_interview_invite"),
        {
            "email": "grace@example.com",
            "position": candidate.position.pk,
            "invite_valid_days": 3,
            "send_email": "on",
        },
    )
    page = response.content.decode()
    assert "the invitation was emailed to grace@example.com" in page
    link = re.search(r'<code id="[^"]+">http://testserver(/interview/[^<]+/)</code>', page)[1]
    assert [m.to for m in mail.outbox] == [["grace@example.com"]]
    assert link in mail.outbox[0].body


def test_the_report_says_the_evaluation_is_awaited_when_a_model_is_configured(
    recruiter_client, settings
):
    settings.EVALUATION_MODEL = "some-model"
    interview = ended("Someone")
    page = recruiter_client.get(reverse("admin:interviews_interview_report", args=[interview.pk]))
    assert "AI evaluation awaiting." in page.content.decode()


def test_a_recorded_decision_replaces_awaiting_review_and_dates_read_naturally(
    recruiter_client, recruiter
):
    interview = ended("Someone")
    decision_record(interview=interview, decision="reject", note="Not now.", decided_by=recruiter)
    page = recruiter_client.get(
        reverse("admin:interviews_interview_report", args=[interview.pk])
    ).content.decode()
    assert "Current decision: Reject" in page
    assert "Awaiting human review" not in page
    assert "today, " in page
    assert ".." not in re.sub(r"<[^>]+>", "", page).replace("...", "")


def test_the_watch_page_follows_the_interview_status(recruiter_client):
    candidate = CandidateFactory()
    interview = interview_create(position=candidate.position, candidate=candidate).interview
    url = reverse("admin:interviews_interview_watch_status", args=[interview.pk])
    assert recruiter_client.get(url).json()["status"] == "invited"
    interview_start(interview=interview, ai_mode="structured")
    assert recruiter_client.get(url).json()["in_progress"] is True
    interview_finish(interview=interview)
    assert recruiter_client.get(url).json() == {
        "status": "completed",
        "status_label": "Completed",
        "in_progress": False,
        "finished": True,
    }


def test_the_dashboard_rows_open_the_report(recruiter_client):
    interview = ended("Someone")
    snapshot = recruiter_client.get(reverse("admin:interviews_interview_dashboard_snapshot")).json()
    assert snapshot["finished_today"][0]["report_url"] == reverse(
        "admin:interviews_interview_report", args=[interview.pk]
    )
    assert timezone.now()
