"""The transcript: what was said, appended as it is said. An emailed code the candidate
says or types back is stored masked: the transcript is read by more people than the code
was meant for."""

import re
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from interviews.models import EmailCode, Interview, TranscriptSegment
from interviews.services.common import locked_interview, without_nul

MAX_SEGMENT_LENGTH = 20_000
CODE_MASK = "[code]"
CODE_JUST_VERIFIED = timedelta(minutes=2)
_DIGIT = r"(?:\d|zero|oh|one|two|three|four|five|six|seven|eight|nine)"
# Six digits, written or spoken, maybe apart ("481 203", "four eight one two oh three").
_CODE_LIKE = re.compile(rf"(?<![\w]){_DIGIT}(?:[\s,.\-]*{_DIGIT}){{5}}(?![\w])", re.IGNORECASE)


def masked_codes(*, interview: Interview, text: str, at: datetime | None = None) -> str:
    """`text` with six-digit sequences masked while a code sent in this interview waits to
    be said back, or was just verified (the words may be written after the check); a later
    answer's numbers are left alone."""
    if not _CODE_LIKE.search(text):
        return text
    now = at or timezone.now()
    waiting = EmailCode.objects.filter(
        Q(verified_at__isnull=True, expires_at__gt=now)
        | Q(verified_at__gt=now - CODE_JUST_VERIFIED),
        interview_id=interview.pk,
    ).exists()
    return _CODE_LIKE.sub(CODE_MASK, text) if waiting else text


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
    if speaker == TranscriptSegment.Speaker.CANDIDATE:
        text = masked_codes(interview=interview, text=text, at=at)
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
