import pytest
from django.core.cache import cache
from django.test import Client

from interviews.services.consent import interview_record_consent
from interviews.services.invites import NewInterview, interview_create
from tests.factories import CandidateFactory, PositionFactory

API_KEY = "test-key"
API_SECRET = "test-secret-long-enough-for-hs256-0123456789"


@pytest.fixture(autouse=True)
def _livekit_keys(settings):
    settings.LIVEKIT_API_KEY = API_KEY
    settings.LIVEKIT_API_SECRET = API_SECRET


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):
    """Rate limits count in the database cache: clear it around tests that use the database."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if names & {"transactional_db", "live_server"} or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif marker or "db" in names:
        request.getfixturevalue("db")
    else:
        yield
        return
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def invited(db) -> NewInterview:
    """A personal interview with its raw invite secret, as a recruiter creates it."""
    position = PositionFactory(title="Backend engineer", slug="backend-engineer")
    candidate = CandidateFactory(name="Ada Example", position=position)
    return interview_create(position=position, candidate=candidate)


def open_invite(client: Client, secret: str):
    return client.get(f"/interview/{secret}/")


@pytest.fixture
def joined(client: Client, invited: NewInterview) -> Client:
    """A browser that opened its invite link (the interview is in its session)."""
    response = open_invite(client, invited.invite_secret)
    assert response.status_code == 302
    return client


@pytest.fixture
def consented(joined: Client, invited: NewInterview) -> Client:
    interview_record_consent(interview=invited.interview)
    return joined
