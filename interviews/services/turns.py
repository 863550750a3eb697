"""A candidate's turn: the interview locked, the answer to the open question recorded and
the next question of the interview plan picked, in one transaction.

A question is closed once `answered_at` is set: answered, or skipped (then `skipped_at`
is set too and the answer stays empty), so the plan moves on either way. Technical
questions come first, then coding exercises, then behavioral ones; each fits the
candidate's experience, none repeats, and the position's plan sets how many of each.
A question re-opened by going back (interviews.services.questions) keeps its first
answer: the new one is appended after a separator, so the recruiter sees both.

A turn runs at every answer of every interview, so its statements are SQL written here,
built once per process from the models' table and column names, every value a
parameter. Composed with the ORM they cost about 3.5 ms more per turn on a 2-core server
(the lock 1.0 ms, the asked questions 0.65 ms, the bank's pick 1.5 ms, the answer
0.2 ms), more than the turn's whole 3 ms budget. The one insert, the question asked,
goes through the ORM: written by hand it would repeat every column's default and
conversion, to save about 0.25 ms.
"""

# ruff: noqa: S608 - the SQL is composed only of the models' quoted names.

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Field, Model
from django.utils import timezone

from interviews.errors import ErrorCode
from interviews.models import (
    PLAN_ORDER,
    Candidate,
    CodingExercise,
    CodingWork,
    Interview,
    InterviewQuestion,
    Position,
    Question,
    Stage,
)
from interviews.services.common import refuse_if_finished, without_nul

MAX_ANSWER_LENGTH = 20_000


@dataclass(frozen=True)
class NextQuestion:
    """The question to ask now (None: the plan is complete) and its number in the
    interview (the main questions closed so far, plus one)."""

    question: InterviewQuestion | None
    number: int


@dataclass(frozen=True)
class AnswerAndNext:
    """An answer recorded and the question to ask after it."""

    answered: InterviewQuestion
    next: NextQuestion


@cache
def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@cache
def _column(model: type[Model], name: str) -> str:
    # Every name given here is a concrete field (a column), never a reverse relation.
    return connection.ops.quote_name(str(cast(Field, model._meta.get_field(name)).column))


@dataclass(frozen=True)
class _TurnInterview:
    """What a turn needs of the interview, read under its lock."""

    status: str
    candidate_id: int | None
    experience_years: int | None
    position_id: int
    technical_questions: int
    behavioral_questions: int
    coding_questions: int

    def planned(self, stage: str) -> int:
        return {
            Stage.TECHNICAL: self.technical_questions,
            Stage.CODING: self.coding_questions,
            Stage.BEHAVIORAL: self.behavioral_questions,
        }[Stage(stage)]


@dataclass
class _Asked:
    """One question asked in the interview, as a turn reads it."""

    id: int
    question_id: int | None
    follow_up_to_id: int | None
    sequence: int
    stage: str
    text: str
    rubric: str
    is_open: bool
    open_answer: str  # the answer so far while the question is open (after going back)

    def as_model(self, interview_id: int) -> InterviewQuestion:
        """The InterviewQuestion the services return (its other columns load if used)."""
        names = ["id", "interview_id", "question_id", "follow_up_to_id", "sequence"]
        values = [self.id, interview_id, self.question_id, self.follow_up_to_id, self.sequence]
        return InterviewQuestion.from_db(
            connection.alias,
            [*names, "stage", "text", "rubric"],
            [*values, self.stage, self.text, self.rubric],
        )


@cache
def _lock_sql(for_update_of: bool) -> str:
    i, p, c = "i", "p", "c"
    sql = (
        f"SELECT {i}.{_column(Interview, 'status')}, {i}.{_column(Interview, 'candidate')}, "
        f"{c}.{_column(Candidate, 'experience_years')}, {i}.{_column(Interview, 'position')}, "
        f"{p}.{_column(Position, 'technical_questions')}, "
        f"{p}.{_column(Position, 'behavioral_questions')}, "
        f"{p}.{_column(Position, 'coding_questions')} "
        f"FROM {_table(Interview)} {i} "
        f"INNER JOIN {_table(Position)} {p} "
        f"ON {p}.{_column(Position, 'id')} = {i}.{_column(Interview, 'position')} "
        f"LEFT OUTER JOIN {_table(Candidate)} {c} "
        f"ON {c}.{_column(Candidate, 'id')} = {i}.{_column(Interview, 'candidate')} "
        f"WHERE {i}.{_column(Interview, 'id')} = %s"
    )
    # PostgreSQL locks the interview's row; on SQLite the transaction holds the
    # database's write lock (Django opens it with BEGIN IMMEDIATE here).
    return sql + f" FOR UPDATE OF {i}" if for_update_of else sql


