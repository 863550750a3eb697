"""Identifying the candidate on an open position link by a one-time code sent to the
address they give.

Nothing about a profile (its name, its experience, whether one exists) is told before the
code comes back: `email_code_send` answers the same for every address, and only
`email_code_verify` ties an existing profile to the interview. Tries are capped per
interview (in the database, so reconnecting does not reset them), per client network, and
per address across interviews (codes sent to it, codes tried for it), the last two in the
shared limiter: no one can flood an inbox or spread guesses at a stranger's code over many
interviews.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from interviews.errors import ErrorCode
from interviews.models import Candidate, EmailCode, IdentifyAttempt, Interview
from interviews.models.identity import CODE_DIGITS, MAX_CODE_ATTEMPTS, hash_email_code
from interviews.selectors.candidates import candidate_by_email
from interviews.services import candidates, emails, ratelimits
from interviews.services.candidates import (
    _clean_email,
    interview_identify_candidate,
    refuse_if_identified,
)
from interviews.services.common import locked_interview, refuse_if_finished

logger = logging.getLogger(__name__)

# Identifying takes one or two tries; more is someone trying addresses to learn who has
# a profile, or to mail codes to strangers.
MAX_IDENTIFY_ATTEMPTS = 5
# (tries, seconds)
MAX_IDENTIFY_ATTEMPTS_PER_NETWORK = (30, 3600)
# Codes emailed to one address, whatever the interview: an hour's and a day's.
CODES_PER_RECIPIENT = ((3, 3600), (10, 86400))
# Codes tried for one address across interviews in a day (a person needs one or two).
CODE_TRIES_PER_RECIPIENT = (10, 86400)

RECIPIENT_QUOTA_MESSAGE = (
    "Too many codes have been sent to this address recently. Tell the candidate that the "
    "recruiter will contact them, then call end_interview."
)

IDENTIFY_QUOTA_MESSAGE = (
    "Too many attempts to identify the candidate in this interview. Tell the candidate "
    "that the recruiter will contact them, then call end_interview."
)


@dataclass(frozen=True)
class Verified:
    email: str
    # The profile now tied to the interview; None when one must be created.
    candidate: Candidate | None


def identify_attempt_record(*, interview: Interview, now: datetime | None = None) -> None:
    """Count one identify try for the interview and its network, or refuse when either is
    spent (ValidationError code "identify_quota")."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = locked_interview(interview)
        spent = IdentifyAttempt.objects.filter(interview=locked).count() >= MAX_IDENTIFY_ATTEMPTS
        if not spent and locked.client_network:
            per_network = ratelimits.Limit(
                "identify-network", locked.client_network, *MAX_IDENTIFY_ATTEMPTS_PER_NETWORK
            )
            spent = not ratelimits.hit_all([per_network]).allowed
        if not spent:
            IdentifyAttempt.objects.create(interview=locked, network=locked.client_network, at=now)
            return
    logger.warning("identify attempts exhausted", extra={"interview": str(interview.public_id)})
    raise ValidationError(IDENTIFY_QUOTA_MESSAGE, code=ErrorCode.IDENTIFY_QUOTA)


def _recipient_refused(address: str, *, scope: str, limits: tuple[tuple[int, int], ...]) -> bool:
    counted = [ratelimits.Limit(scope, address, *limit) for limit in limits]
    return not ratelimits.hit_all(counted).allowed


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def email_code_send(*, interview: Interview, email: str, now: datetime | None = None) -> EmailCode:
    """Email a new one-time code to `email` for this interview (earlier codes stop
    working). The same happens whether or not the address has a profile."""
    address = _clean_email(email)
    now = now or timezone.now()
    identify_attempt_record(interview=interview, now=now)
    if _recipient_refused(address, scope="code-recipient", limits=CODES_PER_RECIPIENT):
        logger.warning("codes per recipient spent", extra={"interview": str(interview.public_id)})
        raise ValidationError(RECIPIENT_QUOTA_MESSAGE, code="identify_quota")
    code = _new_code()
    with transaction.atomic():
        locked = locked_interview(interview)
        refuse_if_finished(locked)
        refuse_if_identified(locked)
        EmailCode.objects.filter(interview=locked, verified_at__isnull=True).update(expires_at=now)
        sent = EmailCode.objects.create(
            interview=locked,
            email=address,
            code_hash=hash_email_code(email=address, code=code),
            expires_at=now + timedelta(minutes=settings.EMAIL_CODE_TTL_MINUTES),
            created_at=now,
        )
    # Sent after the commit: a slow mail server must not hold the interview's lock.
    if not emails.send_email_code(email=address, code=code, interview=locked):
        EmailCode.objects.filter(pk=sent.pk).update(expires_at=now)
        raise ValidationError(
            "The code could not be sent just now. Ask the candidate to check the address "
            "and say it again, or to try again in a few minutes.",
            code=ErrorCode.EMAIL_NOT_SENT,
        )
    return sent


