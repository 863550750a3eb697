import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import Interview
from interviews.services.lifecycle import interview_finish, interview_start
from interviews.services.questions import interview_next_question, interview_record_answer
from interviews.services.transcript import transcript_append
from tests.factories import InterviewFactory, PositionFactory, QuestionFactory

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
