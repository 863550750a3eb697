import json
from datetime import timedelta

import jwt
import pytest
from django.test import Client
from django.utils import timezone
from livekit import api

from interviews.dispatch import DispatchMetadata
from interviews.livekit_tokens import ROOM_DEPARTURE_TIMEOUT
from interviews.models import Interview
from interviews.services import live_rooms
from interviews.services.consent import interview_record_consent
from interviews.services.invites import interview_revoke_invite
from interviews.services.lifecycle import interview_finish, interview_interrupt, interview_start
from interviews.web import ratelimit
from tests.factories import PositionFactory
from tests.web.conftest import API_KEY, API_SECRET, open_invite

pytestmark = pytest.mark.django_db

TOKEN_URL = "/interview/token"


def post_token(client: Client, body=None, **extra):
    data = "" if body is None else (body if isinstance(body, str) else json.dumps(body))
    return client.post(TOKEN_URL, data=data, content_type="application/json", **extra)


def error_code(response) -> str:
    return response.json()["error"]["code"]


def verify(token: str):
    return api.TokenVerifier(API_KEY, API_SECRET).verify(token)


def test_it_mints_a_token_for_exactly_the_interview_room(consented, invited, settings):
    settings.LIVEKIT_PUBLIC_URL = "wss://media.example"
    interview = invited.interview

    response = post_token(consented)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "server_url",
        "participant_token",
        "room_name",
        "participant_name",
        "queue",
    }
    assert body["queue"] is None  # no worker reports: nobody waits in line
    assert body["server_url"] == "wss://media.example"
    assert body["room_name"] == interview.room_name
    assert body["participant_name"] == "Ada Example"
    claims = verify(body["participant_token"])
    assert claims.identity == f"candidate-{interview.public_id}"
    assert claims.name == "Ada Example"
    assert claims.kind == "standard"
    video = claims.video
    assert video.room_join is True
    assert video.room == interview.room_name
    assert not video.room_create and not video.room_admin and not video.room_list
    assert video.can_publish_sources == ["microphone"]
    assert video.can_publish_data is True
    assert video.can_subscribe is True
    assert not video.can_update_own_metadata
    dispatches = list(claims.room_config.agents)
    assert [d.agent_name for d in dispatches] == ["interviewer"]
    assert DispatchMetadata.from_json(dispatches[0].metadata).interview_id == interview.public_id
    # A room closes soon after the last one leaves, so a rejoin dispatches a new agent.
    assert claims.room_config.departure_timeout == ROOM_DEPARTURE_TIMEOUT
    # The room itself was not touched: the agent and the webhook move the interview.
    assert Interview.objects.get(pk=interview.pk).status == Interview.Status.INVITED


def test_the_token_lives_at_most_ten_minutes(consented, settings):
    settings.LIVEKIT_TOKEN_TTL_SECONDS = 3600  # a misconfiguration is capped, not obeyed

    token = post_token(consented).json()["participant_token"]

    raw = jwt.decode(token, API_SECRET, algorithms=["HS256"], issuer=API_KEY)
    assert 0 < raw["exp"] - raw["nbf"] <= 600


def test_the_token_honours_a_shorter_configured_lifetime(consented, settings):
    settings.LIVEKIT_TOKEN_TTL_SECONDS = 120

    token = post_token(consented).json()["participant_token"]

    raw = jwt.decode(token, API_SECRET, algorithms=["HS256"], issuer=API_KEY)
    assert raw["exp"] - raw["nbf"] == 120


def test_the_token_carries_the_configured_agent_name(consented, settings):
    settings.LIVEKIT_AGENT_NAME = "interviewer-eu"

    claims = verify(post_token(consented).json()["participant_token"])

    assert [d.agent_name for d in claims.room_config.agents] == ["interviewer-eu"]


def test_an_open_interview_names_the_participant_candidate(client):
    PositionFactory(slug="open-role")
    client.get("/apply/open-role/")
    consent_on_open_link(client)
    interview = Interview.objects.get()

    response = post_token(client)

    assert response.status_code == 201
    assert response.json()["participant_name"] == "Candidate"
    claims = verify(response.json()["participant_token"])
    assert claims.identity == f"candidate-{interview.public_id}"
    assert claims.video.room == interview.room_name


