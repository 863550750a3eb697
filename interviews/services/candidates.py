"""Candidates: creating a profile, and tying the candidate to an interview."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from interviews.errors import ErrorCode
from interviews.models import MAX_EXPERIENCE_YEARS, Candidate, EmailCode, Interview, Position
from interviews.selectors.candidates import normalise_email
from interviews.services.common import locked_interview, refuse_if_finished, without_nul

MAX_NAME_LENGTH = 200
# Said to the interviewer agent too, which checks a spoken address before looking it up.
EMAIL_WITHOUT_AT_SIGN = "That email address has no @ sign; ask the candidate to spell it."
EMAIL_NOT_VALID = "That is not a valid email address; ask the candidate to spell it again."
ALREADY_IDENTIFIED = "The candidate is already identified; continue with the interview."


def _clean_email(email: object) -> str:
    if not isinstance(email, str) or not email.strip():
        raise ValidationError("An email address is needed.", code=ErrorCode.EMAIL_MISSING)
    normalised = normalise_email(email)
    if "@" not in normalised:
        raise ValidationError(EMAIL_WITHOUT_AT_SIGN, code=ErrorCode.EMAIL_INVALID)
    try:
        validate_email(normalised)
    except ValidationError:
        raise ValidationError(EMAIL_NOT_VALID, code=ErrorCode.EMAIL_INVALID) from None
    return normalised


def _clean_experience(experience_years: object) -> int | None:
    if experience_years is None:
        return None  # not given: the interviewer flags it for the recruiter
    if isinstance(experience_years, bool) or not isinstance(experience_years, int):
        raise ValidationError(
            "Experience must be a whole number of years.", code=ErrorCode.EXPERIENCE_INVALID
        )
    if not 0 <= experience_years <= MAX_EXPERIENCE_YEARS:
        raise ValidationError(
            f"Experience must be between 0 and {MAX_EXPERIENCE_YEARS} years.",
            code=ErrorCode.EXPERIENCE_OUT_OF_RANGE,
        )
    return experience_years


def _clean_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("The candidate's name is needed.", code=ErrorCode.NAME_MISSING)
    name = " ".join(without_nul(name).split())
    if not name:
        raise ValidationError("The candidate's name is needed.", code=ErrorCode.NAME_MISSING)
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            f"A name can be at most {MAX_NAME_LENGTH} characters.", code=ErrorCode.NAME_TOO_LONG
        )
    return name


def refuse_if_identified(interview: Interview) -> None:
    """Identifying is for an interview whose candidate is not known yet: once known (a
    personal invite, or an open link after the emailed code), the candidate is fixed."""
    if interview.candidate_id is not None:
        raise ValidationError(ALREADY_IDENTIFIED, code=ErrorCode.CANDIDATE_FIXED)


def candidate_create(
    *, email: str, name: str, position: Position, experience_years: int | None
) -> Candidate:
    """Create a candidate profile. An existing email is never overwritten."""
    email = _clean_email(email)
    name = _clean_name(name)
    experience_years = _clean_experience(experience_years)
    if not position.is_active:
        raise ValidationError(
            f"The {position.title} position is not open.", code=ErrorCode.POSITION_INACTIVE
        )
    with transaction.atomic():
        if Candidate.objects.filter(email=email).exists():
            raise ValidationError(
                "A candidate with this email already exists; look them up instead.",
                code=ErrorCode.EMAIL_TAKEN,
            )
        return Candidate.objects.create(
            email=email, name=name, position=position, experience_years=experience_years
        )


def interview_identify_candidate(*, interview: Interview, candidate: Candidate) -> Interview:
    """Tie the candidate to the interview; a personal invite's candidate is fixed."""
    with transaction.atomic():
        locked = locked_interview(interview)
        refuse_if_finished(locked)
        if locked.candidate_id and locked.candidate_id != candidate.pk:
            raise ValidationError(
                "This interview belongs to another candidate; it cannot be switched.",
                code=ErrorCode.CANDIDATE_FIXED,
            )
        if locked.candidate_id is None:
            locked.candidate = candidate
            locked.save(update_fields=["candidate", "updated_at"])
        return locked


def interview_register_candidate(
    *, interview: Interview, email: str, name: str, position: Position, experience_years: int | None
) -> Interview:
    """A new candidate on an open link: create the profile and tie it to the interview, in
    one transaction, so a failure leaves neither a stray profile nor a half-identified
    interview. An interview that already has its candidate is refused, and so is an
    address the candidate has not proven theirs with the emailed code."""
    with transaction.atomic():
        locked = locked_interview(interview)
        refuse_if_finished(locked)
        refuse_if_identified(locked)
        verified = EmailCode.objects.filter(
            interview=locked, email=_clean_email(email), verified_at__isnull=False
        )
        if not verified.exists():
            raise ValidationError(
                "This email address is not verified yet. Call lookup_candidate with it to "
                "send a code, then verify_email_code with the code the candidate gives.",
                code=ErrorCode.EMAIL_NOT_VERIFIED,
            )
        candidate = candidate_create(
            email=email, name=name, position=position, experience_years=experience_years
        )
        return interview_identify_candidate(interview=locked, candidate=candidate)
