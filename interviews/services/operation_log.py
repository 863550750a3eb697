"""The record of the system's operation: for each interview, which interviewer mode ran,
which notice was agreed to, which evaluation model, prompt and rubric scored it, and
which decisions people made. No personal data: it is kept after the interview's personal
data is erased, for at least six months (OPERATION_LOG_RETENTION_DAYS). It is written when
an interview is evaluated or decided, and brought up to date before any erasure."""

import hashlib
import json
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from interviews.models import (
    DecisionRecord,
    Evaluation,
    Interview,
    OperationRecord,
    QuestionScore,
)

# The EU AI Act has deployers keep a high-risk system's logs for at least six months.
MIN_OPERATION_LOG_RETENTION_DAYS = 183


def rubric_version(snapshot: list) -> str:
    """A short digest naming the rubrics an evaluation used: equal rubrics, equal name."""
    if not snapshot:
        return ""
    text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _fields(interview: Interview, evaluation: Evaluation | None) -> dict:
    consent = getattr(interview, "notice_consent", None)
    fields = {
        "position": interview.position,
        "position_title": interview.position.title,
        "kind": interview.kind,
        "status": interview.status,
        "ai_mode": interview.ai_mode,
        "notice_version": consent.notice.version if consent else None,
        "interview_created_at": interview.created_at,
        "started_at": interview.started_at,
        "ended_at": interview.ended_at,
        "decisions": [
            {
                "decision": record.decision,
                "suggested_recommendation": record.suggested_recommendation,
                "decided_at": _iso(record.decided_at),
            }
            for record in interview.decisions.all()
        ],
    }
    if evaluation is not None:
        fields |= {
            "evaluation_status": evaluation.status,
            "evaluation_model": evaluation.model_name,
            "evaluation_prompt_version": evaluation.prompt_version,
            "rubric_version": rubric_version(evaluation.rubric_snapshot),
            "suggested_recommendation": evaluation.suggested_recommendation,
            "scores": [score.score for score in evaluation.question_scores.all()],
        }
    return fields


def operation_log_record(*, interviews: QuerySet[Interview]) -> int:
    """Write, or bring up to date, the operation record of each interview that started.
    Returns how many were written."""
    started = (
        interviews.filter(started_at__isnull=False)
        .select_related("position", "notice_consent__notice")
        .prefetch_related(
            Prefetch("decisions", queryset=DecisionRecord.objects.order_by("decided_at", "id"))
        )
    )
    written = 0
    with transaction.atomic():
        for interview in started:
            evaluation = (
                Evaluation.objects.filter(interview=interview)
                .prefetch_related(
                    Prefetch(
                        "question_scores",
                        queryset=QuestionScore.objects.order_by("interview_question__sequence"),
                    )
                )
                .first()
            )
            OperationRecord.objects.update_or_create(
                interview=interview, defaults=_fields(interview, evaluation)
            )
            written += 1
    return written


def operation_log_update(*, interview: Interview) -> None:
    """Bring one interview's record up to date, as soon as it is evaluated or decided: the
    record then holds whether or not `purge_expired` runs before its data is erased."""
    operation_log_record(interviews=Interview.objects.filter(pk=interview.pk))


def operation_log_purge(*, now: datetime | None = None, retention_days: int | None = None) -> int:
    """Delete the operation records of erased interviews created more than the operation
    log's retention period ago. Returns how many were deleted."""
    days = settings.OPERATION_LOG_RETENTION_DAYS if retention_days is None else retention_days
    if days < MIN_OPERATION_LOG_RETENTION_DAYS:
        raise ValidationError(
            f"The operation log is kept at least {MIN_OPERATION_LOG_RETENTION_DAYS} days.",
            code="operation_log_retention",
        )
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = OperationRecord.objects.filter(
        interview__isnull=True, interview_created_at__lt=cutoff
    ).delete()
    return deleted
