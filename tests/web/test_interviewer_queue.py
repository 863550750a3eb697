"""Every interviewer busy: the token does not send one, and the candidate's page is told
their place and the wait, until a slot frees and it is their turn."""

from django.test import Client
from livekit import api

from devtools.processes import free_port
from interviews.models import Interview
from interviews.services.interview_queue import worker_report
from tests.web.conftest import API_KEY, API_SECRET


def every_interviewer_busy() -> None:
    worker_report(worker_id="busy", capacity=1, in_use=1, draining=False)


def test_a_token_while_every_interviewer_is_busy_sends_none_and_says_the_place(
    consented: Client, invited
):
    every_interviewer_busy()

    response = consented.post("/interview/token", data={}, content_type="application/json")

    assert response.status_code == 201
    body = response.json()
    claims = api.TokenVerifier(API_KEY, API_SECRET).verify(body["participant_token"])
    assert list(claims.room_config.agents) == []  # sent when the turn comes
    assert body["queue"]["place"] == 1
    assert body["queue"]["estimate_seconds"] > 0
    assert Interview.objects.get(pk=invited.interview.pk).queued_at is not None


def test_a_token_with_a_free_slot_sends_the_interviewer(consented: Client):
    worker_report(worker_id="free", capacity=2, in_use=1, draining=False)

    body = consented.post("/interview/token", data={}, content_type="application/json").json()

    claims = api.TokenVerifier(API_KEY, API_SECRET).verify(body["participant_token"])
    assert len(claims.room_config.agents) == 1
    assert body["queue"] is None


def test_the_waiting_page_is_told_its_place_without_asking_livekit(consented: Client, settings):
    every_interviewer_busy()
    consented.post("/interview/token", data={}, content_type="application/json")
    settings.LIVEKIT_URL = f"ws://127.0.0.1:{free_port()}"  # nothing listens: never reached

    response = consented.post("/interview/interviewer", content_type="application/json")

    assert response.status_code == 200
    body = response.json()
    assert body["interviewer"] == "queued"
    assert body["queue"]["place"] == 1
    assert response["Cache-Control"] == "no-store"


def test_when_the_turn_comes_the_page_learns_it_and_the_interviewer_is_sent(
    consented: Client, invited, settings
):
    every_interviewer_busy()
    consented.post("/interview/token", data={}, content_type="application/json")
    worker_report(worker_id="busy", capacity=1, in_use=0, draining=False)  # one ended
    settings.LIVEKIT_URL = f"ws://127.0.0.1:{free_port()}"

    response = consented.post("/interview/interviewer", content_type="application/json")

    # Admitted: the server now looks at the room to send the interviewer (LiveKit is out
    # of reach here: the page is told to keep waiting), and the place is given up.
    assert response.status_code == 503
    interview = Interview.objects.get(pk=invited.interview.pk)
    assert interview.queued_at is None
    assert interview.admitted_at is not None
