"""Flags: what the interviewer could not settle with the candidate and leaves for the
recruiter (an experience not given, a field taken as said), shown in the report."""

from django.db import transaction

from interviews.models import Interview
from interviews.services.common import locked_interview, without_nul

MAX_FLAG_LENGTH = 300
MAX_FLAGS = 20


def interview_flag(*, interview: Interview, text: str) -> Interview:
    """Add `text` to the interview's flags once (a repeated flag is kept once)."""
    text = without_nul(text or "").strip()[:MAX_FLAG_LENGTH]
    with transaction.atomic():
        locked = locked_interview(interview)
        flags = list(locked.flags or [])
        if text and text not in flags and len(flags) < MAX_FLAGS:
            flags.append(text)
            locked.flags = flags
            locked.save(update_fields=["flags", "updated_at"])
        return locked
