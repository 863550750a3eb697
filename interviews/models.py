import hashlib
import uuid
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower, Trim
from django.utils import timezone

MAX_EXPERIENCE_YEARS = 60


def hash_invite(secret: str) -> str:
    """Invites are stored only as this digest; the secret itself lives in the link."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_room_name() -> str:
    return f"interview-{uuid.uuid4().hex}"


class Stage(models.TextChoices):
    TECHNICAL = "technical", "Technical"
    BEHAVIORAL = "behavioral", "Behavioral"


class Position(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField("active", default=True)
    technical_questions = models.PositiveSmallIntegerField(
        default=3,
        validators=[MaxValueValidator(20)],
        help_text="Technical questions per interview.",
    )
    behavioral_questions = models.PositiveSmallIntegerField(
        default=2,
        validators=[MaxValueValidator(20)],
        help_text="Behavioral questions per interview.",
    )
    time_budget_minutes = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(5), MaxValueValidator(180)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def planned_count(self, stage: str) -> int:
        if stage == Stage.TECHNICAL:
            return self.technical_questions
        return self.behavioral_questions


class Candidate(models.Model):
    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=200)
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="candidates")
    experience_years = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(MAX_EXPERIENCE_YEARS)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower(Trim("email"))), name="candidate_email_normalised"
            ),
            models.CheckConstraint(
                condition=Q(experience_years__gte=0, experience_years__lte=MAX_EXPERIENCE_YEARS),
                name="candidate_experience_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Question(models.Model):
    class Origin(models.TextChoices):
        RECRUITER = "recruiter", "Recruiter"
        AGENT = "agent", "Suggested by the interviewer"

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="questions")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    text = models.TextField()
    rubric = models.TextField(blank=True, help_text="What a good answer covers.")
    min_experience = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(MAX_EXPERIENCE_YEARS)]
    )
    max_experience = models.PositiveSmallIntegerField(
        default=MAX_EXPERIENCE_YEARS, validators=[MaxValueValidator(MAX_EXPERIENCE_YEARS)]
    )
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField("active", default=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.RECRUITER)
    suggested_in = models.ForeignKey(
        "Interview",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggested_questions",
        help_text="The interview in which the interviewer suggested this question.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "stage", "order", "id"]
        indexes = [
            models.Index(
                fields=["position", "stage", "is_active", "order"], name="question_pick_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_experience__lte=F("max_experience")),
                name="question_experience_band_ordered",
            ),
            models.CheckConstraint(
                condition=Q(max_experience__lte=MAX_EXPERIENCE_YEARS),
                name="question_experience_band_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position} / {self.get_stage_display()}: {self.text[:60]}"

    def fits(self, experience_years: int) -> bool:
        return self.min_experience <= experience_years <= self.max_experience


class Interview(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        IN_PROGRESS = "in_progress", "In progress"
        INTERRUPTED = "interrupted", "Interrupted"
        COMPLETED = "completed", "Completed"
        ABANDONED = "abandoned", "Abandoned"

    class Kind(models.TextChoices):
        PERSONAL = "personal", "Personal invite"
        OPEN = "open", "Open position link"

    FINAL_STATUSES = (Status.COMPLETED, Status.ABANDONED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="interviews")
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, null=True, blank=True, related_name="interviews"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSONAL)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.INVITED, db_index=True
    )
    room_name = models.CharField(
        max_length=100, unique=True, default=_new_room_name, editable=False
    )
    # NULL, not "", for interviews without an invite: unique ignores NULLs.
    invite_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    invite_expires_at = models.DateTimeField(null=True, blank=True)
    invite_revoked_at = models.DateTimeField(null=True, blank=True)
    ai_mode = models.CharField(max_length=20, blank=True, help_text="The interviewer that ran.")
    consent_at = models.DateTimeField(null=True, blank=True)
    accommodation_requested_at = models.DateTimeField(null=True, blank=True)
    accommodation_note = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="interview_status_idx")]

    def __str__(self) -> str:
        who = self.candidate.email if self.candidate_id else "unidentified candidate"
        return f"{self.position} interview with {who}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINAL_STATUSES

    def mark_started(self, *, ai_mode: str, at: datetime) -> None:
        self.status = self.Status.IN_PROGRESS
        self.ai_mode = ai_mode
        self.started_at = self.started_at or at
        self.ended_at = None

    def mark_interrupted(self, *, at: datetime) -> None:
        self.status = self.Status.INTERRUPTED
        self.ended_at = at

    def mark_completed(self, *, at: datetime) -> None:
        self.status = self.Status.COMPLETED
        self.ended_at = at

    @property
    def participant_identity(self) -> str:
        """The candidate's LiveKit identity: tied to this interview, never chosen by a client."""
        return f"candidate-{self.public_id}"

    def link_problem(self, *, at: datetime | None = None) -> str | None:
        """Why the candidate can no longer use this interview's link, or None when they can:
        "completed", "closed" (abandoned), "revoked" or "expired"."""
        if self.status == self.Status.COMPLETED:
            return "completed"
        if self.status == self.Status.ABANDONED:
            return "closed"
        if self.invite_revoked_at:
            return "revoked"
        if self.invite_expires_at is not None and (at or timezone.now()) >= self.invite_expires_at:
            return "expired"
        return None

    def continues_open_link(self, position: Position) -> bool:
        """Whether an open position link for `position` should lead back to this interview
        (the same browser reloading it) rather than start a new one."""
        return (
            self.kind == self.Kind.OPEN
            and self.position_id == position.pk
            and self.link_problem() is None
        )

    def invite_is_usable(self, *, at: datetime | None = None) -> bool:
        at = at or timezone.now()
        if self.is_finished or self.invite_revoked_at:
            return False
        return self.invite_expires_at is None or at < self.invite_expires_at


