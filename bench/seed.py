"""Seed a database at the scale the figures are measured at: 100,000 candidates, 10,000
questions, 100,000 interviews with 3 asked questions each and 1,000,000 transcript
segments, plus the positions the live benchmarks interview for.

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
    Interview,
    InterviewQuestion,
    OperationRecord,
    Position,
    Question,
    Stage,
    TranscriptSegment,
)

CANDIDATES = 100_000
QUESTIONS = 10_000
SEGMENTS_PER_INTERVIEW = 10  # one interview per candidate: 1,000,000 segments
ASKED_PER_INTERVIEW = 3
DECISIONS = 2_000
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
    counts["asked_questions"] = insert(
        InterviewQuestion,
        ["interview_id", "sequence", "stage", "text", "rubric", "answer", "asked_at"]
        + ["answered_at"],
        (
            (iid, seq, "technical", f"Seeded question {seq}?", "", "An answer.", now, now)
            for iid in started_ids
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
    counts["decisions"] = insert(
        DecisionRecord,
        ["interview_id", "decision", "note", "suggested_recommendation"]
        + ["decided_by_username", "decided_at"],
        (
            (started_ids[i], "advance", "Seeded decision.", "", "seeder", now)
            for i in range(DECISIONS)
        ),
    )
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
    }
    write_json(args.out, result)


if __name__ == "__main__":
    main()
