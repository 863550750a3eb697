import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import InterviewQuestion, Stage
from interviews.services.flags import interview_flag
from tests.factories import InterviewFactory

pytestmark = pytest.mark.django_db


def test_the_report_shows_a_skipped_question_an_unknown_experience_and_the_flags(
    client, django_user_model
):
    client.force_login(django_user_model.objects.create_superuser("r", "r@example.com", "pw"))
    interview = InterviewFactory(candidate__experience_years=None)
    InterviewQuestion.objects.create(
        interview=interview,
        sequence=1,
        stage=Stage.TECHNICAL,
        text="How do you find a slow query?",
        answered_at=timezone.now(),
        skipped_at=timezone.now(),
    )
    interview_flag(interview=interview, text="Years of experience not given.")

    page = client.get(reverse("admin:interviews_interview_report", args=[interview.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Skipped" in text and "(not answered)" not in text
    assert "experience not given" in text
    assert "For your attention" in text and "Years of experience not given." in text
