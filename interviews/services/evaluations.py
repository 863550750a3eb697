"""An Evaluation's writes: its row for a completed interview, a checked result from the
evaluator, or why the evaluator failed.

The evaluator (interviews.evaluation) calls these and builds the EvaluationResult they
store; the services never import the evaluator back."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interviews.models import Evaluation, Interview, QuestionScore
from interviews.services.operation_log import operation_log_update


@dataclass(frozen=True)
class ScoredAnswer:
    """One answer as the evaluator scored it: no score when the evidence is insufficient."""

    sequence: int
    score: int | None
    evidence: list[str]
    unverified_quotes: list[str]
    rationale: str

    @property
    def insufficient_evidence(self) -> bool:
        return self.score is None


@dataclass(frozen=True)
class EvaluationResult:
    """A checked evaluation, as evaluation_record_result stores it."""

    answers: list[ScoredAnswer]
    summary: str
    next_step: str
    strengths: list[str] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)


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
        operation_log_update(interview=locked.interview)
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
        operation_log_update(interview=locked.interview)
        return locked
