import pytest
from django.core.exceptions import ValidationError

from interviews.models import Interview, Stage
from interviews.services.flags import interview_flag
from interviews.services.questions import (
    interview_add_follow_up,
    interview_previous_question,
    interview_skip_question,
)
from interviews.services.turns import (
    interview_next_question,
    interview_record_answer,
)
from tests.factories import CodingExerciseFactory, InterviewFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def main_questions(interview: Interview) -> list[tuple[str, str, bool]]:
    return [
        (q.text, q.answer, q.is_skipped)
        for q in interview.asked.filter(follow_up_to__isnull=True).order_by("sequence")
    ]


def test_a_skipped_question_is_closed_without_an_answer_and_the_plan_moves_on(
    position_with_bank,
):
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=1)
    first = interview_next_question(interview=interview)
    skipped = interview_skip_question(interview=interview)
    assert skipped.pk == first.pk
    assert skipped.is_skipped and skipped.is_answered and skipped.answer == ""
    assert interview_next_question(interview=interview).text == "T2 junior?"


def test_skipping_with_no_question_open_is_refused():
    interview = InterviewFactory()
    with pytest.raises(ValidationError) as refused:
        interview_skip_question(interview=interview)
    assert refused.value.code == "no_open_question"


def test_going_back_reopens_the_previous_question_and_the_new_answer_replaces_it(
    position_with_bank,
):
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=1)
    interview_next_question(interview=interview)
    interview_record_answer(interview=interview, answer="Logs first.")
    interview_next_question(interview=interview)  # T2, not answered yet

    reopened, number = interview_previous_question(interview=interview)
    assert (reopened.text, number) == ("T1 for all?", 1)
    assert interview_next_question(interview=interview).pk == reopened.pk
    interview_record_answer(interview=interview, answer="And then metrics.")
    assert interview_next_question(interview=interview).text == "T2 junior?"

    assert main_questions(interview) == [
        ("T1 for all?", "And then metrics.", False),
        ("T2 junior?", "", False),
    ]


def test_going_back_to_a_skipped_question_takes_the_new_answer(position_with_bank):
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=1)
    interview_next_question(interview=interview)
    interview_skip_question(interview=interview)
    interview_previous_question(interview=interview)
    interview_record_answer(interview=interview, answer="Now I remember: the logs.")
    assert main_questions(interview)[0] == ("T1 for all?", "Now I remember: the logs.", False)


def test_going_back_withdraws_an_open_follow_up(position_with_bank):
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=1)
    interview_next_question(interview=interview)
    interview_record_answer(interview=interview, answer="Logs.")
    interview_add_follow_up(interview=interview, text="Which logs?")
    interview_previous_question(interview=interview)
    assert interview_record_answer(interview=interview, answer="More.").text == "T1 for all?"


def test_there_is_nothing_to_go_back_to_at_the_first_question(position_with_bank):
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=1)
    interview_next_question(interview=interview)
    with pytest.raises(ValidationError) as refused:
        interview_previous_question(interview=interview)
    assert refused.value.code == "no_previous_question"


def test_an_unknown_experience_draws_questions_from_every_level(position_with_bank):
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=None)
    texts = []
    while (asked := interview_next_question(interview=interview)) is not None:
        texts.append(asked.text)
        interview_record_answer(interview=interview, answer="An answer.")
    assert texts == ["T1 for all?", "T2 junior?", "B1 for all?"]


def test_a_flag_is_kept_once_for_the_recruiter():
    interview = InterviewFactory()
    interview_flag(interview=interview, text="Experience not given.")
    interview_flag(interview=interview, text="Experience not given.")
    interview.refresh_from_db()
    assert interview.flags == ["Experience not given."]


def test_going_back_twice_keeps_an_answered_question_and_its_answer(position_with_bank):
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=1)
    interview_next_question(interview=interview)
    interview_record_answer(interview=interview, answer="Logs first.")
    interview_next_question(interview=interview)
    interview_record_answer(interview=interview, answer="Queues and retries.")
    interview_next_question(interview=interview)  # the third, not answered yet

    first_back, _ = interview_previous_question(interview=interview)
    second_back, number = interview_previous_question(interview=interview)

    assert first_back.text == "T2 junior?"
    assert (second_back.text, number) == ("T1 for all?", 1)
    assert main_questions(interview) == [
        ("T1 for all?", "Logs first.", False),
        ("T2 junior?", "Queues and retries.", False),
    ]
    assert interview.asked.get(text="T2 junior?").answered_at is not None
    assert interview_next_question(interview=interview).text == "T1 for all?"


def test_going_back_from_an_open_coding_exercise_is_refused_and_keeps_the_code():
    exercise = CodingExerciseFactory()
    position = exercise.question.position
    position.technical_questions, position.coding_questions = 1, 1
    position.save()
    QuestionFactory(position=position, stage=Stage.TECHNICAL, text="Why logs?")
    interview = InterviewFactory(position=position, candidate__experience_years=3)
    interview_next_question(interview=interview)
    interview_record_answer(interview=interview, answer="To see what happened.")
    coding = interview_next_question(interview=interview)
    coding.coding_work.code = "def reverse_words(sentence):\n    return sentence\n"
    coding.coding_work.save()

    with pytest.raises(ValidationError) as refused:
        interview_previous_question(interview=interview)

    assert refused.value.code == "coding_open"
    coding.refresh_from_db()
    assert coding.answered_at is None
    assert "return sentence" in coding.coding_work.code
    assert interview_next_question(interview=interview).pk == coding.pk