@cache
def _asked_sql() -> str:
    column = lambda name: _column(InterviewQuestion, name)  # noqa: E731
    answered_at = column("answered_at")
    return (
        f"SELECT {column('id')}, {column('question')}, {column('follow_up_to')}, "
        f"{column('sequence')}, {column('stage')}, {column('text')}, {column('rubric')}, "
        f"CASE WHEN {answered_at} IS NULL THEN 1 ELSE 0 END, "
        f"CASE WHEN {answered_at} IS NULL THEN {column('answer')} ELSE '' END "
        f"FROM {_table(InterviewQuestion)} WHERE {column('interview')} = %s "
        f"ORDER BY {column('sequence')}"
    )


@cache
def _record_sql() -> str:
    column = lambda name: _column(InterviewQuestion, name)  # noqa: E731
    return (
        f"UPDATE {_table(InterviewQuestion)} SET {column('answer')} = %s, "
        f"{column('answered_at')} = %s WHERE {column('id')} = %s"
    )


def _turn_start(interview: Interview) -> tuple[_TurnInterview, list[_Asked]]:
    """Lock the interview, refuse a finished one, and read every question asked in it
    (main questions and follow-ups) by sequence. An answer is read only while its
    question is open."""
    lock = _lock_sql(connection.features.has_select_for_update_of)
    with connection.cursor() as cursor:
        cursor.execute(lock, [interview.pk])
        locked = cursor.fetchone()
        if locked is None:
            raise Interview.DoesNotExist("Interview matching query does not exist.")
        turn = _TurnInterview(*locked)
        refuse_if_finished(Interview(pk=interview.pk, status=turn.status))
        cursor.execute(_asked_sql(), [interview.pk])
        asked = [
            _Asked(
                id=row[0],
                question_id=row[1],
                follow_up_to_id=row[2],
                sequence=row[3],
                stage=row[4],
                text=row[5],
                rubric=row[6],
                is_open=bool(row[7]),
                open_answer=row[8] or "",
            )
            for row in cursor.fetchall()
        ]
    return turn, asked


