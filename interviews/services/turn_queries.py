"""The statements of a candidate's turn (record the answer, pick the next question, store
what was said), as SQL built once per process from the models' own table and column
names.

They run at every answer of every interview. Composing them with the ORM costs about a
millisecond of Python per SELECT on a small server, several times what the database
takes, and the turn's budget is a few milliseconds; the statements themselves are plain
SQL that SQLite and PostgreSQL both run. Rows come back as small records, and a model
instance is built only for the questions the service returns (columns not read are
deferred, loaded if ever used).

The question services use these inside their transaction, the transcript service for a
segment whose number its writer keeps; nothing else should.
The statements are composed only of quoted table and column names from the models; every
value is a parameter.
"""

# ruff: noqa: S608

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar, cast

from django.db import connection
from django.db.models import Field, Model

from interviews.models import Candidate, Interview, InterviewQuestion, Position, Question


@cache
def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _field(model: type[Model], name: str) -> Field:
    return cast(Field, model._meta.get_field(name))


@cache
def _column(model: type[Model], name: str) -> str:
    return connection.ops.quote_name(str(_field(model, name).column))


@dataclass(frozen=True)
class LockedInterview:
    """What a turn needs of the interview, read under its lock."""

    interview: Interview  # pk and status only
    candidate_id: int | None
    experience_years: int | None
    position_id: int
    technical_questions: int
    behavioral_questions: int


@dataclass
class AskedRow:
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
        names = [
            "id",
            "interview_id",
            "question_id",
            "follow_up_to_id",
            "sequence",
            "stage",
            "text",
            "rubric",
        ]
        values = [
            self.id,
            interview_id,
            self.question_id,
            self.follow_up_to_id,
            self.sequence,
            self.stage,
            self.text,
            self.rubric,
        ]
        return InterviewQuestion.from_db(connection.alias, names, values)


@cache
def _lock_sql(vendor: str, for_update_of: bool) -> str:
    interview, position, candidate = "i", "p", "c"
    sql = (
        f"SELECT {interview}.{_column(Interview, 'status')}, "
        f"{interview}.{_column(Interview, 'candidate')}, "
        f"{candidate}.{_column(Candidate, 'experience_years')}, "
        f"{interview}.{_column(Interview, 'position')}, "
        f"{position}.{_column(Position, 'technical_questions')}, "
        f"{position}.{_column(Position, 'behavioral_questions')} "
        f"FROM {_table(Interview)} {interview} "
        f"INNER JOIN {_table(Position)} {position} "
        f"ON {position}.{_column(Position, 'id')} = {interview}.{_column(Interview, 'position')} "
        f"LEFT OUTER JOIN {_table(Candidate)} {candidate} "
        f"ON {candidate}.{_column(Candidate, 'id')} = "
        f"{interview}.{_column(Interview, 'candidate')} "
        f"WHERE {interview}.{_column(Interview, 'id')} = %s"
    )
    if for_update_of:
        sql += f" FOR UPDATE OF {interview}"
    return sql


def lock_interview(pk: int) -> LockedInterview:
    """Lock the interview for the rest of the transaction (on SQLite the transaction
    itself holds the database's write lock) and read what a turn needs of it."""
    features = connection.features
    sql = _lock_sql(connection.vendor, features.has_select_for_update_of)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        raise Interview.DoesNotExist("Interview matching query does not exist.")
    status, candidate_id, experience, position_id, technical, behavioral = row
    return LockedInterview(
        interview=Interview(pk=pk, status=status),
        candidate_id=candidate_id,
        experience_years=experience,
        position_id=position_id,
        technical_questions=technical,
        behavioral_questions=behavioral,
    )


@cache
def _asked_sql(vendor: str) -> str:
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


