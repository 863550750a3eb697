"""The join page's "is the interviewer coming?" when there is nothing to look at, or
LiveKit cannot be reached: a clear JSON answer, never a 500. The room itself is looked at
against a real livekit-server in tests/e2e/test_interviewer_sent_again.py."""

from types import SimpleNamespace

from django.test import Client

from devtools.processes import free_port
from interviews.models import Interview
from interviews.services import ratelimits
from interviews.services.lifecycle import interview_finish, interview_start


def test_asking_needs_an_interview_in_this_browser(client: Client, db):
    response = client.post("/interview/interviewer", content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "no_interview"


def test_asking_is_a_post(joined: Client):
    response = joined.get("/interview/interviewer")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_a_finished_interview_is_told_so_without_asking_livekit(joined: Client, invited, settings):
    settings.LIVEKIT_URL = f"ws://127.0.0.1:{free_port()}"  # nothing listens: never reached
    interview_start(interview=invited.interview, ai_mode="structured")
    interview_finish(interview=invited.interview)
    response = joined.post("/interview/interviewer", content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"interviewer": "finished"}


def test_livekit_out_of_reach_is_a_503_the_page_can_wait_through(joined: Client, invited, settings):
    settings.LIVEKIT_URL = f"ws://127.0.0.1:{free_port()}"
    response = joined.post("/interview/interviewer", content_type="application/json")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "livekit_unreachable"
    assert response["Retry-After"] == "5"
    interview = Interview.objects.get(pk=invited.interview.pk)
    assert interview.interviewer_sent_at is None  # nothing was sent


def test_asking_too_often_is_refused_with_a_429(joined: Client, invited, settings, monkeypatch):
    # The limit counts per fixed window: the test's 41 requests all fall in one window,
    # whatever the clock says when it starts.
    monkeypatch.setattr(ratelimits, "time", SimpleNamespace(time=lambda: 1_000_000.5))
    settings.LIVEKIT_URL = f"ws://127.0.0.1:{free_port()}"
    interview_start(interview=invited.interview, ai_mode="structured")
    interview_finish(interview=invited.interview)
    codes = [
        joined.post("/interview/interviewer", content_type="application/json").status_code
        for _ in range(41)
    ]
    assert codes[:40] == [200] * 40
    assert codes[40] == 429
