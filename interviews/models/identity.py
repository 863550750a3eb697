"""Proving who is on an open position link: one-time codes emailed to the address the
candidate gives, and the identify attempts counted per interview and per client network.

Both live in the database, so a reconnecting candidate (a new interviewer process) finds
the same codes and the same counts.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from interviews.models.interviews import Interview

# Wrong codes a code accepts before it stops working; a check constraint keeps it so.
MAX_CODE_ATTEMPTS = 5
CODE_DIGITS = 6


def hash_email_code(*, email: str, code: str) -> str:
    """Codes are stored only as this keyed digest: a copy of the table does not give them
    away (six digits alone would be guessed from a plain hash in a second)."""
    return salted_hmac("interviews.email-code", f"{email}\n{code}", algorithm="sha256").hexdigest()


class EmailCode(models.Model):
    """A six-digit code sent to `email` for one interview; the candidate proves the address
    is theirs by saying it back before it expires, within MAX_CODE_ATTEMPTS tries."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="email_codes")
    email = models.EmailField(max_length=254)
    code_hash = models.CharField(max_length=64, editable=False)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attempts__lte=MAX_CODE_ATTEMPTS), name="email_code_attempts_capped"
            ),
        ]

    def __str__(self) -> str:
        return f"Email code for interview {self.interview_id}"

    def matches(self, code: str) -> bool:
        return constant_time_compare(self.code_hash, hash_email_code(email=self.email, code=code))

    def is_usable(self, *, at=None) -> bool:
        at = at or timezone.now()
        return (
            self.verified_at is None and self.attempts < MAX_CODE_ATTEMPTS and at < self.expires_at
        )


class IdentifyAttempt(models.Model):
    """One try at identifying the candidate (an address looked up, a profile created), kept
    to cap tries per interview and per client network across reconnects."""

    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="identify_attempts"
    )
    network = models.CharField(max_length=64, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Identify attempt in interview {self.interview_id}"
