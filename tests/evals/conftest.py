"""Every eval needs a real model: without one it fails at once, saying what to set."""

import pytest

from interviews.models import Interview
from interviews.services.invites import interview_create
from tests.evals.harness import require_a_model
from tests.factories import CandidateFactory


@pytest.fixture(autouse=True)
def a_real_model() -> None:
    require_a_model()


@pytest.fixture
def open_interview(position_with_bank) -> Interview:
    return interview_create(position=position_with_bank).interview


@pytest.fixture
def personal_interview(position_with_bank) -> Interview:
    candidate = CandidateFactory(
        email="invited@example.com", name="Ivy Invited", position=position_with_bank
    )
    return interview_create(position=position_with_bank, candidate=candidate).interview