def _first_fitting(
    *, position_id: int, stage: str, experience: int | None, excluding: Sequence[int]
) -> tuple[int, str, str] | None:
    """The bank's first active question of the stage for this experience (unknown: every
    band), in the bank's order, that is not among `excluding`: (id, text, rubric)."""
    column = lambda name: _column(Question, name)  # noqa: E731
    where = [f"{column('position')} = %s", f"{column('stage')} = %s", column("is_active")]
    params: list[Any] = [position_id, stage]
    if experience is not None:
        where += [f"{column('min_experience')} <= %s", f"{column('max_experience')} >= %s"]
        params += [experience, experience]
    if stage == Stage.CODING:  # a coding question is asked only with its exercise
        exercise = lambda name: _column(CodingExercise, name)  # noqa: E731
        where.append(
            f"EXISTS (SELECT 1 FROM {_table(CodingExercise)} "
            f"WHERE {exercise('question')} = {_table(Question)}.{column('id')})"
        )
    if excluding:
        where.append(f"{column('id')} NOT IN ({', '.join(['%s'] * len(excluding))})")
        params += list(excluding)
    sql = (
        f"SELECT {column('id')}, {column('text')}, {column('rubric')} FROM {_table(Question)} "
        f"WHERE {' AND '.join(where)} ORDER BY {column('order')}, {column('id')} LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1], row[2])


def _waiting(asked: list[_Asked]) -> _Asked:
    """The most recently asked question still awaiting an answer."""
    waiting = [question for question in asked if question.is_open]
    if not waiting:
        raise ValidationError(
            "No question is waiting for an answer; get the next question first.",
            code=ErrorCode.NO_OPEN_QUESTION,
        )
    return waiting[-1]


def _number(asked: list[_Asked]) -> int:
    """The next main question's number: the main questions closed so far, plus one."""
    return 1 + sum(1 for q in asked if q.follow_up_to_id is None and not q.is_open)


def _pick_next(
    interview: Interview, turn: _TurnInterview, asked: list[_Asked]
) -> InterviewQuestion | None:
    """The question to ask now: the open main question if there is one, else the plan's
    next, stored as asked; None when the plan is complete."""
    if turn.candidate_id is None:
        raise ValidationError(
            "The candidate is not identified yet; ask for their email first.",
            code=ErrorCode.CANDIDATE_UNKNOWN,
        )
    main_questions = [question for question in asked if question.follow_up_to_id is None]
    pending = next((q for q in main_questions if q.is_open), None)
    if pending is not None:
        return pending.as_model(interview.pk)
    asked_ids = [q.question_id for q in main_questions if q.question_id]
    for stage in PLAN_ORDER:
        if sum(1 for q in main_questions if q.stage == stage) >= turn.planned(stage):
            continue
        fitting = _first_fitting(
            position_id=turn.position_id,
            stage=stage,
            experience=turn.experience_years,  # unknown experience: every band
            excluding=asked_ids,
        )
        if fitting is not None:
            question_id, text, rubric = fitting
            created = InterviewQuestion.objects.create(
                interview_id=interview.pk,
                question_id=question_id,
                sequence=max((q.sequence for q in asked), default=0) + 1,
                stage=stage,
                text=text,
                rubric=rubric,
            )
            if stage == Stage.CODING:
                exercise = CodingExercise.objects.get(question_id=question_id)
                CodingWork.objects.create(
                    asked=created, language=exercise.language, code=exercise.starter_code
                )
            return created
        # The bank has no more for this stage: move on rather than stall.
    return None


def _checked_answer(answer: str) -> str:
    if not isinstance(answer, str) or not answer.strip():
        raise ValidationError(
            "The answer is empty; ask the candidate to answer.", code=ErrorCode.EMPTY
        )
    answer = without_nul(answer).strip()
    if not answer:
        raise ValidationError(
            "The answer is empty; ask the candidate to answer.", code=ErrorCode.EMPTY
        )
    if len(answer) > MAX_ANSWER_LENGTH:
        raise ValidationError(
            f"An answer can be at most {MAX_ANSWER_LENGTH} characters; record a summary.",
            code=ErrorCode.ANSWER_TOO_LONG,
        )
    return answer


def _record(
    interview: Interview, waiting: _Asked, answer: str, at: datetime | None
) -> InterviewQuestion:
    # Re-opened by going back, the new answer replaces the earlier one (whose words stay
    # in the transcript): "that wasn't my answer" is never appended to.
    at = at or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _record_sql(), [answer, connection.ops.adapt_datetimefield_value(at), waiting.id]
        )
    waiting.is_open, waiting.open_answer = False, ""
    answered = waiting.as_model(interview.pk)
    answered.answer, answered.answered_at = answer, at
    return answered


def interview_next_question(*, interview: Interview) -> InterviewQuestion | None:
    """The question to ask now, or None when the interview plan is complete.

    Technical questions come before behavioral ones, each fits the candidate's
    experience, none repeats, and the position's plan sets how many of each. A question
    asked but not yet answered (after a reconnect) is asked again rather than skipped.
    """
    return interview_next_question_numbered(interview=interview).question


def interview_next_question_numbered(*, interview: Interview) -> NextQuestion:
    """interview_next_question, with the question's number in the interview."""
    with transaction.atomic():
        turn, asked = _turn_start(interview)
        return NextQuestion(question=_pick_next(interview, turn, asked), number=_number(asked))


def interview_record_answer(
    *, interview: Interview, answer: str, at: datetime | None = None
) -> InterviewQuestion:
    """Record the answer to the most recently asked question still awaiting one."""
    answer = _checked_answer(answer)
    with transaction.atomic():
        _turn, asked = _turn_start(interview)
        return _record(interview, _waiting(asked), answer, at)


def interview_answer_and_next_question(
    *, interview: Interview, answer: str, at: datetime | None = None
) -> AnswerAndNext:
    """interview_record_answer then interview_next_question, as one transaction: the
    interview locked once, its asked questions read once. Nothing is stored when either
    part is refused."""
    answer = _checked_answer(answer)
    with transaction.atomic():
        turn, asked = _turn_start(interview)
        answered = _record(interview, _waiting(asked), answer, at)
        question = _pick_next(interview, turn, asked)
        return AnswerAndNext(answered=answered, next=NextQuestion(question, _number(asked)))
