"""Inviting a person by email in one step: their profile is found or created, then a
personal interview is created with its link."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction

from interviews.models import Candidate, Position
from interviews.selectors.candidates import candidate_by_email
from interviews.services.candidates import candidate_create
from interviews.services.invites import NewInterview, interview_create


@dataclass(frozen=True)
class CandidateInvite:
    candidate: Candidate
    candidate_created: bool
    new: NewInterview


def candidate_invite(
    *,
    email: str,
    name: str,
    position: Position,
    experience_years: int | None,
    invite_ttl: timedelta | None = None,
) -> CandidateInvite:
    """Invite the candidate with this email to an interview for `position`. An existing
    profile is used as it is (name and experience are only for a new one); a failure
    leaves neither a stray profile nor an interview."""
    with transaction.atomic():
        candidate = candidate_by_email(email=email)
        created = candidate is None
        if candidate is None:
            candidate = candidate_create(
                email=email, name=name, position=position, experience_years=experience_years
            )
        new = interview_create(position=position, candidate=candidate, invite_ttl=invite_ttl)
        return CandidateInvite(candidate=candidate, candidate_created=created, new=new)
