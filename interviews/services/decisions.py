"""Recruiters' decisions: append-only, the latest is current."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from interviews.models import DecisionRecord, Evaluation, Interview
from interviews.services.operation_log import operation_log_update

MAX_DECISION_NOTE_LENGTH = 5_000


def decision_record(
    *, interview: Interview, decision: str, note: str, decided_by: User
) -> DecisionRecord:
    """A recruiter decides. Earlier decisions stay in the trail; the latest is current."""
    if not (decided_by.is_active and getattr(decided_by, "is_staff", False)):
        raise ValidationError(
            "Only the hiring team's staff can decide.", code="decision_not_allowed"
        )
    if decision not in Evaluation.Recommendation.values:
        raise ValidationError("Choose advance, hold or reject.", code="decision_invalid")
    if not isinstance(note, str) or not note.strip():
        raise ValidationError("Write a note explaining the decision.", code="decision_note_missing")
    note = note.strip()
    if len(note) > MAX_DECISION_NOTE_LENGTH:
        raise ValidationError(
            f"Keep the note under {MAX_DECISION_NOTE_LENGTH} characters.",
            code="decision_note_too_long",
        )
    with transaction.atomic():
        locked = Interview.objects.select_for_update().get(pk=interview.pk)
        if locked.status not in Interview.ENDED_STATUSES:
            raise ValidationError(
                "Decide once the interview has ended.", code="interview_not_ended"
            )
        suggestion = (
            Evaluation.objects.filter(interview=locked)
            .values_list("suggested_recommendation", flat=True)
            .first()
        )
        record = DecisionRecord.objects.create(
            interview=locked,
            decision=decision,
            note=note,
            suggested_recommendation=suggestion or "",
            decided_by=decided_by,
            decided_by_username=decided_by.get_username(),
        )
        operation_log_update(interview=locked)
        return record


def decision_edit(*, record: DecisionRecord, **changes: object) -> DecisionRecord:
    """Decisions are never edited: the trail is what was decided at the time."""
    raise ValidationError(
        "A recorded decision cannot be changed; record a new decision instead.",
        code="decision_append_only",
    )
