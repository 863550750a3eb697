"""An interview's recording: both voices in one compressed file, kept through Django's
storage API (the "recordings" storage: local files by default, a bucket when configured).

A resumed interview is recorded in parts, one per time the interviewer ran; the file holds
them one after the other, and `parts` says where each began (`started_at`, wall clock) and
how long it lasts, so a transcript line's time maps to a place in the audio.
"""

from datetime import datetime, timedelta

from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.dateparse import parse_datetime

from interviews.models.interviews import Interview


def recordings_storage() -> Storage:
    return storages["recordings"]


def recording_path(recording: "Recording", filename: str) -> str:
    return f"{recording.interview.public_id}.ogg"


class Recording(models.Model):
    """Viewing (listening to) a recording needs the `view_recording` permission."""

    class Status(models.TextChoices):
        RECORDED = "recorded", "Recorded"
        FAILED = "failed", "Failed"
        DECLINED = "declined", "Not recorded at the candidate's request"
        NOT_RECORDED = "not_recorded", "Not recorded"
        DELETED = "deleted", "Deleted after its retention period"

    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="recording")
    status = models.CharField(max_length=20, choices=Status.choices)
    reason = models.TextField(blank=True, help_text="Why a recording failed or is incomplete.")
    file = models.FileField(
        storage=recordings_storage, upload_to=recording_path, blank=True, max_length=200
    )
    content_type = models.CharField(max_length=50, default="audio/ogg")
    size_bytes = models.PositiveBigIntegerField(default=0)
    duration_seconds = models.FloatField(default=0.0)
    # [{"started_at": ISO time, "duration": seconds}], in the order they play.
    parts = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "recording"

    def __str__(self) -> str:
        return f"Recording of {self.interview} ({self.get_status_display()})"

    @property
    def playable(self) -> bool:
        return bool(self.file) and self.duration_seconds > 0

    def offset_of(self, at: datetime) -> float | None:
        """Where in the file the moment `at` plays, in seconds; None when it was not
        recorded (before the first part, or between parts)."""
        elapsed = 0.0
        for part in self.parts:
            start = parse_datetime(part["started_at"])
            if start is None:
                continue
            duration = float(part["duration"])
            # A line stored a moment before its part's audio began still plays from there.
            if start - timedelta(seconds=1) <= at <= start + timedelta(seconds=duration):
                return elapsed + max(0.0, (at - start).total_seconds())
            elapsed += duration
        return None
