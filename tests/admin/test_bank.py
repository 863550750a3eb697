import pytest
from django.urls import reverse

from interviews.models import Position, Question, Stage
from tests.factories import PositionFactory, QuestionFactory

pytestmark = pytest.mark.django_db


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
            "coding_questions": 0,
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
            # No coding exercise beside it.
            "exercise-TOTAL_FORMS": "0",
            "exercise-INITIAL_FORMS": "0",
            "exercise-MIN_NUM_FORMS": "0",
            "exercise-MAX_NUM_FORMS": "1",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get(position=position)
    assert question.origin == Question.Origin.RECRUITER
    assert question.is_active


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
