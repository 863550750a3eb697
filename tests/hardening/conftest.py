import pytest
from django.core.cache import cache
from django.test import Client

from interviews.services.invites import NewInterview, interview_create
from tests.factories import CandidateFactory, PositionFactory
from tests.web.conftest import API_KEY, API_SECRET

INVITEE_EMAIL = "ada.invitee@example.com"
INVITEE_NAME = "Ada Invitee"


@pytest.fixture(autouse=True)
def _livekit_keys(settings):
    settings.LIVEKIT_API_KEY = API_KEY
    settings.LIVEKIT_API_SECRET = API_SECRET


@pytest.fixture
def fresh_cache(request):
    """Rate limits count in the database cache, which a flush does not empty."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction")
    request.getfixturevalue("transactional_db" if transactional else "db")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def invited(fresh_cache) -> NewInterview:
    position = PositionFactory(title="Backend engineer", slug="backend-engineer")
    candidate = CandidateFactory(email=INVITEE_EMAIL, name=INVITEE_NAME, position=position)
    return interview_create(position=position, candidate=candidate)


def joined_client(secret: str, **client_options) -> Client:
    client = Client(**client_options)
    response = client.get(f"/interview/{secret}/")
    assert response.status_code == 302, response.status_code
    return client
