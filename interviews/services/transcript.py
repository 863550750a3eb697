"""The transcript: what was said, appended as it is said."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from interviews.models import Interview, TranscriptSegment
from interviews.services.common import locked_interview, without_nul

MAX_SEGMENT_LENGTH = 20_000


def transcript_append(
    *,
    interview: Interview,
    speaker: str,
    text: str,
    at: datetime | None = None,
    sequence: int | None = None,
) -> TranscriptSegment | None:
    """Append what was said, as it is said. Blank utterances are not stored.

    `sequence`: the segment's number when the caller keeps the count (the one writer of
    the interview's transcript): one INSERT, no lock; a number already taken raises
    IntegrityError. Without it, the interview is locked and the next number read."""
    if speaker not in TranscriptSegment.Speaker.values:
        raise ValidationError(f"Unknown speaker {speaker!r}.", code="speaker_invalid")
    if not isinstance(text, str) or not text.strip():
        return None
    text = without_nul(text).strip()[:MAX_SEGMENT_LENGTH]
    if not text:
        return None
    if sequence is not None:
        segment = TranscriptSegment(
            interview_id=interview.pk,
            sequence=sequence,
            speaker=speaker,
            text=text,
            spoken_at=at or timezone.now(),
        )
        if not connection.in_atomic_block:
            segment.save(force_insert=True)  # one statement: its own transaction
            return segment
        with transaction.atomic():  # a savepoint: a number taken leaves the caller's intact
            segment.save(force_insert=True)
            return segment
    with transaction.atomic():
        locked = locked_interview(interview)
        last = locked.transcript.aggregate(last=Max("sequence"))["last"]
        return TranscriptSegment.objects.create(
            interview=locked,
            sequence=(last or 0) + 1,
            speaker=speaker,
            text=text,
            spoken_at=at or timezone.now(),
        )
