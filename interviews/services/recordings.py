"""Interview recordings: whether an interview is recorded, each part the interviewer
records joined to the file, failures kept with their reason, and the files deleted with
the interview or after RECORDING_RETENTION_DAYS."""

import logging
import tempfile
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from interviews.models import Interview, Recording
from interviews.models.recordings import recording_path, recordings_storage
from interviews.recording_audio import ogg_duration, ogg_join
from interviews.selectors.notices import notice_agreed, notice_mentions_recording
from interviews.services.common import locked_interview

logger = logging.getLogger(__name__)

MAX_REASON_LENGTH = 500


def _set(interview: Interview, status: str, reason: str) -> Recording:
    recording, _ = Recording.objects.update_or_create(
        interview=interview, defaults={"status": status, "reason": reason[:MAX_REASON_LENGTH]}
    )
    return recording


def recording_decide(*, interview: Interview) -> bool:
    """Whether the interviewer records this interview: its position records, the candidate
    agreed to a notice that says so and did not ask not to be recorded. A decision not to
    record is kept with its reason (a position that never records keeps nothing)."""
    if not interview.position.records_interviews:
        return False
    existing = Recording.objects.filter(interview=interview).first()
    if interview.recording_declined_at is not None:
        if existing is None or not existing.file:
            _set(interview, Recording.Status.DECLINED, "The candidate asked not to be recorded.")
        return False
    notice = notice_agreed(interview=interview)
    if notice is None or not notice_mentions_recording(notice):
        if existing is None:
            _set(
                interview,
                Recording.Status.NOT_RECORDED,
                "The notice the candidate agreed to does not say the interview is recorded.",
            )
        return False
    return True


def recording_add_part(*, interview: Interview, path: Path, started_at: datetime) -> Recording:
    """Add what one run of the interviewer recorded (an Ogg/Opus file that began at
    `started_at`) after the parts already stored, in one file."""
    duration = ogg_duration(path)
    if duration <= 0:
        raise ValidationError("The recording is empty.", code="recording_empty")
    storage = recordings_storage()
    with transaction.atomic():
        locked = locked_interview(interview)
        recording = Recording.objects.select_for_update().filter(interview=locked).first()
        parts = list(recording.parts) if recording is not None else []
        with tempfile.TemporaryDirectory() as scratch:
            joined = Path(scratch) / "joined.ogg"
            old_name = recording.file.name if recording is not None and recording.file else ""
            if old_name:
                earlier = Path(scratch) / "earlier.ogg"
                with storage.open(old_name, "rb") as stored, earlier.open("wb") as copy:
                    for chunk in iter(lambda: stored.read(1 << 20), b""):
                        copy.write(chunk)
                total = ogg_join([earlier, path], joined)
            else:
                total = ogg_join([path], joined)
            with joined.open("rb") as handle:
                name = storage.save(recording_path(Recording(interview=locked), ""), File(handle))
            size = storage.size(name)
        parts.append({"started_at": started_at.isoformat(), "duration": round(duration, 3)})
        recording, _ = Recording.objects.update_or_create(
            interview=locked,
            defaults={
                "status": Recording.Status.RECORDED,
                "reason": "",
                "file": name,
                "size_bytes": size,
                "duration_seconds": round(total, 3),
                "parts": parts,
            },
        )
    if old_name and old_name != name:
        _delete_files([old_name])
    return recording


def recording_fail(*, interview: Interview, reason: str) -> Recording:
    """A part could not be recorded or stored: the interview goes on; the report says
    what is missing and why. Parts already stored stay playable."""
    return _set(interview, Recording.Status.FAILED, reason)


def recording_not_made(*, interview: Interview, reason: str) -> Recording | None:
    """This run of the interviewer records nothing (no voice to record, say): said in the
    report, unless earlier parts are stored (then they stay as they are)."""
    existing = Recording.objects.filter(interview=interview).first()
    if existing is not None and existing.file:
        return existing
    return _set(interview, Recording.Status.NOT_RECORDED, reason)


def _delete_files(names: Iterable[str]) -> int:
    storage, deleted = recordings_storage(), 0
    for name in names:
        try:
            storage.delete(name)
            deleted += 1
        except Exception:  # a file left behind is logged, never a reason to keep data
            logger.exception("could not delete a recording file", extra={"file": name})
    return deleted


def recording_files_delete_on_commit(*, interview_ids: Iterable[int]) -> int:
    """The files of these interviews' recordings go once their rows are deleted for good
    (when the transaction commits). Returns how many files there are."""
    names = [
        name
        for name in Recording.objects.filter(interview__in=list(interview_ids)).values_list(
            "file", flat=True
        )
        if name
    ]
    if names:
        transaction.on_commit(lambda: _delete_files(names))
    return len(names)


def recording_purge_expired(
    *, now: datetime | None = None, retention_days: int | None = None
) -> int:
    """Delete the recordings of interviews created more than RECORDING_RETENTION_DAYS ago
    (the interview itself may stay longer); returns how many were deleted."""
    days = settings.RECORDING_RETENTION_DAYS if retention_days is None else retention_days
    if days < 1:
        raise ValidationError("The retention period must be at least one day.", code="retention")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    with transaction.atomic():
        expired = (
            Recording.objects.select_for_update()
            .filter(interview__created_at__lt=cutoff)
            .exclude(file="")
        )
        ids = list(expired.values_list("interview_id", flat=True))
        recording_files_delete_on_commit(interview_ids=ids)
        Recording.objects.filter(interview__in=ids).update(
            file="",
            status=Recording.Status.DELETED,
            reason=f"Deleted after the retention period ({days} days).",
            size_bytes=0,
            updated_at=timezone.now(),
        )
    return len(ids)
