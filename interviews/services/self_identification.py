"""A candidate's voluntary self-identification, for the bias audit only."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interviews.models import Candidate, Interview, SelfIdentification


def self_identification_record(
    *, interview: Interview, sex: str, race_ethnicity: str
) -> SelfIdentification:
    """What the candidate of this interview chose to say about themselves, once the
    interview has begun. A later answer replaces the earlier one."""
    if sex not in SelfIdentification.Sex.values:
        raise ValidationError("Choose one of the listed options for sex.", code="sex_invalid")
    if race_ethnicity not in SelfIdentification.RaceEthnicity.values:
        raise ValidationError(
            "Choose one of the listed options for race/ethnicity.", code="race_invalid"
        )
    if interview.candidate_id is None or interview.started_at is None:
        raise ValidationError(
            "This form opens once your interview has begun.", code="interview_not_started"
        )
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=interview.candidate_id)
        record, _ = SelfIdentification.objects.update_or_create(
            candidate=candidate,
            defaults={
                "sex": sex,
                "race_ethnicity": race_ethnicity,
                "submitted_at": timezone.now(),
            },
        )
        return record
