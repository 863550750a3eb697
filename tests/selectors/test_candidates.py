import pytest

from interviews.selectors.candidates import candidate_by_email
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def test_it_looks_a_candidate_up_whatever_the_case_and_spaces():
    CandidateFactory(email="jane@example.com")
    assert candidate_by_email(email=" JANE@example.com").email == "jane@example.com"
    assert candidate_by_email(email="nobody@example.com") is None
