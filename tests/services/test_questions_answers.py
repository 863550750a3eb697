import pytest
from django.core.exceptions import ValidationError

from interviews.models import (
    InterviewQuestion,
    Question,
)
from interviews.services.questions import (
    MAX_SUGGESTIONS_PER_INTERVIEW,
    interview_add_follow_up,
    question_set_active,
)
from interviews.services.turns import interview_next_question, interview_record_answer
from tests.factories import InterviewFactory

pytestmark = pytest.mark.django_db


def test_an_answer_goes_to_the_question_waiting_for_it(position_with_bank):
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=1)
    asked = interview_next_question(interview=interview)
    interview_record_answer(interview=interview, answer="  My answer.  ")
    asked.refresh_from_db()
    assert asked.answer == "My answer."
    assert asked.is_answered


def test_an_answer_without_a_question_is_refused():
    interview = InterviewFactory()
    with pytest.raises(ValidationError, match="No question is waiting"):
        interview_record_answer(interview=interview, answer="Hello")
    assert not InterviewQuestion.objects.exists()


@pytest.mark.parametrize(("answer", "message"), [("   ", "empty"), ("x" * 20_001, "at most")])
def test_a_bad_answer_is_refused_and_nothing_is_written(position_with_bank, answer, message):
    interview = InterviewFactory(position=position_with_bank)
    asked = interview_next_question(interview=interview)
    with pytest.raises(ValidationError, match=message):
        interview_record_answer(interview=interview, answer=answer)
    asked.refresh_from_db()
    assert asked.answer == "" and not asked.is_answered


def test_a_follow_up_is_asked_and_suggested_inactive_to_the_bank(position_with_bank):
    interview = InterviewFactory(position=position_with_bank)
    parent = interview_next_question(interview=interview)
    follow_up = interview_add_follow_up(
        interview=interview, text="Why that data structure?", rubric="Names the trade-off."
    )
    assert follow_up.follow_up_to == parent
    assert follow_up.sequence == parent.sequence + 1
    suggestion = follow_up.question
    assert suggestion.is_active is False
    assert suggestion.origin == Question.Origin.AGENT
    assert suggestion.suggested_in == interview
    assert suggestion.stage == parent.stage

    interview_record_answer(interview=interview, answer="Because of lookups.")
    follow_up.refresh_from_db()
    parent.refresh_from_db()
    assert follow_up.answer == "Because of lookups."
    assert not parent.is_answered


def test_follow_ups_are_limited_per_interview(position_with_bank):
    interview = InterviewFactory(position=position_with_bank)
    interview_next_question(interview=interview)
    for n in range(MAX_SUGGESTIONS_PER_INTERVIEW):
        interview_add_follow_up(interview=interview, text=f"Follow-up {n}?")
    with pytest.raises(ValidationError, match="No more follow-ups"):
        interview_add_follow_up(interview=interview, text="One too many?")
    assert interview.suggested_questions.count() == MAX_SUGGESTIONS_PER_INTERVIEW


def test_a_follow_up_needs_a_question_first():
    interview = InterviewFactory()
    with pytest.raises(ValidationError, match="after a question"):
        interview_add_follow_up(interview=interview, text="Why?")
    assert not Question.objects.filter(origin=Question.Origin.AGENT).exists()


def test_bulk_activation_changes_only_the_chosen_questions(position_with_bank):
    inactive = Question.objects.get(position=position_with_bank, is_active=False)
    assert question_set_active(questions=[inactive], active=True) == 1
    assert Question.objects.filter(position=position_with_bank, is_active=False).count() == 0
