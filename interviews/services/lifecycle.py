"""An interview's course as the interviewer runs it: started (again, after an
interruption), interrupted, completed. The status itself changes in the model's `mark_*`
methods."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from interviews import live
from interviews.models import Evaluation, Interview
from interviews.services import emails
from interviews.services.common import locked_interview, refuse_if_finished


def interview_start(*, interview: Interview, ai_mode: str, at: datetime | None = None) -> Interview:
    """The interviewer has joined: in progress (again, after an interruption)."""
    with transaction.atomic():
        locked = locked_interview(interview)
        refuse_if_finished(locked)
        at = at or timezone.now()
        locked.mark_started(ai_mode=ai_mode, at=at)
        # Its slot is no longer starting (interviews.services.interview_queue).
        locked.interviewer_joined_at = at
        locked.save(
            update_fields=[
                "status",
                "ai_mode",
                "started_at",
                "ended_at",
                "interviewer_joined_at",
                "updated_at",
            ]
        )
        live.broadcast_interview_change(locked)
        return locked


def interview_interrupt(*, interview: Interview, at: datetime | None = None) -> Interview:
    """The candidate left or the interviewer stopped early; nothing said is lost."""
    with transaction.atomic():
        locked = locked_interview(interview)
        if locked.status == Interview.Status.IN_PROGRESS:
            locked.mark_interrupted(at=at or timezone.now())
            locked.save(update_fields=["status", "ended_at", "updated_at"])
            live.broadcast_interview_change(locked)
        return locked


def interview_finish(*, interview: Interview, at: datetime | None = None) -> Interview:
    """Completed: the plan was asked. The result waits for a human review."""
    with transaction.atomic():
        locked = locked_interview(interview)
        if locked.status == Interview.Status.COMPLETED:
            return locked
        refuse_if_finished(locked)
        locked.mark_completed(at=at or timezone.now())
        locked.save(update_fields=["status", "ended_at", "updated_at"])
        Evaluation.objects.get_or_create(interview=locked)
        live.broadcast_interview_change(locked)
        emails.notify_completion(interview=locked)
        return locked
