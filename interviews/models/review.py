"""The review: the AI's suggested evaluation, the people's decisions, and the record of
every erasure."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from interviews.models.interviews import Interview, InterviewQuestion


class Evaluation(models.Model):
    """The AI's suggestion, when an evaluation model is configured. It decides nothing: the
    decision is a person's, kept in DecisionRecord."""

    class Recommendation(models.TextChoices):
        ADVANCE = "advance", "Advance"
        HOLD = "hold", "Hold"
        REJECT = "reject", "Reject"

    class Status(models.TextChoices):
        AWAITING_REVIEW = "awaiting_review", "Awaiting human review"
        EVALUATED = "evaluated", "Evaluated"
        FAILED = "failed", "Evaluation failed"

    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="evaluation")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING_REVIEW)
    summary = models.TextField(blank=True)
    strengths = models.JSONField(default=list, blank=True)
    concerns = models.JSONField(default=list, blank=True)
    suggested_recommendation = models.CharField(
        "suggested next step", max_length=20, choices=Recommendation.choices, blank=True
    )
    model_name = models.CharField(max_length=200, blank=True)
    prompt_version = models.CharField(max_length=50, blank=True)
    rubric_snapshot = models.JSONField(default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Calls to the model in the last run."
    )
    error = models.TextField(blank=True, help_text="Why the last run failed.")
    evaluated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Evaluation of interview {self.interview.public_id}"


class QuestionScore(models.Model):
    """One answer scored against its question's rubric, with the passages that support it."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="question_scores"
    )
    interview_question = models.ForeignKey(
        InterviewQuestion, on_delete=models.CASCADE, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    insufficient_evidence = models.BooleanField(default=False)
    evidence = models.JSONField(
        default=list, blank=True, help_text="Passages found verbatim in what the candidate said."
    )
    unverified_quotes = models.JSONField(
        default=list, blank=True, help_text="Passages the model quoted that were never said."
    )
    rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["evaluation", "interview_question__sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "interview_question"], name="question_score_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="question_score_range",
            ),
            models.CheckConstraint(
                condition=Q(insufficient_evidence=False) | Q(score__isnull=True),
                name="question_score_needs_evidence",
            ),
        ]

    def __str__(self) -> str:
        shown = "insufficient evidence" if self.insufficient_evidence else f"{self.score}/5"
        return f"Q{self.interview_question.sequence}: {shown}"


class DecisionRecord(models.Model):
    """A recruiter's decision on an interview. Append-only: a change of mind is a new record,
    so the trail of who decided what, and when, survives every edit. The latest is current."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=20, choices=Evaluation.Recommendation.choices)
    note = models.TextField()
    suggested_recommendation = models.CharField(
        "AI suggestion at the time",
        max_length=20,
        choices=Evaluation.Recommendation.choices,
        blank=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as text too, so that deleting the account does not erase who decided.
    decided_by_username = models.CharField(max_length=150)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [
            models.Index(fields=["interview", "-decided_at"], name="decision_latest_idx"),
            # The default ordering: the audit trail's first page without a sort.
            models.Index(fields=["-decided_at", "-id"], name="decision_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.decided_by_username}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError(
                "A recorded decision cannot be changed; record a new decision instead.",
                code="decision_append_only",
            )
        super().save(*args, **kwargs)


class ErasureRecord(models.Model):
    """That candidate data was erased: when, by whom, how much. Never whose."""

    class Reason(models.TextChoices):
        REQUEST = "request", "Erasure on request"
        RETENTION = "retention", "Retention period ended"

    reason = models.CharField(max_length=20, choices=Reason.choices)
    erased_at = models.DateTimeField(default=timezone.now)
    erased_by_username = models.CharField(
        max_length=150, blank=True, help_text="Empty for the scheduled purge."
    )
    counts = models.JSONField(default=dict, help_text="Rows deleted, by kind.")

    class Meta:
        ordering = ["-erased_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on {self.erased_at:%Y-%m-%d %H:%M}"
