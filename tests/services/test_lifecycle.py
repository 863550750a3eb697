import pytest
from django.core.exceptions import ValidationError

from interviews.models import (
    Evaluation,
    Interview,
)
from interviews.services.lifecycle import interview_finish, interview_interrupt, interview_start
from tests.factories import InterviewFactory

pytestmark = pytest.mark.django_db


def test_an_interview_goes_in_progress_then_interrupted_then_completed():
    interview = InterviewFactory()
    interview_start(interview=interview, ai_mode="structured")
    interview.refresh_from_db()
    assert interview.status == Interview.Status.IN_PROGRESS
    assert interview.ai_mode == "structured"
    first_start = interview.started_at

    interview_interrupt(interview=interview)
    interview.refresh_from_db()
    assert interview.status == Interview.Status.INTERRUPTED

    interview_start(interview=interview, ai_mode="structured")
    interview_finish(interview=interview)
    interview.refresh_from_db()
    assert interview.status == Interview.Status.COMPLETED
    assert interview.started_at == first_start
    assert interview.ended_at is not None
    assert Evaluation.objects.get(interview=interview).status == "awaiting_review"


def test_a_completed_interview_cannot_be_restarted_or_interrupted():
    interview = InterviewFactory(status=Interview.Status.COMPLETED)
    with pytest.raises(ValidationError, match="already completed"):
        interview_start(interview=interview, ai_mode="structured")
    interview_interrupt(interview=interview)
    interview.refresh_from_db()
    assert interview.status == Interview.Status.COMPLETED


def test_finishing_twice_is_harmless():
    interview = InterviewFactory(status=Interview.Status.IN_PROGRESS)
    interview_finish(interview=interview)
    interview_finish(interview=interview)
    assert Evaluation.objects.filter(interview=interview).count() == 1