def asked_in_order(interview_pk: int) -> list[AskedRow]:
    """Every question asked in the interview (main questions and follow-ups), by sequence.
    An answer is read only while its question is open."""
    with connection.cursor() as cursor:
        cursor.execute(_asked_sql(connection.vendor), [interview_pk])
        rows = cursor.fetchall()
    return [
        AskedRow(
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
        for row in rows
    ]


@cache
def _record_sql(vendor: str) -> str:
    column = lambda name: _column(InterviewQuestion, name)  # noqa: E731
    return (
        f"UPDATE {_table(InterviewQuestion)} SET {column('answer')} = %s, "
        f"{column('answered_at')} = %s WHERE {column('id')} = %s"
    )


def record(question_id: int, answer: str, at: Any) -> None:
    """Store an answer and close its question."""
    answered_at = _field(InterviewQuestion, "answered_at")
    with connection.cursor() as cursor:
        cursor.execute(
            _record_sql(connection.vendor),
            [answer, answered_at.get_db_prep_save(at, connection), question_id],
        )


def _fitting_where(
    position_id: int, stage: str, experience: int | None, excluding: Sequence[int]
) -> tuple[str, list[Any]]:
    column = lambda name: _column(Question, name)  # noqa: E731
    where = [f"{column('position')} = %s", f"{column('stage')} = %s", f"{column('is_active')}"]
    params: list[Any] = [position_id, stage]
    if experience is not None:
        where += [f"{column('min_experience')} <= %s", f"{column('max_experience')} >= %s"]
        params += [experience, experience]
    if excluding:
        where.append(f"{column('id')} NOT IN ({', '.join(['%s'] * len(excluding))})")
        params += list(excluding)
    sql = f"WHERE {' AND '.join(where)} ORDER BY {column('order')}, {column('id')} LIMIT 1"
    return sql, params


def first_fitting_question(
    *, position_id: int, stage: str, experience: int | None, excluding: Sequence[int]
) -> tuple[int, str, str] | None:
    """The bank's first active question of the stage for this experience (unknown: every
    band), in the bank's order, that is not among `excluding`: (id, text, rubric)."""
    where, params = _fitting_where(position_id, stage, experience, excluding)
    column = lambda name: _column(Question, name)  # noqa: E731
    sql = f"SELECT {column('id')}, {column('text')}, {column('rubric')} FROM {_table(Question)} "
    with connection.cursor() as cursor:
        cursor.execute(sql + where, params)
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1], row[2])


# An asked question's columns filled from the bank question it asks.
_FROM_THE_BANK = {"question": "id", "text": "text", "rubric": "rubric"}


@cache
def _ask_sql(where: str) -> tuple[str, tuple[str, ...]]:
    """The INSERT ... SELECT for this WHERE clause, and the fields given as parameters."""
    fields = [f.name for f in InterviewQuestion._meta.concrete_fields if not f.primary_key]
    selected = [
        _column(Question, _FROM_THE_BANK[name]) if name in _FROM_THE_BANK else "%s"
        for name in fields
    ]
    column = lambda name: _column(InterviewQuestion, name)  # noqa: E731
    sql = (
        f"INSERT INTO {_table(InterviewQuestion)} ({', '.join(column(n) for n in fields)}) "
        f"SELECT {', '.join(selected)} FROM {_table(Question)} {where} "
        f"RETURNING {column('id')}, {column('question')}, {column('text')}, {column('rubric')}"
    )
    return sql, tuple(name for name in fields if name not in _FROM_THE_BANK)


def ask_first_fitting(
    asked: InterviewQuestion, *, position_id: int, experience: int | None, excluding: Sequence[int]
) -> InterviewQuestion | None:
    """Store `asked` (its interview, sequence and stage set) as the bank's first fitting
    question of its stage (as first_fitting_question picks it), its question, text and
    rubric copied from the bank, in one INSERT ... SELECT; None when none fits."""
    if not connection.features.can_return_columns_from_insert:
        fitting = first_fitting_question(
            position_id=position_id, stage=asked.stage, experience=experience, excluding=excluding
        )
        if fitting is None:
            return None
        asked.question_id, asked.text, asked.rubric = fitting
        return insert(asked)
    where, where_params = _fitting_where(position_id, asked.stage, experience, excluding)
    sql, given = _ask_sql(where)
    params = []
    for name in given:
        field = _field(InterviewQuestion, name)
        params.append(field.get_db_prep_save(field.pre_save(asked, add=True), connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, params + where_params)
        row = cursor.fetchone()
    if row is None:
        return None
    asked.pk, asked.question_id, asked.text, asked.rubric = row
    asked._state.adding = False
    asked._state.db = connection.alias
    return asked


@cache
def _insert_sql(model: type[Model], returning: bool) -> tuple[str, tuple[str, ...]]:
    fields = tuple(f.name for f in model._meta.concrete_fields if not f.primary_key)
    columns = ", ".join(_column(model, name) for name in fields)
    sql = f"INSERT INTO {_table(model)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    if returning:
        sql += f" RETURNING {_column(model, model._meta.pk.name)}"
    return sql, fields


M = TypeVar("M", bound=Model)


def insert(row: M) -> M:
    """Store a new row (an asked question, a transcript segment), every column as the ORM
    would write it, in one statement."""
    model = type(row)
    returning = connection.features.can_return_columns_from_insert
    sql, fields = _insert_sql(model, returning)
    values = []
    for name in fields:
        field = _field(model, name)
        values.append(field.get_db_prep_save(field.pre_save(row, add=True), connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row.pk = cursor.fetchone()[0] if returning else cursor.lastrowid
    row._state.adding = False
    row._state.db = connection.alias
    return row
