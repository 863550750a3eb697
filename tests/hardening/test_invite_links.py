"""Invite links: the secret never lingers, tampering and reuse are refused, a browser only
ever gets a token for its own interview, even under a burst of parallel requests."""

import logging
import string
import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from livekit import api

from interviews.models import Interview
from interviews.services.consent import interview_record_consent
from interviews.services.invites import interview_create, interview_revoke_invite
from interviews.services.lifecycle import interview_finish, interview_start
from tests.factories import CandidateFactory
from tests.hardening.conftest import joined_client
from tests.web.conftest import API_KEY, API_SECRET

pytestmark = pytest.mark.django_db


def claims(token: str):
    return api.TokenVerifier(API_KEY, API_SECRET).verify(token)


def post_token(client: Client, body: str = "{}"):
    return client.post("/interview/token", data=body, content_type="application/json")


def consented_client(new) -> Client:
    client = joined_client(new.invite_secret)
    interview_record_consent(interview=new.interview)
    return client


def test_the_secret_leaves_the_address_bar_and_is_never_sent_as_a_referer(invited):
    response = Client().get(f"/interview/{invited.invite_secret}/")

    assert response.status_code == 302
    assert response["Location"] == "/interview/"
    assert invited.invite_secret not in response["Location"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store"


def one_character_changes(secret: str) -> list[str]:
    """Every position, changed to a different URL-safe character (and cut or extended)."""
    alphabet = string.ascii_letters + string.digits + "-_"
    changed = []
    for i, char in enumerate(secret):
        other = alphabet[(alphabet.index(char) + 1) % len(alphabet)]
        changed.append(secret[:i] + other + secret[i + 1 :])
    return [*changed, secret[:-1], secret + "A"]


def test_every_one_character_change_is_a_404_that_binds_nothing(invited):
    for mangled in one_character_changes(invited.invite_secret):
        client = Client()
        response = client.get(f"/interview/{mangled}/")
        assert response.status_code == 404, mangled
        assert response["Referrer-Policy"] == "no-referrer"
        assert client.get("/interview/").status_code == 404  # nothing in the session


def test_an_expired_invite_is_a_410_even_for_the_bound_browser(invited):
    client = consented_client(invited)
    Interview.objects.filter(pk=invited.interview.pk).update(
        invite_expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert Client().get(f"/interview/{invited.invite_secret}/").status_code == 410
    assert client.get("/interview/").status_code == 410
    response = post_token(client)
    assert response.status_code == 410
    assert response.json()["error"]["code"] == "interview_expired"


def test_a_completed_interview_cannot_be_reused_by_link_page_or_token(invited):
    client = consented_client(invited)
    interview_start(interview=invited.interview, ai_mode="structured")
    interview_finish(interview=invited.interview)

    assert Client().get(f"/interview/{invited.invite_secret}/").status_code == 410
    assert client.get(f"/interview/{invited.invite_secret}/").status_code == 410
    assert client.get("/interview/").status_code == 410
    for path in ("/interview/token", "/interview/consent"):
        response = client.post(path, data="{}", content_type="application/json")
        assert response.status_code in (400, 410), path
    assert post_token(client).json()["error"]["code"] == "interview_completed"


def test_a_session_never_gets_a_token_for_another_interview(invited):
    other_candidate = CandidateFactory(email="other@example.com")
    other = interview_create(position=invited.interview.position, candidate=other_candidate)
    mine = consented_client(invited)
    consented_client(other)

    attempts = [
        "{}",
        f'{{"room_name": "{other.interview.room_name}"}}',
        f'{{"participant_identity": "{other.interview.participant_identity}"}}',
        f'{{"room_config": {{"name": "{other.interview.room_name}"}}}}',
        f'{{"interview_id": "{other.interview.public_id}"}}',
        f'{{"invite": "{other.invite_secret}"}}',
    ]
    for body in attempts:
        response = post_token(mine, body)
        if response.status_code == 201:
            grant = claims(response.json()["participant_token"])
            assert grant.video.room == invited.interview.room_name
            assert grant.identity == invited.interview.participant_identity
            assert response.json()["room_name"] == invited.interview.room_name
        else:
            assert response.status_code == 400
            assert response.json()["error"]["code"] == "field_not_allowed"
    # A forged session cookie is just an unknown session.
    forged = Client()
    forged.cookies["sessionid"] = "x" * 32
    assert post_token(forged).status_code == 403


def test_the_secret_is_never_logged_opening_or_refusing_a_link(invited, caplog):
    caplog.set_level(logging.DEBUG)
    Client().get(f"/interview/{invited.invite_secret}/")
    Client().get(f"/interview/{invited.invite_secret[:-1]}x/")
    interview_revoke_invite(interview=invited.interview)
    Client().get(f"/interview/{invited.invite_secret}/")

    logged = "\n".join(
        f"{record.getMessage()} {record.args} {record.__dict__}" for record in caplog.records
    )
    assert invited.invite_secret not in logged
    assert invited.invite_secret[:-1] not in logged


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_token_requests_share_one_room_and_one_identity(invited, monkeypatch):
    # One rate-limit window for the whole burst, wherever the clock is.
    monkeypatch.setattr(
        "interviews.services.ratelimits.time", SimpleNamespace(time=lambda: 6_000_030.0)
    )
    client = consented_client(invited)
    rooms_before = Interview.objects.count()
    barrier = threading.Barrier(20)
    responses = []
    lock = threading.Lock()

    def request_token() -> None:
        try:
            barrier.wait()
            response = post_token(client)
            with lock:
                responses.append(response)
        finally:
            connection.close()

    threads = [threading.Thread(target=request_token) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    statuses = sorted(r.status_code for r in responses)
    # The per-interview limit lets exactly 10 through in one window, across the race.
    assert statuses == [201] * 10 + [429] * 10, statuses
    granted = [r.json() for r in responses if r.status_code == 201]
    assert {g["room_name"] for g in granted} == {invited.interview.room_name}
    identities = {claims(g["participant_token"]).identity for g in granted}
    rooms = {claims(g["participant_token"]).video.room for g in granted}
    assert identities == {invited.interview.participant_identity}
    assert rooms == {invited.interview.room_name}
    for refused in (r for r in responses if r.status_code == 429):
        assert refused.json()["error"]["code"] == "rate_limited"
    assert Interview.objects.count() == rooms_before
    assert Interview.objects.get(pk=invited.interview.pk).room_name == invited.interview.room_name
