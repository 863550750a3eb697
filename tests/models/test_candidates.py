import pytest
from django.db import IntegrityError, transaction

from interviews.models import Candidate
from tests.factories import CandidateFactory, PositionFactory

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
