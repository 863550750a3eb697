"""The candidate's choices on their page before the interview: consent, or a request for
an alternative process or an accommodation."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interviews.models import Interview, NoticeConsent
from interviews.selectors.notices import current_notice
from interviews.services.common import locked_interview, without_nul

MAX_ACCOMMODATION_NOTE_LENGTH = 2_000


def _refuse_if_link_unusable(interview: Interview, *, at: datetime) -> None:
    problem = interview.link_problem(at=at)
    if problem is not None:
        raise ValidationError(
            {
                "completed": "This interview is already completed.",
                "closed": "This interview has been closed.",
                "revoked": "This interview link has been withdrawn.",
                "expired": "This interview link has expired.",
            }[problem],
            code=f"interview_{problem}",
        )


def interview_record_consent(
    *, interview: Interview, notice_version: int | None = None, at: datetime | None = None
) -> Interview:
    """The candidate agreed to an interview by this interviewer, transcribed and reviewed
    by a person, as the current notice says (`notice_version`, when given, is the version
    they read: a newer one must be read first). The first agreement is the one kept."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = locked_interview(interview)
        _refuse_if_link_unusable(locked, at=at)
        if locked.consent_at is None:
            notice = current_notice()
            if notice_version is not None and (
                type(notice_version) is not int or notice_version != notice.version
            ):
                raise ValidationError(
                    "The notice has changed since this page was opened: reload the page "
                    "and read it again.",
                    code="notice_changed",
                )
            locked.consent_at = at
            locked.save(update_fields=["consent_at", "updated_at"])
            NoticeConsent.objects.create(interview=locked, notice=notice, agreed_at=at)
        return locked


def interview_request_accommodation(
    *, interview: Interview, note: str = "", no_recording: bool = False, at: datetime | None = None
) -> Interview:
    """The candidate asks for an alternative process or an accommodation; a recruiter
    follows up. A later request replaces the note and the time. `no_recording`: they ask
    not to be recorded (kept once asked); the interview then goes on unrecorded, or not at
    all where the position requires a recording."""
    if not isinstance(note, str):
        raise ValidationError("The note must be text.", code="note_invalid")
    note = without_nul(note).strip()
    if len(note) > MAX_ACCOMMODATION_NOTE_LENGTH:
        raise ValidationError(
            f"Please keep the note under {MAX_ACCOMMODATION_NOTE_LENGTH} characters.",
            code="note_too_long",
        )
    at = at or timezone.now()
    with transaction.atomic():
        locked = locked_interview(interview)
        _refuse_if_link_unusable(locked, at=at)
        locked.accommodation_requested_at = at
        locked.accommodation_note = note
        if no_recording and locked.recording_declined_at is None:
            locked.recording_declined_at = at
        locked.save(
            update_fields=[
                "accommodation_requested_at",
                "accommodation_note",
                "recording_declined_at",
                "updated_at",
            ]
        )
        return locked
