"""An interview, what was asked and said in it, and LiveKit's events about its room.

The interview's status changes only through its `mark_*` methods: the services and the
webhook's reconciliation both call them.
"""

import hashlib
import uuid
from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone

from interviews.models.bank import Position, Question, Stage
from interviews.models.candidates import Candidate


def hash_invite(secret: str) -> str:
    """Invites are stored only as this digest; the secret itself lives in the link."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_room_name() -> str:
    return f"interview-{uuid.uuid4().hex}"


class Interview(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        IN_PROGRESS = "in_progress", "In progress"
        INTERRUPTED = "interrupted", "Interrupted"
        COMPLETED = "completed", "Completed"

    class Kind(models.TextChoices):
        PERSONAL = "personal", "Personal invite"
        OPEN = "open", "Open position link"

    # The status sets every rule reads (services, selectors, the admin, the webhook).
    # Waiting for the candidate to join or come back: a session may (re)start it.
    RESUMABLE_STATUSES = (Status.INVITED, Status.INTERRUPTED)
    # Not over: waiting for the candidate, or the candidate is talking now.
    LIVE_STATUSES = (Status.INVITED, Status.IN_PROGRESS, Status.INTERRUPTED)
    # The candidate has talked and is not talking now: a person may decide on it, and
    # the bias audit counts it.
    ENDED_STATUSES = (Status.INTERRUPTED, Status.COMPLETED)
    # Never changes again: no session, no room event, no new link moves it.
    FINISHED_STATUSES = (Status.COMPLETED,)
    # An open-link interview no one agreed to within this long expires, and is purged.
    UNCONSENTED_OPEN_TTL = timedelta(days=1)

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
    recording_declined_at = models.DateTimeField(
        null=True, blank=True, help_text="When the candidate asked not to be recorded."
    )
    # The network an open-link interview was started from (an IPv4 address, an IPv6 /64):
    # identify attempts and live rooms are capped per network.
    client_network = models.CharField(max_length=64, blank=True, editable=False)
    # When the last LiveKit token was issued for an open-link interview: until it expires,
    # the interview counts as live for the caps on live open-link interviews.
    token_issued_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the interviewer was last sent to the room again for a candidate who waited
    # without one (interviews.services.interviewer_dispatch): paces those dispatches.
    interviewer_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The line for an interviewer when every worker is busy (interviews.services.
    # interview_queue): when the candidate joined it, when their page last asked (a
    # candidate who left stops asking and frees the place), when a slot was granted, and
    # when the interviewer started this interview last.
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    queue_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    admitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    interviewer_joined_at = models.DateTimeField(null=True, blank=True, editable=False)
    invitation_sent_at = models.DateTimeField(null=True, blank=True)
    invitation_error = models.TextField(
        blank=True, help_text="Why the last invitation email could not be sent."
    )
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # What the interviewer could not settle and left for the recruiter (e.g. an
    # experience the candidate did not give): a list of short sentences.
    flags = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="interview_status_idx"),
            # The default ordering (the admin adds -id): a list's first page without a sort.
            models.Index(fields=["-created_at", "-id"], name="interview_created_idx"),
            # The live dashboard's lists: in progress by start, waiting by last change,
            # finished by end.
            models.Index(fields=["status", "started_at"], name="interview_live_idx"),
            models.Index(fields=["-updated_at"], name="interview_updated_idx"),
            models.Index(fields=["-ended_at"], name="interview_ended_idx"),
            models.Index(fields=["queued_at"], name="interview_queue_idx"),
            models.Index(fields=["admitted_at"], name="interview_admitted_idx"),
        ]
        permissions = [
            ("watch_interview", "Can watch an interview live"),
            # Development mail holds invite links and codes: not for every staff user.
            ("read_outbox", "Can read the development outbox"),
        ]

    def __str__(self) -> str:
        who = self.candidate.email if self.candidate is not None else "unidentified candidate"
        return f"{self.position} interview with {who}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED_STATUSES

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

    def mark_room_event(self, *, event: str, at: datetime) -> bool:
        """The candidate joined or left the room (a LiveKit event); whether that moved the
        interview. A finished interview never moves."""
        if self.is_finished:
            return False
        if event == "participant_joined" and self.status in self.RESUMABLE_STATUSES:
            self.mark_started(ai_mode=self.ai_mode, at=at)
            return True
        left = event in ("participant_left", "room_finished")
        if left and self.status == self.Status.IN_PROGRESS:
            self.mark_interrupted(at=at)
            return True
        return False

    def mark_as_room_history_shows(self, *, first_join: datetime, left_at: datetime | None) -> None:
        """The state in-order delivery of the room's events gives: started at the first
        join; in progress when no one left after the last join, else interrupted then."""
        self.started_at = min(self.started_at or first_join, first_join)
        if left_at is None:
            self.mark_started(ai_mode=self.ai_mode, at=first_join)
        else:
            self.mark_interrupted(at=left_at)

    @property
    def participant_identity(self) -> str:
        """The candidate's LiveKit identity: tied to this interview, never chosen by a client."""
        return f"candidate-{self.public_id}"

    def link_problem(self, *, at: datetime | None = None) -> str | None:
        """Why the candidate can no longer use this interview's link, or None when they can:
        "completed", "revoked" or "expired"."""
        if self.status == self.Status.COMPLETED:
            return "completed"
        if self.invite_revoked_at:
            return "revoked"
        if (
            self.kind == self.Kind.OPEN
            and self.consent_at is None
            and self.accommodation_requested_at is None
            and self.created_at is not None
            and (at or timezone.now()) >= self.created_at + self.UNCONSENTED_OPEN_TTL
        ):
            return "expired"
        if self.invite_expires_at is not None and (at or timezone.now()) >= self.invite_expires_at:
            return "expired"
        return None

    @property
    def recording_blocks_interview(self) -> bool:
        """The candidate asked not to be recorded, and this position's interviews are
        recorded without exception: a recruiter follows up instead."""
        return (
            self.recording_declined_at is not None
            and self.position.records_interviews
            and not self.position.goes_on_unrecorded
        )

    def continues_open_link(self, position: Position) -> bool:
        """Whether an open position link for `position` should lead back to this interview
        (the same browser reloading it) rather than start a new one."""
        return (
            self.kind == self.Kind.OPEN
            and self.position_id == position.pk
            and self.link_problem() is None
        )


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
    # Set when the question is closed: answered, or skipped (then skipped_at too).
    answered_at = models.DateTimeField(null=True, blank=True)
    # The candidate skipped it or said they did not know: closed without an answer.
    skipped_at = models.DateTimeField(null=True, blank=True)

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

    @property
    def is_skipped(self) -> bool:
        return self.skipped_at is not None


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
