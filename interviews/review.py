"""Writes of the recruiters' review: evaluation results, human decisions, erasure and the
retention purge. Each runs in one transaction; bad input raises ValidationError with a
message a recruiter can act on, and writes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from interviews.models import (
    Candidate,
    DecisionRecord,
    ErasureRecord,
    Evaluation,
    Interview,
    Question,
    QuestionScore,
    RoomEvent,
)

if TYPE_CHECKING:
    from interviews.evaluation import EvaluationResult

MAX_DECISION_NOTE_LENGTH = 5_000
# Statuses in which a person may decide: the candidate is no longer talking.
DECIDABLE_STATUSES = (
    Interview.Status.COMPLETED,
    Interview.Status.INTERRUPTED,
    Interview.Status.ABANDONED,
)


# --- Evaluations -----------------------------------------------------------------------


def evaluation_prepare(*, interview: Interview) -> Evaluation:
    """The evaluation row of a completed interview, created if missing."""
    with transaction.atomic():
        interview = Interview.objects.select_related("candidate", "position").get(pk=interview.pk)
        if interview.status != Interview.Status.COMPLETED:
            raise ValidationError(
                "Only completed interviews are evaluated.", code="interview_not_completed"
            )
        evaluation, _ = Evaluation.objects.get_or_create(interview=interview)
        evaluation.interview = interview
        return evaluation


def _rubric_snapshot(interview: Interview) -> list[dict]:
    return [
        {
            "sequence": item.sequence,
            "stage": item.stage,
            "question": item.text,
            "rubric": item.rubric,
        }
        for item in interview.asked.order_by("sequence")
    ]


def evaluation_record_result(
    *,
    evaluation: Evaluation,
    result: EvaluationResult,
    model_name: str,
    prompt_version: str,
    attempts: int,
) -> Evaluation:
    """Store a checked evaluation, replacing any earlier one."""
    with transaction.atomic():
        locked = (
            Evaluation.objects.select_for_update().select_related("interview").get(pk=evaluation.pk)
        )
        asked = {item.sequence: item for item in locked.interview.asked.all()}
        locked.question_scores.all().delete()
        QuestionScore.objects.bulk_create(
            QuestionScore(
                evaluation=locked,
                interview_question=asked[answer.sequence],
                score=answer.score,
                insufficient_evidence=answer.insufficient_evidence,
                evidence=answer.evidence,
                unverified_quotes=answer.unverified_quotes,
                rationale=answer.rationale,
            )
            for answer in result.answers
            if answer.sequence in asked
        )
        locked.status = Evaluation.Status.EVALUATED
        locked.summary = result.summary
        locked.strengths = result.strengths
        locked.concerns = result.concerns
        locked.suggested_recommendation = result.next_step
        locked.model_name = model_name
        locked.prompt_version = prompt_version
        locked.rubric_snapshot = _rubric_snapshot(locked.interview)
        locked.attempts = attempts
        locked.error = ""
        locked.evaluated_at = timezone.now()
        locked.save()
        return locked


def evaluation_record_failure(
    *, evaluation: Evaluation, error: str, model_name: str, prompt_version: str, attempts: int
) -> Evaluation:
    """The model could not produce an evaluation: say why, and show no stale scores."""
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        locked.question_scores.all().delete()
        locked.status = Evaluation.Status.FAILED
        locked.summary = ""
        locked.strengths = []
        locked.concerns = []
        locked.suggested_recommendation = ""
        locked.model_name = model_name
        locked.prompt_version = prompt_version
        locked.rubric_snapshot = []
        locked.attempts = attempts
        locked.error = error or "The model gave no usable reply."
        locked.evaluated_at = None
        locked.save()
        return locked


# --- Decisions -------------------------------------------------------------------------


def decision_record(
    *, interview: Interview, decision: str, note: str, decided_by: AbstractBaseUser
) -> DecisionRecord:
    """A recruiter decides. Earlier decisions stay in the trail; the latest is current."""
    if not (decided_by.is_active and getattr(decided_by, "is_staff", False)):
        raise ValidationError(
            "Only the hiring team's staff can decide.", code="decision_not_allowed"
        )
    if decision not in Evaluation.Recommendation.values:
        raise ValidationError("Choose advance, hold or reject.", code="decision_invalid")
    if not isinstance(note, str) or not note.strip():
        raise ValidationError("Write a note explaining the decision.", code="decision_note_missing")
    note = note.strip()
    if len(note) > MAX_DECISION_NOTE_LENGTH:
        raise ValidationError(
            f"Keep the note under {MAX_DECISION_NOTE_LENGTH} characters.",
            code="decision_note_too_long",
        )
    with transaction.atomic():
        locked = Interview.objects.select_for_update().get(pk=interview.pk)
        if locked.status not in DECIDABLE_STATUSES:
            raise ValidationError(
                "Decide once the interview has ended.", code="interview_not_ended"
            )
        suggestion = (
            Evaluation.objects.filter(interview=locked)
            .values_list("suggested_recommendation", flat=True)
            .first()
        )
        return DecisionRecord.objects.create(
            interview=locked,
            decision=decision,
            note=note,
            suggested_recommendation=suggestion or "",
            decided_by=decided_by,
            decided_by_username=decided_by.get_username(),
        )


def decision_edit(*, record: DecisionRecord, **changes: object) -> DecisionRecord:
    """Decisions are never edited: the trail is what was decided at the time."""
    raise ValidationError(
        "A recorded decision cannot be changed; record a new decision instead.",
        code="decision_append_only",
    )


# --- Erasure and retention -------------------------------------------------------------

# How erase reports what it deleted: model label -> name in the erasure record.
COUNTED = {
    "interviews.Candidate": "candidates",
    "interviews.Interview": "interviews",
    "interviews.InterviewQuestion": "answers",
    "interviews.TranscriptSegment": "transcript_segments",
    "interviews.Evaluation": "evaluations",
    "interviews.QuestionScore": "question_scores",
    "interviews.DecisionRecord": "decisions",
    "interviews.RoomEvent": "room_events",
}


def _erase(*, interviews: QuerySet[Interview], candidates: QuerySet[Candidate]) -> dict[str, int]:
    counts = dict.fromkeys(COUNTED.values(), 0)
    interview_ids = list(interviews.values_list("pk", flat=True))
    candidate_ids = list(candidates.values_list("pk", flat=True))
    room_names = list(interviews.values_list("room_name", flat=True))
    counts["suggested_questions_unlinked"] = Question.objects.filter(
        suggested_in__in=interview_ids
    ).count()
    deleted = [
        RoomEvent.objects.filter(room_name__in=room_names).delete()[1],
        Interview.objects.filter(pk__in=interview_ids).delete()[1],
        Candidate.objects.filter(pk__in=candidate_ids).delete()[1],
    ]
    for per_model in deleted:
        for label, number in per_model.items():
            if label in COUNTED:
                counts[COUNTED[label]] += number
    # The admin's history names the objects it changed ("Name <email>").
    for model, ids in ((Interview, interview_ids), (Candidate, candidate_ids)):
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in ids],
        ).delete()
    return counts


def candidate_erase(*, candidate: Candidate, erased_by: AbstractBaseUser) -> ErasureRecord:
    """Erase everything held about a candidate: profile, interviews, transcripts, answers,
    evaluations, decisions. What remains is the record that an erasure happened."""
    if not (erased_by.is_active and getattr(erased_by, "is_staff", False)):
        raise ValidationError(
            "Only the hiring team's staff can erase data.", code="erasure_not_allowed"
        )
    with transaction.atomic():
        candidates = Candidate.objects.select_for_update().filter(pk=candidate.pk)
        if not candidates.exists():
            raise ValidationError("This candidate was already erased.", code="already_erased")
        counts = _erase(
            interviews=Interview.objects.filter(candidate_id=candidate.pk), candidates=candidates
        )
        return ErasureRecord.objects.create(
            reason=ErasureRecord.Reason.REQUEST,
            erased_by_username=erased_by.get_username(),
            counts=counts,
        )


def interview_purge_expired(
    *, now: datetime | None = None, retention_days: int | None = None
) -> ErasureRecord | None:
    """Delete interviews created more than the retention period ago, with all their data,
    and the profiles of candidates left with no interview who are as old. Returns the
    record of what was deleted, or None when nothing was due."""
    days = settings.DATA_RETENTION_DAYS if retention_days is None else retention_days
    if days < 1:
        raise ValidationError("The retention period must be at least one day.", code="retention")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    with transaction.atomic():
        interviews = Interview.objects.filter(created_at__lt=cutoff)
        candidates = Candidate.objects.filter(created_at__lt=cutoff).exclude(
            interviews__created_at__gte=cutoff
        )
        if not interviews.exists() and not candidates.exists():
            return None
        counts = _erase(interviews=interviews, candidates=candidates)
        return ErasureRecord.objects.create(reason=ErasureRecord.Reason.RETENTION, counts=counts)
