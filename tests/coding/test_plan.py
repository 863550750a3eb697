"""A coding exercise in the interview plan (interviews.services.turns): after the technical
questions, before the behavioral ones, with the work opened on the starter code."""

import pytest

from interviews.models import CodingExercise, CodingWork, Stage
from interviews.services.coding import coding_work_open
from interviews.services.turns import interview_next_question, interview_record_answer
from tests.factories import InterviewFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def ask_all(interview) -> list[tuple[str, str]]:
    asked = []
    while (question := interview_next_question(interview=interview)) is not None:
        asked.append((question.stage, question.text))
        interview_record_answer(interview=interview, answer="An answer.")
    return asked


def test_the_exercise_comes_after_the_technical_questions_and_before_the_behavioral(
    coding_position,
):
    exercise = CodingExercise.objects.get(question__position=coding_position)
    interview = InterviewFactory(position=coding_position)
    assert ask_all(interview) == [
        (Stage.TECHNICAL, "What is a hash map?"),
        (Stage.CODING, exercise.question.text),
        (Stage.BEHAVIORAL, "A hard bug?"),
    ]
    work = CodingWork.objects.get(asked__interview=interview)
    assert work.asked.stage == Stage.CODING
    assert work.code == exercise.starter_code == "def reverse_words(sentence):\n    pass\n"
    assert work.language == exercise.language
    assert work.submitted_at is None


def test_the_work_is_open_only_while_its_question_waits_for_an_answer(coding_position):
    interview = InterviewFactory(position=coding_position)
    technical = interview_next_question(interview=interview)
    assert coding_work_open(interview=interview) is None
    interview_record_answer(interview=interview, answer=f"About {technical.text}")
    coding = interview_next_question(interview=interview)
    work = coding_work_open(interview=interview)
    assert work is not None and work.asked_id == coding.pk
    interview_record_answer(interview=interview, answer="I split the words, then reversed.")
    assert coding_work_open(interview=interview) is None


def test_a_coding_question_without_an_exercise_is_never_asked(coding_position):
    QuestionFactory(position=coding_position, stage=Stage.CODING, text="No exercise", order=0)
    interview = InterviewFactory(position=coding_position)
    texts = [text for _stage, text in ask_all(interview)]
    assert "No exercise" not in texts
    assert CodingWork.objects.filter(asked__interview=interview).count() == 1
