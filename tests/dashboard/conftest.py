from collections.abc import Callable

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from interviews.models import Interview
from interviews.services.invites import interview_create
from tests.factories import CandidateFactory, PositionFactory

IN_MEMORY_LAYER = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
LIVEKIT_KEY = "dashboard-test-key"
LIVEKIT_SECRET = "dashboard-test-secret-long-enough-for-hs256"
ALLOWED_ORIGIN = "http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def _fresh_layer_and_keys(settings):
    """Each test gets its own in-memory channel layer (changing the setting drops the
    cached one) and known LiveKit keys, whatever the environment says."""
    settings.CHANNEL_LAYERS = IN_MEMORY_LAYER
    settings.LIVEKIT_API_KEY = LIVEKIT_KEY
    settings.LIVEKIT_API_SECRET = LIVEKIT_SECRET


def _user(username: str, *, staff: bool, view: bool) -> User:
    user = User.objects.create_user(username=username, password="not-used-0", is_staff=staff)
    if view:
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=("view_interview", "watch_interview"))
        )
    return user


@pytest.fixture
def recruiter(db) -> User:
    """Staff who may view interviews (not a superuser)."""
    return _user("recruiter", staff=True, view=True)


@pytest.fixture
def staff_without_view(db) -> User:
    return _user("helpdesk", staff=True, view=False)


@pytest.fixture
def outsider(db) -> User:
    """An account that is not staff, even with the permission."""
    return _user("outsider", staff=False, view=True)


@pytest.fixture
def logged_in() -> Callable[[User], Client]:
    def login(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


def session_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


@pytest.fixture
def invited(db) -> Interview:
    position = PositionFactory(title="Backend engineer", slug="backend-engineer")
    candidate = CandidateFactory(name="Ada Example", email="ada@example.com", position=position)
    return interview_create(position=position, candidate=candidate).interview
