from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Trim

from interviews.models.bank import MAX_EXPERIENCE_YEARS, Position


class Candidate(models.Model):
    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=200)
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="candidates")
    # None: the candidate did not say (the interview is flagged for the recruiter).
    experience_years = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_EXPERIENCE_YEARS)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        # The default ordering (the admin adds -id): a list's first page without a sort.
        indexes = [models.Index(fields=["-created_at", "-id"], name="candidate_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower(Trim("email"))), name="candidate_email_normalised"
            ),
            models.CheckConstraint(
                condition=Q(experience_years__gte=0, experience_years__lte=MAX_EXPERIENCE_YEARS),
                name="candidate_experience_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
