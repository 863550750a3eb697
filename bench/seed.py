"""Seed a database at the scale the figures are measured at: 100,000 candidates, 10,000
questions, 100,000 interviews with 3 asked questions each and 1,000,000 transcript
segments, plus the positions the live benchmarks interview for. What the bias audit reads
is seeded too: most candidates' self-identification, an evaluation with scores for most
completed interviews, and the decisions on a third of the ended ones (some changed).

Rows go in with executemany (SQLite) or COPY (PostgreSQL), not the ORM, so a fresh
database is seeded in a minute or two.

    DATABASE_URL=... python -m bench.seed --out seed.json
"""

import argparse
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.common import load_average, setup_django, write_json

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402

from interviews.models import (  # noqa: E402
    Candidate,
    DecisionRecord,
    ErasureRecord,
    Evaluation,
    Interview,
    InterviewQuestion,
    OperationRecord,
    Position,
    Question,
    QuestionScore,
    SelfIdentification,
    Stage,
    TranscriptSegment,
)

CANDIDATES = 100_000
QUESTIONS = 10_000
SEGMENTS_PER_INTERVIEW = 10  # one interview per candidate: 1,000,000 segments
ASKED_PER_INTERVIEW = 3
# A decision on every third ended interview, at most this many; every tenth of them is a
# change of mind recorded a day later (the audit reads the latest).
DECISIONS = 20_000
DECISION_CYCLE = ["advance", "reject", "hold", "advance", "reject"]
EXTRA_POSITIONS = 7
CHUNK = 20_000

# The position the per-turn benchmark interviews for: 10 + 10 questions per interview.
TURNS_POSITION = "bench-turns"
# The position the live benchmarks interview for: 2 technical + 1 behavioral question.
LIVE_POSITION = "bench-live"
LIVE_QUESTIONS = [
    (Stage.TECHNICAL, "How would you find a slow database query in production?"),
    (Stage.TECHNICAL, "When would you choose a queue over a direct call?"),
    (Stage.BEHAVIORAL, "Tell me about a time you disagreed with a teammate."),
]

NOW = datetime(2025, 6, 1, tzinfo=UTC)
STATUSES = ["completed"] * 6 + ["interrupted", "in_progress"] + ["invited"] * 2


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def _ts(value: datetime):  # noqa: ANN202 - a string for SQLite, a datetime for PostgreSQL
    return connection.ops.adapt_datetimefield_value(value) if _sqlite() else value


def _uid(value: uuid.UUID):  # noqa: ANN202
    return value.hex if _sqlite() else value


def _next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(m=models.Max("id"))["m"] or 0) + 1


