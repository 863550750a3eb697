"""The JSON downloads say which questions were skipped and what was flagged."""

import json

import pytest
from django.urls import reverse

from interviews.models import Interview
from interviews.selectors import reports
from interviews.services.flags import interview_flag
from interviews.services.lifecycle import interview_finish, interview_start
from interviews.services.questions import (
    interview_next_question,
    interview_record_answer,
    interview_skip_question,
)
from tests.factories import CandidateFactory, InterviewFactory, PositionFactory, QuestionFactory

pytestmark = pytest.mark.django_db

FLAG = "Name not understood twice; taken as the candidate gave it."


@pytest.fixture
def skipped_interview() -> Interview:
    position = PositionFactory(technical_questions=2, behavioral_questions=0)
    QuestionFactory(position=position, text="How does a hash map work?")
    QuestionFactory(position=position, text="How would you find a slow query?")
    interview = InterviewFactory(position=position, candidate=CandidateFactory(position=position))
    interview_start(interview=interview, ai_mode="structured")
    interview_next_question(interview=interview)
    interview_skip_question(interview=interview)
    interview_next_question(interview=interview)
    interview_record_answer(interview=interview, answer="The slow query log.")
    interview_flag(interview=interview, text=FLAG)
    interview_finish(interview=interview)
    return Interview.objects.get(pk=interview.pk)


def skipped_and_answered(questions: list[dict]) -> tuple[dict, dict]:
    first, second = sorted(questions, key=lambda row: row["sequence"])
    return first, second


def test_the_transcript_json_lists_each_question_with_when_it_was_skipped(
    recruiter_client, skipped_interview
):
    response = recruiter_client.get(
        reverse("admin:interviews_interview_transcript_json", args=[skipped_interview.pk])
    )

    data = json.loads(response.content)
    assert data["flags"] == [FLAG]
    skipped, answered = skipped_and_answered(data["questions"])
    stored = skipped_interview.asked.order_by("sequence").first()
    assert skipped["skipped_at"] == stored.skipped_at.isoformat()
    assert skipped["answer"] == ""
    assert answered["skipped_at"] is None
    assert answered["answer"] == "The slow query log."


def test_the_candidate_export_says_which_questions_were_skipped_and_the_flags(skipped_interview):
    exported = reports.candidate_export(candidate=skipped_interview.candidate)

    [interview] = exported["interviews"]
    assert interview["flags"] == [FLAG]
    skipped, answered = skipped_and_answered(interview["questions"])
    assert skipped["skipped_at"] is not None and answered["skipped_at"] is None
