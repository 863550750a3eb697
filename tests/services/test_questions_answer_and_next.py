"""Recording an answer and picking the next question as one service call."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interviews.models import InterviewQuestion, Stage
from interviews.services.questions import interview_add_follow_up, interview_previous_question
from interviews.services.turns import (
    interview_answer_and_next_question,
    interview_next_question,
    interview_record_answer,
)
from tests.factories import InterviewFactory

pytestmark = pytest.mark.django_db


def test_it_stores_the_answer_and_returns_the_next_question_with_its_number(position_with_bank):
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=1)
    first = interview_next_question(interview=interview)

    done = interview_answer_and_next_question(interview=interview, answer="  First answer. ")

    first.refresh_from_db()
    assert (done.answered.pk, first.answer, first.is_answered) == (first.pk, "First answer.", True)
    assert (done.next.question.text, done.next.number) == ("T2 junior?", 2)
    assert interview.asked.count() == 2


def test_it_asks_the_same_questions_as_the_separate_calls(position_with_bank):
    combined = InterviewFactory(position=position_with_bank, candidate__experience_years=8)
    separate = InterviewFactory(position=position_with_bank, candidate__experience_years=8)
    interview_next_question(interview=combined)
    asked_separately = [interview_next_question(interview=separate).text]

    asked_combined = []
    while (
        picked := interview_answer_and_next_question(interview=combined, answer="A")
    ).next.question:
        asked_combined.append(picked.next.question.text)
    while True:
        interview_record_answer(interview=separate, answer="A")
        question = interview_next_question(interview=separate)
        if question is None:
            break
        asked_separately.append(question.text)

    assert ["T1 for all?", *asked_combined] == asked_separately
    assert asked_separately == ["T1 for all?", "T3 senior?", "B1 for all?"]
    assert picked.next.number == 4  # the plan is complete: every question closed


def test_it_reads_the_interview_once_and_writes_in_one_transaction(position_with_bank):
    interview = InterviewFactory(position=position_with_bank)
    interview_next_question(interview=interview)

    with CaptureQueriesContext(connection) as queries:
        interview_answer_and_next_question(interview=interview, answer="A")

    statements = [query["sql"].split()[0].upper() for query in queries.captured_queries]
    # lock the interview, read its asked questions, store the answer, pick the next
    # question from the bank and store it as asked (plus the transaction's own statements)
    assert statements.count("SELECT") == 3
    assert (statements.count("UPDATE"), statements.count("INSERT")) == (1, 1)
    assert len(statements) <= 7


def test_nothing_is_stored_when_the_next_question_cannot_be_picked(position_with_bank):
    interview = InterviewFactory(position=position_with_bank, candidate=None)
    waiting = InterviewQuestion.objects.create(
        interview=interview, sequence=1, stage=Stage.TECHNICAL, text="Asked?"
    )

    with pytest.raises(ValidationError) as refused:
        interview_answer_and_next_question(interview=interview, answer="An answer")

    assert refused.value.code == "candidate_unknown"
    waiting.refresh_from_db()
    assert (waiting.answer, waiting.answered_at) == ("", None)


def test_the_separate_calls_refusals_hold(position_with_bank):
    interview = InterviewFactory(position=position_with_bank)
    for answer, code in (
        ("   ", "empty"),
        ("x" * 20_001, "answer_too_long"),
        ("A", "no_open_question"),
    ):
        with pytest.raises(ValidationError) as refused:
            interview_answer_and_next_question(interview=interview, answer=answer)
        assert refused.value.code == code
    assert not interview.asked.exists()


def test_a_follow_up_is_answered_before_the_plan_moves_on(position_with_bank):
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=1)
    interview_next_question(interview=interview)
    interview_record_answer(interview=interview, answer="Main answer")
    follow_up = interview_add_follow_up(interview=interview, text="Why?")

    done = interview_answer_and_next_question(interview=interview, answer="Because.")

    follow_up.refresh_from_db()
    assert (done.answered.pk, follow_up.answer) == (follow_up.pk, "Because.")
    assert (done.next.question.text, done.next.number) == ("T2 junior?", 2)
    assert done.next.question.sequence == 3


def test_an_answer_to_a_reopened_question_replaces_what_was_said_before(position_with_bank):
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=1)
    interview_next_question(interview=interview)
    interview_answer_and_next_question(interview=interview, answer="First try.")
    reopened, _ = interview_previous_question(interview=interview)

    done = interview_answer_and_next_question(interview=interview, answer="More.")

    reopened.refresh_from_db()
    assert reopened.answer == "More."
    assert (done.next.question.text, done.next.number) == ("T2 junior?", 2)


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="only SQLite before 3.35 cannot return inserted rows; PostgreSQL always can",
)
def test_a_database_that_cannot_return_inserted_rows_asks_the_same_questions(
    position_with_bank, monkeypatch
):
    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)
    interview = InterviewFactory(position=position_with_bank, candidate__experience_years=1)
    first = interview_next_question(interview=interview)

    done = interview_answer_and_next_question(interview=interview, answer="A")

    assert first.text == "T1 for all?"
    assert (done.next.question.text, done.next.question.sequence) == ("T2 junior?", 2)
    assert interview.asked.get(pk=done.next.question.pk).rubric == done.next.question.rubric
