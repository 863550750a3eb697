import pytest
from django.db import IntegrityError, transaction

from interviews.models import Candidate, Interview, Question, hash_invite
from tests.factories import CandidateFactory, InterviewFactory, PositionFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_an_email_that_is_not_normalised():
    position = PositionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.create(
            email="Jane@Example.com", name="Jane", position=position, experience_years=2
        )
    assert not Candidate.objects.exists()


def test_the_database_refuses_two_candidates_with_one_email():
    CandidateFactory(email="jane@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateFactory(email="jane@example.com")
    assert Candidate.objects.count() == 1


def test_the_database_refuses_more_than_sixty_years_of_experience():
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateFactory(experience_years=61)
    assert not Candidate.objects.exists()


def test_a_question_band_must_run_from_low_to_high():
    position = PositionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionFactory(position=position, min_experience=5, max_experience=2)
    assert not Question.objects.filter(position=position).exists()


def test_every_interview_gets_its_own_room():
    first, second = InterviewFactory(), InterviewFactory()
    assert first.room_name.startswith("interview-")
    assert first.room_name != second.room_name
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewFactory(room_name=first.room_name)
    assert Interview.objects.count() == 2


def test_invites_are_hashed_with_sha256():
    assert hash_invite("secret") == (
        "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"
    )


def test_models_describe_themselves():
    interview = InterviewFactory(candidate__email="ann@example.com", position__title="Analyst")
    assert str(interview) == "Analyst interview with ann@example.com"
    assert str(interview.candidate).endswith("<ann@example.com>")
    assert str(interview.position) == "Analyst"
    open_interview = InterviewFactory(candidate=None, kind=Interview.Kind.OPEN)
    assert "unidentified candidate" in str(open_interview)
