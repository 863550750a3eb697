import pytest
from django.core.exceptions import ValidationError

from interviews.models import Interview, Stage
from interviews.services.turns import interview_next_question, interview_record_answer
from tests.factories import InterviewFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def ask_all(interview: Interview) -> list[str]:
    asked = []
    while (question := interview_next_question(interview=interview)) is not None:
        asked.append(question.text)
        interview_record_answer(interview=interview, answer=f"Answer to {question.text}")
    return asked


def test_a_junior_gets_technical_questions_in_order_then_behavioral(position_with_bank):
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=1)
    assert ask_all(interview) == ["T1 for all?", "T2 junior?", "B1 for all?"]


def test_a_senior_gets_questions_for_their_experience(position_with_bank):
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=8)
    assert ask_all(interview) == ["T1 for all?", "T3 senior?", "B1 for all?"]


def test_the_plan_counts_decide_how_many_questions_are_asked(position_with_bank):
    position_with_bank.technical_questions = 3
    position_with_bank.behavioral_questions = 2
    position_with_bank.save()
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=1)
    assert ask_all(interview) == [
        "T1 for all?",
        "T2 junior?",
        "T4 for all?",
        "B1 for all?",
        "B2 for all?",
    ]


def test_no_question_repeats_and_the_end_of_the_plan_says_done(position_with_bank):
    interview = InterviewFactory(position=position_with_bank)
    asked = ask_all(interview)
    assert len(asked) == len(set(asked))
    assert interview_next_question(interview=interview) is None
    assert interview.asked.count() == 3


def test_an_unanswered_question_is_asked_again_after_a_reconnect(position_with_bank):
    interview = InterviewFactory(position=position_with_bank)
    first = interview_next_question(interview=interview)
    again = interview_next_question(interview=interview)
    assert again.pk == first.pk
    assert interview.asked.count() == 1


def test_a_short_bank_moves_on_to_the_next_stage_rather_than_stalling(position_with_bank):
    position_with_bank.technical_questions = 10
    position_with_bank.save()
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=1)
    asked = ask_all(interview)
    assert asked == ["T1 for all?", "T2 junior?", "T4 for all?", "B1 for all?"]


def test_questions_follow_their_order_field_not_creation_order(position_with_bank):
    QuestionFactory(position=position_with_bank, text="T0 first?", order=0)
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=1)
    assert ask_all(interview)[0] == "T0 first?"


def test_the_asked_question_keeps_a_snapshot_of_its_text_and_rubric(position_with_bank):
    interview = InterviewFactory(position=position_with_bank)
    asked = interview_next_question(interview=interview)
    asked.question.text = "Reworded later?"
    asked.question.save()
    asked.refresh_from_db()
    assert asked.text == "T1 for all?"
    assert asked.rubric == "Covers the main points."
    assert asked.stage == Stage.TECHNICAL


def test_questions_wait_until_the_candidate_is_identified(position_with_bank):
    interview = InterviewFactory(position=position_with_bank, candidate=None)
    with pytest.raises(ValidationError, match="not identified"):
        interview_next_question(interview=interview)
    assert not interview.asked.exists()


def test_a_finished_interview_asks_nothing(position_with_bank):
    interview = InterviewFactory(position=position_with_bank, status=Interview.Status.COMPLETED)
    with pytest.raises(ValidationError, match="already completed"):
        interview_next_question(interview=interview)
