"""What the hiring team can show a regulator or a candidate: the notice each candidate
agreed to (versioned), the candidates' voluntary self-identification for the bias audit
(kept apart from the interview), and the record of the system's operation (kept without
personal data after the interview itself is erased)."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from interviews.models.bank import Position
from interviews.models.candidates import Candidate
from interviews.models.interviews import Interview


class NoticeVersion(models.Model):
    """The notice a candidate reads before agreeing to the interview (and the invitation
    carries). Append-only: a new text is a new version, so every consent points at the
    exact words the candidate agreed to.

    `points` is a list of {"text": ..., "only_if": "" | "candidate_unknown" |
    "coding_round" | "recorded" | "not_recorded"}; texts may use **bold** and the
    placeholders {interviewer}, {interviewer_short}, {decides}, {technical_questions},
    {behavioral_questions}, {coding_questions}, {topics} and {minutes}. `modes` gives,
    for each interviewer mode, its "short" and "long" description and its "decides"
    sentence."""

    version = models.PositiveIntegerField(unique=True)
    heading = models.CharField(max_length=200)
    points = models.JSONField()
    consent_statement = models.TextField()
    modes = models.JSONField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by_username = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Notice version {self.version}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError(
                "A published notice cannot be changed; publish a new version instead.",
                code="notice_append_only",
            )
        super().save(*args, **kwargs)


class NoticeConsent(models.Model):
    """Which notice version the candidate agreed to, and when."""

    interview = models.OneToOneField(
        Interview, on_delete=models.CASCADE, related_name="notice_consent"
    )
    notice = models.ForeignKey(NoticeVersion, on_delete=models.PROTECT, related_name="consents")
    agreed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Agreed to notice version {self.notice.version}"


class SelfIdentification(models.Model):
    """What a candidate chose to say about themselves after an interview, for the bias
    audit only. Never shown to reviewers, the evaluator, the dashboard or the report;
    erased with the candidate."""

    PREFER_NOT_TO_SAY = "prefer_not_to_say"

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        NONBINARY = "nonbinary", "Non-binary or another sex"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    class RaceEthnicity(models.TextChoices):
        HISPANIC_LATINO = "hispanic_latino", "Hispanic or Latino"
        WHITE = "white", "White"
        BLACK = "black", "Black or African American"
        PACIFIC_ISLANDER = (
            "pacific_islander",
            "Native Hawaiian or Other Pacific Islander",
        )
        ASIAN = "asian", "Asian"
        NATIVE_AMERICAN = "native_american", "American Indian or Alaska Native"
        TWO_OR_MORE = "two_or_more", "Two or more races"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, related_name="self_identification"
    )
    sex = models.CharField(max_length=30, choices=Sex.choices, default=Sex.PREFER_NOT_TO_SAY)
    race_ethnicity = models.CharField(
        "race/ethnicity",
        max_length=30,
        choices=RaceEthnicity.choices,
        default=RaceEthnicity.PREFER_NOT_TO_SAY,
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "self-identification"

    def __str__(self) -> str:
        return f"Self-identification #{self.pk}"


class BiasAudit(SelfIdentification):
    """The bias audit page in the admin, behind its own permission (view_biasaudit)."""

    class Meta:
        proxy = True
        verbose_name = "bias audit"
        verbose_name_plural = "bias audit"


class OperationRecord(models.Model):
    """How the system handled one interview: which interviewer mode, which notice, which
    evaluation model, prompt and rubric, which scores and decisions. Nothing that names
    the candidate: it outlives the interview's personal data (kept at least six months,
    purged by OPERATION_LOG_RETENTION_DAYS)."""

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    interview = models.OneToOneField(
        Interview,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="operation_record",
        help_text="Empty once the interview's personal data is erased.",
    )
    position = models.ForeignKey(
        Position, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position_title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)
    status = models.CharField(max_length=20)
    ai_mode = models.CharField(max_length=20, blank=True)
    notice_version = models.PositiveIntegerField(null=True, blank=True)
    interview_created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    evaluation_status = models.CharField(max_length=20, blank=True)
    evaluation_model = models.CharField(max_length=200, blank=True)
    evaluation_prompt_version = models.CharField(max_length=50, blank=True)
    rubric_version = models.CharField(
        max_length=64, blank=True, help_text="A digest of the rubrics the evaluation used."
    )
    suggested_recommendation = models.CharField(max_length=20, blank=True)
    scores = models.JSONField(default=list, blank=True, help_text="Per question, 1-5 or null.")
    decisions = models.JSONField(
        default=list, blank=True, help_text="Each human decision, the AI suggestion then, when."
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-interview_created_at", "-id"]
        indexes = [
            models.Index(fields=["-interview_created_at", "-id"], name="operation_record_order_idx")
        ]

    def __str__(self) -> str:
        return f"Operation record {self.reference}"
