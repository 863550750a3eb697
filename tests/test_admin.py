import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import Candidate, Interview, Position, Question, Stage, hash_invite
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


@pytest.mark.parametrize("model", MODELS)
def test_every_changelist_loads_and_searches(recruiter_client, model):
    filled_interview()
    url = reverse(f"admin:interviews_{model}_changelist")
    assert recruiter_client.get(url).status_code == 200
    assert recruiter_client.get(url, {"q": "Person"}).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_every_change_page_loads(recruiter_client, model):
    interview = filled_interview()
    obj = {
        "position": interview.position,
        "question": interview.asked.first().question,
        "candidate": interview.candidate,
        "interview": interview,
    }[model]
    response = recruiter_client.get(reverse(f"admin:interviews_{model}_change", args=[obj.pk]))
    assert response.status_code == 200


def test_the_interview_page_shows_the_asked_questions_and_transcript(recruiter_client):
    interview = filled_interview()
    page = recruiter_client.get(reverse("admin:interviews_interview_change", args=[interview.pk]))
    text = page.content.decode()
    assert "An answer." in text
    assert "Hello." in text
    assert "Awaiting human review" in text


def test_searching_candidates_by_email_finds_only_the_match(recruiter_client):
    CandidateFactory(email="findme@example.com", name="Ada")
    CandidateFactory(email="other@example.com", name="Bob")
    page = recruiter_client.get(
        reverse("admin:interviews_candidate_changelist"), {"q": "findme"}
    ).content.decode()
    assert "findme@example.com" in page
    assert "other@example.com" not in page


def test_the_default_bank_is_visible_to_recruiters(recruiter_client, default_bank):
    product_manager = Position.objects.get(slug="product-manager")
    page = recruiter_client.get(
        reverse("admin:interviews_question_changelist"), {"position__id__exact": product_manager.pk}
    )
    assert page.status_code == 200
    assert page.context["cl"].result_count >= 16


def test_a_recruiter_adds_a_position_and_a_question(recruiter_client):
    response = recruiter_client.post(
        reverse("admin:interviews_position_add"),
        {
            "title": "Site Reliability Engineer",
            "slug": "site-reliability-engineer",
            "description": "Keeps production up.",
            "is_active": "on",
            "technical_questions": 2,
            "behavioral_questions": 1,
            "time_budget_minutes": 20,
        },
    )
    assert response.status_code == 302
    position = Position.objects.get(slug="site-reliability-engineer")
    response = recruiter_client.post(
        reverse("admin:interviews_question_add"),
        {
            "position": position.pk,
            "stage": Stage.TECHNICAL,
            "text": "How would you set an error budget?",
            "rubric": "Links SLOs to release decisions.",
            "min_experience": 0,
            "max_experience": 60,
            "order": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get(position=position)
    assert question.origin == Question.Origin.RECRUITER
    assert question.is_active


@pytest.mark.parametrize("model", MODELS)
def test_changelists_issue_a_constant_number_of_queries(recruiter_client, model):
    url = reverse(f"admin:interviews_{model}_changelist")
    make_rows(3)
    with CaptureQueriesContext(connection) as few:
        assert recruiter_client.get(url).status_code == 200
    make_rows(52)
    with CaptureQueriesContext(connection) as many:
        assert recruiter_client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_changelists_with_50_rows_stay_within_a_dozen_queries(recruiter_client):
    make_rows(55)
    for model in MODELS:
        with CaptureQueriesContext(connection) as queries:
            recruiter_client.get(reverse(f"admin:interviews_{model}_changelist"))
        assert len(queries) <= 12, (model, len(queries))


def test_bulk_actions_activate_deactivate_and_approve(recruiter_client):
    position = PositionFactory()
    recruiter_question = QuestionFactory(position=position, is_active=False)
    suggestion = QuestionFactory(position=position, is_active=False, origin=Question.Origin.AGENT)
    url = reverse("admin:interviews_question_changelist")
    recruiter_client.post(
        url,
        {
            "action": "approve_suggestions",
            "_selected_action": [recruiter_question.pk, suggestion.pk],
        },
    )
    recruiter_question.refresh_from_db()
    suggestion.refresh_from_db()
    assert suggestion.is_active and not recruiter_question.is_active

    recruiter_client.post(url, {"action": "activate", "_selected_action": [recruiter_question.pk]})
    recruiter_question.refresh_from_db()
    assert recruiter_question.is_active

    recruiter_client.post(
        url, {"action": "deactivate", "_selected_action": [recruiter_question.pk, suggestion.pk]}
    )
    assert not Question.objects.filter(position=position, is_active=True).exists()


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


def test_inviting_candidates_in_bulk_gives_one_link_each(recruiter_client):
    candidates = [CandidateFactory() for _ in range(3)]
    response = recruiter_client.post(
        reverse("admin:interviews_candidate_changelist"),
        {"action": "invite", "_selected_action": [c.pk for c in candidates]},
    )
    assert response.status_code == 200
    assert response.content.decode().count("/interview/") >= 3
    assert Interview.objects.filter(candidate__in=candidates).count() == 3


def test_bulk_invites_report_a_closed_position_and_create_nothing_for_it(recruiter_client):
    closed = CandidateFactory(position=PositionFactory(is_active=False))
    response = recruiter_client.post(
        reverse("admin:interviews_candidate_changelist"),
        {"action": "invite", "_selected_action": [closed.pk]},
    )
    assert "is not open" in response.content.decode()
    assert not Interview.objects.filter(candidate=closed).exists()


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


def test_candidates_are_not_editable_into_duplicates(recruiter_client):
    CandidateFactory(email="taken@example.com")
    other = CandidateFactory()
    response = recruiter_client.post(
        reverse("admin:interviews_candidate_change", args=[other.pk]),
        {
            "email": "taken@example.com",
            "name": other.name,
            "position": other.position.pk,
            "experience_years": 2,
            "interviews-TOTAL_FORMS": 0,
            "interviews-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert Candidate.objects.filter(email="taken@example.com").count() == 1
