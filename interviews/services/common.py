"""What every interview service shares: locking the interview, refusing a finished one,
and text that PostgreSQL can store."""

from django.core.exceptions import ValidationError

from interviews.models import Interview


def without_nul(text: str) -> str:
    # PostgreSQL cannot store NUL in text; it is never meaningful in what people say.
    return text.replace("\x00", "")


def locked_interview(interview: Interview) -> Interview:
    """The interview, reloaded and locked for the rest of the transaction."""
    return (
        Interview.objects.select_for_update(of=("self",))
        .select_related("position", "candidate")
        .get(pk=interview.pk)
    )


def refuse_if_finished(interview: Interview) -> None:
    if interview.is_finished:
        raise ValidationError(
            f"This interview is already {interview.get_status_display().lower()}.",
            code="interview_finished",
        )