@pytest.mark.parametrize(
    "field, value",
    [
        ("room_name", "someone-elses-room"),
        ("participant_identity", "agent-1"),
        ("room_config", {"agents": [{"agent_name": "other"}]}),
        ("participant_metadata", "{}x"),
        ("participant_attributes", {"role": "admin"}),
    ],
)
def test_it_refuses_a_client_chosen_room_identity_or_configuration(consented, field, value):
    response = post_token(consented, {field: value})

    assert response.status_code == 400
    assert error_code(response) == "field_not_allowed"
    assert field in response.json()["error"]["message"]
    assert "participant_token" not in response.json()


def test_it_accepts_livekits_empty_standard_request_fields(consented):
    response = post_token(consented, {"room_name": None, "participant_name": "Ada"})
    assert response.status_code == 201


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"text"', "\xff"])
def test_a_bad_body_is_a_400_json_error_not_a_crash(consented, body):
    response = post_token(consented, body)

    assert response.status_code == 400
    assert error_code(response) == "bad_json"


def test_it_refuses_without_an_interview_in_the_session(client, invited):
    response = post_token(client)

    assert response.status_code == 403
    assert error_code(response) == "no_interview"
    assert Interview.objects.get(pk=invited.interview.pk).consent_at is None


def test_it_refuses_before_consent(joined, invited):
    response = post_token(joined)

    assert response.status_code == 403
    assert error_code(response) == "consent_required"
    assert Interview.objects.get(pk=invited.interview.pk).consent_at is None


