import re

import pytest
from django.urls import reverse

from interviews.models import Interview, hash_invite
from interviews.services.invites import interview_create
from interviews.services.lifecycle import interview_finish, interview_start
from interviews.services.questions import interview_next_question, interview_record_answer
from interviews.services.transcript import transcript_append
from tests.factories import CandidateFactory, InterviewFactory, PositionFactory, QuestionFactory

pytestmark = pytest.mark.django_db

MODELS = ["position", "question", "candidate", "interview"]


@pytest.fixture
def recruiter_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("recruiter", "r@example.com", "pw")
    client.force_login(user)
    return client


def filled_interview(n: int = 0) -> Interview:
    position = PositionFactory()
    QuestionFactory(position=position)
    interview = InterviewFactory(position=position, candidate__name=f"Person {n}")
    interview_start(interview=interview, ai_mode="structured")
    interview_next_question(interview=interview)
    interview_record_answer(interview=interview, answer="An answer.")
    transcript_append(interview=interview, speaker="agent", text="Hello.")
    interview_finish(interview=interview)
    return interview


def make_rows(count: int) -> None:
    for n in range(count):
        filled_interview(n)


def test_the_interview_page_shows_the_asked_questions_and_transcript(recruiter_client):
    interview = filled_interview()
    page = recruiter_client.get(reverse("admin:interviews_interview_change", args=[interview.pk]))
    text = page.content.decode()
    assert "An answer." in text
    assert "Hello." in text
    assert "Awaiting human review" in text


def test_a_recruiter_creates_an_interview_and_sees_its_invite_link_once(recruiter_client):
    candidate = CandidateFactory()
    response = recruiter_client.post(
        reverse("admin:interviews_interview_add"),
        {"position": candidate.position.pk, "candidate": candidate.pk, "invite_valid_days": 3},
    )
    assert response.status_code == 200
    links = re.findall(r'value="(http://testserver/interview/[^"]+/)"', response.content.decode())
    assert len(links) == 1
    interview = Interview.objects.get(candidate=candidate)
    secret = links[0].rstrip("/").rsplit("/", 1)[-1]
    assert interview.invite_hash == hash_invite(secret)
    assert (
        secret
        not in recruiter_client.get(
            reverse("admin:interviews_interview_change", args=[interview.pk])
        ).content.decode()
    )


def test_an_interview_needs_a_candidate_when_created_in_the_admin(recruiter_client):
    position = PositionFactory()
    response = recruiter_client.post(
        reverse("admin:interviews_interview_add"),
        {"position": position.pk, "invite_valid_days": 3},
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Interview.objects.filter(position=position).exists()


def test_revoking_and_reissuing_invites_from_the_list(recruiter_client):
    candidate = CandidateFactory()
    new = interview_create(position=candidate.position, candidate=candidate)
    url = reverse("admin:interviews_interview_changelist")
    recruiter_client.post(url, {"action": "revoke_invites", "_selected_action": [new.interview.pk]})
    new.interview.refresh_from_db()
    assert new.interview.invite_revoked_at is not None
    response = recruiter_client.post(
        url, {"action": "new_invite_links", "_selected_action": [new.interview.pk]}
    )
    new.interview.refresh_from_db()
    assert new.interview.invite_revoked_at is None
    assert "/interview/" in response.content.decode()