def insert(model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
    """Bulk insert plain tuples (values already in the database's form). Required columns
    not given get their field's default, so the seed keeps up with new fields."""
    table = connection.ops.quote_name(model._meta.db_table)
    defaults = [
        (str(field.column), field.get_db_prep_save(field.get_default(), connection))
        for field in model._meta.concrete_fields
        if field.column not in columns and not field.null and not field.primary_key
    ]
    if defaults:
        columns = columns + [column for column, _ in defaults]
        extra = tuple(value for _, value in defaults)
        rows = (row + extra for row in rows)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if _sqlite():
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - model names
            batch: list[tuple] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= CHUNK:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        else:
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
    return count


def seed_positions() -> list[Position]:
    for i in range(EXTRA_POSITIONS):
        Position.objects.get_or_create(
            slug=f"bench-position-{i}", defaults={"title": f"Bench position {i}"}
        )
    turns, _ = Position.objects.get_or_create(
        slug=TURNS_POSITION,
        defaults={"title": "Bench turns", "technical_questions": 10, "behavioral_questions": 10},
    )
    live, created = Position.objects.get_or_create(
        slug=LIVE_POSITION,
        defaults={"title": "Bench live", "technical_questions": 2, "behavioral_questions": 1},
    )
    if created:
        for order, (stage, text) in enumerate(LIVE_QUESTIONS):
            Question.objects.create(position=live, stage=stage, text=text, order=order)
    for order in range(20):
        stage = Stage.TECHNICAL if order < 10 else Stage.BEHAVIORAL
        Question.objects.create(
            position=turns, stage=stage, text=f"Turn question {order}?", order=order
        )
    return list(Position.objects.order_by("id"))


def _seeded_pool(positions: list[Position]) -> list[int]:
    """The ordinary positions; the bench positions keep their own small banks."""
    return [p.id for p in positions if p.slug not in (TURNS_POSITION, LIVE_POSITION)]


def seed_questions(positions: list[Position]) -> int:
    pool = _seeded_pool(positions)
    missing = QUESTIONS - Question.objects.count()
    start = _next_id(Question)
    now = _ts(NOW)
    rows = (
        (
            start + i,
            pool[i % len(pool)],
            Stage.TECHNICAL if i % 2 else Stage.BEHAVIORAL,
            f"Seeded question {i}: describe how you would approach problem {i}?",
            "Covers the trade-offs and a concrete example.",
            (i % 4) * 3,
            60 - (i % 3) * 10,
            1_000 + i,
            i % 10 != 0,
            "recruiter",
            now,
        )
        for i in range(missing)
    )
    columns = [
        "id",
        "position_id",
        "stage",
        "text",
        "rubric",
        "min_experience",
        "max_experience",
        "order",
        "is_active",
        "origin",
        "created_at",
    ]
    return insert(Question, columns, rows)


def seed_people(positions: list[Position]) -> dict[str, int]:
    counts = {}
    candidate_start, interview_start = _next_id(Candidate), _next_id(Interview)
    pool = _seeded_pool(positions)
    stamps = [_ts(NOW - timedelta(minutes=7 * i)) for i in range(CANDIDATES)]
    counts["candidates"] = insert(
        Candidate,
        ["id", "email", "name", "position_id", "experience_years", "created_at", "updated_at"],
        (
            (
                candidate_start + i,
                f"seeded.candidate.{i}@example.com",
                f"Seeded Candidate {i}",
                pool[i % len(pool)],
                i % 31,
                stamps[i],
                stamps[i],
            )
            for i in range(CANDIDATES)
        ),
    )

    def interviews() -> Iterable[tuple]:
        for i in range(CANDIDATES):
            status = STATUSES[i % len(STATUSES)]
            started = None if status == "invited" else stamps[i]
            ended = stamps[i] if status in Interview.ENDED_STATUSES else None
            yield (
                interview_start + i,
                _uid(uuid.uuid4()),
                pool[i % len(pool)],
                candidate_start + i,
                "personal",
                status,
                f"interview-{uuid.uuid4().hex}",
                "" if status == "invited" else "structured",
                "",
                started,
                started,
                ended,
                stamps[i],
                stamps[i],
            )

    counts["interviews"] = insert(
        Interview,
        [
            "id",
            "public_id",
            "position_id",
            "candidate_id",
            "kind",
            "status",
            "room_name",
            "ai_mode",
            "accommodation_note",
            "consent_at",
            "started_at",
            "ended_at",
            "created_at",
            "updated_at",
        ],
        interviews(),
    )
    started_ids = [
        interview_start + i for i in range(CANDIDATES) if STATUSES[i % len(STATUSES)] != "invited"
    ]
    now = _ts(NOW)
    # The asked questions of started_ids[k] are asked_start + k * ASKED_PER_INTERVIEW + 0, 1, 2
    # (the seeded scores point at them).
    asked_start = _next_id(InterviewQuestion)
    counts["asked_questions"] = insert(
        InterviewQuestion,
        ["id", "interview_id", "sequence", "stage", "text", "rubric", "answer", "asked_at"]
        + ["answered_at"],
        (
            (
                asked_start + k * ASKED_PER_INTERVIEW + seq - 1,
                iid,
                seq,
                "technical",
                f"Seeded question {seq}?",
                "",
                "An answer.",
                now,
                now,
            )
            for k, iid in enumerate(started_ids)
            for seq in range(1, ASKED_PER_INTERVIEW + 1)
        ),
    )
    per_interview = SEGMENTS_PER_INTERVIEW
    counts["transcript_segments"] = insert(
        TranscriptSegment,
        ["interview_id", "sequence", "speaker", "text", "spoken_at"],
        (
            (
                interview_start + i,
                seq,
                "agent" if seq % 2 else "candidate",
                f"Seeded utterance {seq} of interview {i}, a sentence of ordinary length.",
                now,
            )
            for i in range(CANDIDATES)
            for seq in range(1, per_interview + 1)
        ),
    )
    counts.update(seed_audit_data(candidate_start, interview_start, asked_start))
    positions_by_id = {p.id: p for p in positions}
    counts["operation_records"] = insert(
        OperationRecord,
        ["reference", "interview_id", "position_id", "position_title", "kind", "status"]
        + ["ai_mode", "interview_created_at", "started_at", "ended_at"]
        + ["recorded_at", "updated_at"],
        (
            (
                _uid(uuid.uuid4()),
                interview_start + i,
                pool[i % len(pool)],
                positions_by_id[pool[i % len(pool)]].title,
                "personal",
                STATUSES[i % len(STATUSES)],
                "structured",
                stamps[i],
                stamps[i],
                stamps[i] if STATUSES[i % len(STATUSES)] in Interview.ENDED_STATUSES else None,
                now,
                now,
            )
            for i in range(CANDIDATES)
            if STATUSES[i % len(STATUSES)] != "invited"
        ),
    )
    ErasureRecord.objects.bulk_create(
        ErasureRecord(reason="retention", counts={"interviews": 1}) for _ in range(10)
    )
    return counts


def seed_audit_data(candidate_start: int, interview_start: int, asked_start: int) -> dict:
    """What the bias audit reads: the self-identification of 10 candidates in 11 (every
    answer, "prefer not to say" included), an evaluation of each completed interview
    (1 in 13 failed) with its three scores (1 in 17 without evidence), and the decisions."""
    counts = {}
    now = _ts(NOW)
    sexes = SelfIdentification.Sex.values
    races = SelfIdentification.RaceEthnicity.values
    counts["self_identifications"] = insert(
        SelfIdentification,
        ["candidate_id", "sex", "race_ethnicity", "submitted_at"],
        (
            (candidate_start + i, sexes[(i // 3) % len(sexes)], races[(i // 7) % len(races)], now)
            for i in range(CANDIDATES)
            if i % 11
        ),
    )
    started = [i for i in range(CANDIDATES) if STATUSES[i % len(STATUSES)] != "invited"]
    asked = {i: asked_start + k * ASKED_PER_INTERVIEW for k, i in enumerate(started)}
    completed = [i for i in started if STATUSES[i % len(STATUSES)] == "completed"]
    evaluation_start = _next_id(Evaluation)
    counts["evaluations"] = insert(
        Evaluation,
        ["id", "interview_id", "status", "model_name", "evaluated_at", "created_at"]
        + ["updated_at"],
        (
            (
                evaluation_start + k,
                interview_start + i,
                "failed" if k % 13 == 0 else "evaluated",
                "seeded-model",
                None if k % 13 == 0 else now,
                now,
                now,
            )
            for k, i in enumerate(completed)
        ),
    )

    def scores() -> Iterable[tuple]:
        for k, i in enumerate(completed):
            if k % 13 == 0:
                continue
            for n in range(ASKED_PER_INTERVIEW):
                missing = (i + n) % 17 == 0
                score = None if missing else 1 + (i * 7 + n * 3 + i // 5) % 5
                yield (evaluation_start + k, asked[i] + n, score, missing, "Seeded rationale.")

    counts["question_scores"] = insert(
        QuestionScore,
        ["evaluation_id", "interview_question_id", "score", "insufficient_evidence"]
        + ["rationale"],
        scores(),
    )
    ended = [i for i in started if STATUSES[i % len(STATUSES)] in Interview.ENDED_STATUSES]
    decided = ended[::3][:DECISIONS]
    later = _ts(NOW + timedelta(days=1))

    def decisions() -> Iterable[tuple]:
        for k, i in enumerate(decided):
            decision = DECISION_CYCLE[(k + i // 9) % len(DECISION_CYCLE)]
            yield (interview_start + i, decision, "Seeded decision.", "", "seeder", now)
            if k % 10 == 0:
                changed = "reject" if decision == "advance" else "advance"
                yield (interview_start + i, changed, "Changed my mind.", "", "seeder", later)

    counts["decisions"] = insert(
        DecisionRecord,
        ["interview_id", "decision", "note", "suggested_recommendation"]
        + ["decided_by_username", "decided_at"],
        decisions(),
    )
    return counts


def reset_sequences() -> None:
    if _sqlite():
        return
    from io import StringIO

    out = StringIO()
    call_command("sqlsequencereset", "interviews", stdout=out, no_color=True)
    with connection.cursor() as cursor:
        cursor.execute(out.getvalue())
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    result: dict[str, Any] = {"load_average": load_average(), "vendor": connection.vendor}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        positions = seed_positions()
        result["questions"] = seed_questions(positions)
        result.update(seed_people(positions))
    reset_sequences()
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["totals"] = {
        "candidates": Candidate.objects.count(),
        "questions": Question.objects.count(),
        "interviews": Interview.objects.count(),
        "transcript_segments": TranscriptSegment.objects.count(),
        "self_identifications": SelfIdentification.objects.count(),
        "evaluations": Evaluation.objects.count(),
        "decisions": DecisionRecord.objects.count(),
    }
    write_json(args.out, result)


if __name__ == "__main__":
    main()