def test_it_refuses_once_the_invite_has_expired(consented, invited):
    Interview.objects.filter(pk=invited.interview.pk).update(
        invite_expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = post_token(consented)

    assert response.status_code == 410
    assert error_code(response) == "interview_expired"


def test_it_refuses_once_the_invite_is_revoked(consented, invited):
    interview_revoke_invite(interview=invited.interview)

    response = post_token(consented)

    assert response.status_code == 410
    assert error_code(response) == "interview_revoked"
    assert Interview.objects.get(pk=invited.interview.pk).invite_revoked_at is not None


def test_it_refuses_once_the_interview_is_completed(consented, invited):
    interview_start(interview=invited.interview, ai_mode="structured")
    interview_finish(interview=invited.interview)

    response = post_token(consented)

    assert response.status_code == 410
    assert error_code(response) == "interview_completed"
    assert Interview.objects.get(pk=invited.interview.pk).status == Interview.Status.COMPLETED


def test_an_interrupted_interview_can_rejoin(consented, invited):
    interview_start(interview=invited.interview, ai_mode="structured")
    interview_interrupt(interview=invited.interview)

    response = post_token(consented)

    assert response.status_code == 201
    assert Interview.objects.get(pk=invited.interview.pk).status == Interview.Status.INTERRUPTED


def test_it_only_accepts_post(consented):
    response = consented.get(TOKEN_URL)

    assert response.status_code == 405
    assert error_code(response) == "method_not_allowed"


def test_it_enforces_csrf_with_a_json_error(invited):
    client = Client(enforce_csrf_checks=True)
    open_invite(client, invited.invite_secret)
    interview_record_consent(interview=invited.interview)

    response = post_token(client)

    assert response.status_code == 403
    assert error_code(response) == "csrf_failed"


def test_it_accepts_the_csrf_token_in_the_x_csrftoken_header(invited):
    client = Client(enforce_csrf_checks=True)
    open_invite(client, invited.invite_secret)
    interview_record_consent(interview=invited.interview)
    page = client.get("/interview/")
    csrf = page.context["config"]["csrfToken"]

    response = post_token(client, HTTP_X_CSRFTOKEN=csrf)

    assert response.status_code == 201
    assert verify(response.json()["participant_token"]).video.room == invited.interview.room_name


def test_it_rate_limits_tokens_per_interview(consented, invited, monkeypatch):
    monkeypatch.setattr(ratelimit, "TOKEN_LIMIT_PER_INTERVIEW", (3, 60))

    statuses = [post_token(consented).status_code for _ in range(4)]

    assert statuses == [201, 201, 201, 429]
    refused = post_token(consented)
    assert error_code(refused) == "rate_limited"
    assert int(refused["Retry-After"]) >= 1
    assert Interview.objects.get(pk=invited.interview.pk).status == Interview.Status.INVITED


def test_it_rate_limits_tokens_per_client_address(client, monkeypatch):
    monkeypatch.setattr(ratelimit, "TOKEN_LIMIT_PER_ADDRESS", (2, 60))
    PositionFactory(slug="open-role")
    statuses = []
    for _ in range(3):
        browser = Client(REMOTE_ADDR="203.0.113.9")
        browser.get("/apply/open-role/")
        consent_on_open_link(browser)
        statuses.append(post_token(browser).status_code)
    other_address = Client(REMOTE_ADDR="198.51.100.1")
    other_address.get("/apply/open-role/")
    consent_on_open_link(other_address)

    assert statuses == [201, 201, 429]
    assert post_token(other_address).status_code == 201
    assert Interview.objects.count() == 4


def consent_on_open_link(browser: Client) -> None:
    response = browser.post(
        "/interview/consent",
        data={"choice": "consent", "consent": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content


def test_a_client_may_hold_only_a_few_live_open_interviews(monkeypatch):
    monkeypatch.setattr(live_rooms, "MAX_LIVE_OPEN_INTERVIEWS_PER_CLIENT", 2)
    PositionFactory(slug="open-role")
    statuses = []
    for _ in range(3):
        browser = Client(REMOTE_ADDR="2001:db8:5::1")
        browser.get("/apply/open-role/")
        consent_on_open_link(browser)
        statuses.append(post_token(browser).status_code)
        Interview.objects.filter(pk=Interview.objects.latest("created_at").pk).update(
            status=Interview.Status.IN_PROGRESS
        )
    elsewhere = Client(REMOTE_ADDR="2001:db8:6::1")
    elsewhere.get("/apply/open-role/")
    consent_on_open_link(elsewhere)

    assert statuses == [201, 201, 429]
    assert post_token(elsewhere).status_code == 201


def open_link_token(address: str) -> int:
    browser = Client(REMOTE_ADDR=address)
    browser.get("/apply/open-role/")
    consent_on_open_link(browser)
    return post_token(browser).status_code


def test_tokens_not_yet_used_count_as_live_open_interviews():
    PositionFactory(slug="open-role")
    per_client = live_rooms.MAX_LIVE_OPEN_INTERVIEWS_PER_CLIENT

    statuses = [open_link_token("203.0.113.9") for _ in range(per_client + 3)]

    assert statuses == [201] * per_client + [429] * 3
    assert not Interview.objects.filter(status=Interview.Status.IN_PROGRESS).exists()
    holding = Interview.objects.filter(token_issued_at__isnull=False)
    assert holding.count() == per_client
    assert open_link_token("198.51.100.1") == 201


def test_an_expired_token_no_longer_counts_as_a_live_interview(settings):
    PositionFactory(slug="open-role")
    per_client = live_rooms.MAX_LIVE_OPEN_INTERVIEWS_PER_CLIENT
    for _ in range(per_client):
        assert open_link_token("203.0.113.9") == 201
    lifetime = timedelta(seconds=settings.LIVEKIT_TOKEN_TTL_SECONDS + 1)
    Interview.objects.update(token_issued_at=timezone.now() - lifetime)

    assert open_link_token("203.0.113.9") == 201


def test_open_link_interviews_are_capped_overall(settings):
    settings.OPEN_LINK_MAX_LIVE_INTERVIEWS = 2
    PositionFactory(slug="open-role")

    statuses = [open_link_token(f"198.51.100.{n}") for n in range(3)]

    assert statuses == [201, 201, 429]
    assert Interview.objects.filter(token_issued_at__isnull=False).count() == 2