def email_code_verify(*, interview: Interview, code: str, now: datetime | None = None) -> Verified:
    """Check the code the candidate said back. Right: the address is proven, and its
    profile (if there is one) is tied to the interview. Wrong: one try fewer."""
    now = now or timezone.now()
    digits = "".join(ch for ch in str(code) if ch.isdigit())
    with transaction.atomic():
        locked = locked_interview(interview)
        refuse_if_finished(locked)
        sent = (
            EmailCode.objects.select_for_update()
            .filter(interview=locked, verified_at__isnull=True)
            .order_by("-created_at", "-id")
            .first()
        )
        if sent is None:
            problem = ErrorCode.CODE_MISSING
        elif now >= sent.expires_at or sent.attempts >= MAX_CODE_ATTEMPTS:
            problem = ErrorCode.CODE_EXPIRED
        elif _recipient_refused(sent.email, scope="code-tries", limits=(CODE_TRIES_PER_RECIPIENT,)):
            # Guesses at one address's codes, spread over interviews: none is checked.
            sent.expires_at = now
            sent.save(update_fields=["expires_at"])
            problem = ErrorCode.IDENTIFY_QUOTA
        else:
            # The cap holds in the database too: the filter and the check constraint.
            EmailCode.objects.filter(pk=sent.pk, attempts__lt=MAX_CODE_ATTEMPTS).update(
                attempts=F("attempts") + 1
            )
            sent.refresh_from_db(fields=["attempts"])
            if len(digits) == CODE_DIGITS and sent.matches(digits):
                sent.verified_at = now
                sent.save(update_fields=["verified_at"])
                candidate = candidate_by_email(email=sent.email)
                if candidate is not None:
                    interview_identify_candidate(interview=locked, candidate=candidate)
                return Verified(email=sent.email, candidate=candidate)
            problem = (
                ErrorCode.CODE_WRONG
                if sent.attempts < MAX_CODE_ATTEMPTS
                else ErrorCode.CODE_EXHAUSTED
            )
    # Raised outside the transaction, so the spent try stays counted.
    raise ValidationError(
        {
            "code_missing": "No code has been sent yet. Ask for the candidate's email address "
            "and call lookup_candidate first.",
            "code_expired": "That code has expired. Ask for the email address again to send "
            "a new code.",
            "code_wrong": "That code is not right. Ask the candidate to check the email and "
            "say or type the six digits again.",
            "code_exhausted": "That code is not right, and it has now been tried too many "
            "times. Ask for the email address again to send a new code.",
            "identify_quota": RECIPIENT_QUOTA_MESSAGE,
        }[problem],
        code=problem,
    )


def email_is_verified(*, interview: Interview, email: str) -> bool:
    """Whether the candidate proved, in this interview, that `email` is theirs."""
    return EmailCode.objects.filter(
        interview=interview, email=email, verified_at__isnull=False
    ).exists()


def interview_register_verified_candidate(
    *, interview: Interview, email: str, name: str, position, experience_years: int | None
) -> Interview:
    """Create the profile of a candidate who proved `email` in this interview, and tie it
    to the interview: one identify try, counted only when the whole write commits."""
    with transaction.atomic():
        identify_attempt_record(interview=interview)
        return candidates.interview_register_candidate(
            interview=interview,
            email=email,
            name=name,
            position=position,
            experience_years=experience_years,
        )