class InterviewQuestion(models.Model):
    """One question as asked in one interview, with the candidate's answer."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="asked")
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="asked_in"
    )
    follow_up_to = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    sequence = models.PositiveIntegerField()
    stage = models.CharField(max_length=20, choices=Stage.choices)
    text = models.TextField(help_text="The question as it was asked.")
    rubric = models.TextField(blank=True, help_text="The rubric when it was asked.")
    answer = models.TextField(blank=True)
    asked_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["interview", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "sequence"], name="asked_question_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Q{self.sequence}: {self.text[:60]}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class TranscriptSegment(models.Model):
    class Speaker(models.TextChoices):
        AGENT = "agent", "Interviewer"
        CANDIDATE = "candidate", "Candidate"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="transcript")
    sequence = models.PositiveIntegerField()
    speaker = models.CharField(max_length=20, choices=Speaker.choices)
    text = models.TextField()
    spoken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["interview", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "sequence"], name="transcript_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}. {self.get_speaker_display()}: {self.text[:60]}"


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


class RoomEvent(models.Model):
    """A LiveKit webhook event, kept so that a redelivered event is applied only once and
    an event arriving after a newer one cannot move the interview back."""

    event_id = models.CharField(max_length=100, unique=True)
    event = models.CharField(max_length=40)
    room_name = models.CharField(max_length=200, blank=True)
    participant_identity = models.CharField(max_length=200, blank=True)
    interview = models.ForeignKey(
        Interview,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="room_events",
        help_text="Set when the event concerns this interview's status.",
    )
    occurred_at = models.DateTimeField(help_text="When LiveKit says the event happened.")
    outcome = models.CharField(max_length=20, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["interview", "occurred_at"], name="room_event_order_idx")]

    def __str__(self) -> str:
        return f"{self.event} in {self.room_name or 'no room'}"


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
        indexes = [models.Index(fields=["interview", "-decided_at"], name="decision_latest_idx")]

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
