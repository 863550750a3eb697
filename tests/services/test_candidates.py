import pytest
from django.core.exceptions import ValidationError

from interviews.models import (
    Candidate,
    Interview,
)
from interviews.services.candidates import candidate_create, interview_identify_candidate
from tests.factories import CandidateFactory, InterviewFactory, PositionFactory

pytestmark = pytest.mark.django_db


def test_it_creates_a_candidate_with_a_normalised_email():
    position = PositionFactory()
    candidate = candidate_create(
        email="  Jane.Doe@Example.COM ", name="  Jane   Doe ", position=position, experience_years=4
    )
    candidate.refresh_from_db()
    assert candidate.email == "jane.doe@example.com"
    assert candidate.name == "Jane Doe"
    assert candidate.experience_years == 4


@pytest.mark.parametrize(
    ("email", "name", "experience", "message"),
    [
        ("jane.example.com", "Jane", 3, "no @ sign"),
        ("jane@", "Jane", 3, "not a valid email"),
        ("", "Jane", 3, "email address is needed"),
        ("jane@example.com", "", 3, "name is needed"),
        ("jane@example.com", "x" * 201, 3, "at most 200"),
        ("jane@example.com", "Jane", -1, "between 0 and 60"),
        ("jane@example.com", "Jane", 61, "between 0 and 60"),
        ("jane@example.com", "Jane", 2.5, "whole number"),
        ("jane@example.com", "Jane", "5", "whole number"),
        ("jane@example.com", "Jane", True, "whole number"),
    ],
)
def test_it_refuses_a_bad_candidate_and_writes_nothing(email, name, experience, message):
    with pytest.raises(ValidationError, match=message):
        candidate_create(
            email=email, name=name, position=PositionFactory(), experience_years=experience
        )
    assert not Candidate.objects.exists()


def test_it_never_overwrites_an_existing_candidate():
    existing = CandidateFactory(email="jane@example.com", name="Jane Original")
    with pytest.raises(ValidationError, match="already exists"):
        candidate_create(
            email="JANE@example.com",
            name="Someone Else",
            position=PositionFactory(),
            experience_years=9,
        )
    existing.refresh_from_db()
    assert existing.name == "Jane Original"
    assert Candidate.objects.count() == 1


def test_it_refuses_a_candidate_for_a_closed_position():
    with pytest.raises(ValidationError, match="not open"):
        candidate_create(
            email="jane@example.com",
            name="Jane",
            position=PositionFactory(is_active=False),
            experience_years=1,
        )
    assert not Candidate.objects.exists()


def test_an_open_interview_is_tied_to_the_candidate_it_identifies():
    interview = InterviewFactory(candidate=None, kind=Interview.Kind.OPEN)
    candidate = CandidateFactory()
    interview_identify_candidate(interview=interview, candidate=candidate)
    interview.refresh_from_db()
    assert interview.candidate == candidate


def test_a_personal_interview_cannot_switch_candidates():
    interview = InterviewFactory()
    owner = interview.candidate
    with pytest.raises(ValidationError, match="another candidate"):
        interview_identify_candidate(interview=interview, candidate=CandidateFactory())
    interview.refresh_from_db()
    assert interview.candidate == owner
