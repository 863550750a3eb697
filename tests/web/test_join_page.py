from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.models import Interview
from interviews.services.lifecycle import interview_finish, interview_interrupt, interview_start

pytestmark = pytest.mark.django_db


def test_the_join_page_explains_a_structured_interview_without_calling_it_ai(joined, settings):
    settings.INTERVIEW_AI = "structured"

    response = joined.get("/interview/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "Your interview for Backend engineer" in text
    assert "automated, scripted interviewer" in text
    assert "It is not an AI" in text
    assert "an AI interviewer" not in text
    assert "The session is transcribed" in text
    assert "reviews every result" in text
    assert 'id="consent"' in text
    assert "Request an alternative or an accommodation" in text
    assert response.context["config"]["consented"] is False


@pytest.mark.parametrize("mode", ["realtime", "pipeline"])
def test_the_join_page_says_an_ai_interviews_in_ai_modes(joined, settings, mode):
    settings.INTERVIEW_AI = mode

    text = joined.get("/interview/").content.decode()

    assert "an AI interviewer" in text
    assert "scripted" not in text


def test_the_mode_that_ran_wins_over_the_setting(joined, invited, settings):
    settings.INTERVIEW_AI = "realtime"
    interview_start(interview=invited.interview, ai_mode="structured")
    interview_interrupt(interview=invited.interview)

    text = joined.get("/interview/").content.decode()

    assert "automated, scripted interviewer" in text


def test_the_join_page_loads_livekit_from_our_own_static_files(joined):
    text = joined.get("/interview/").content.decode()

    assert "/static/vendor/livekit-client/livekit-client.umd.js" in text
    assert "cdn" not in text.lower()


def test_the_join_page_loads_its_scripts_in_the_order_they_build_on_each_other(joined):
    text = joined.get("/interview/").content.decode()

    scripts = [
        "captions.js",
        "join-page.js",
        "join-microphone.js",
        "join-interviewer.js",
        "join-room.js",
        "join-chat.js",
        "join-consent.js",
    ]
    positions = [text.find(f'src="/static/interviews/{script}"') for script in scripts]
    assert -1 not in positions
    assert positions == sorted(positions)
    assert "/static/interviews/join.js" not in text


def test_the_join_page_allows_connections_only_to_itself_and_livekit(joined, settings):
    settings.LIVEKIT_PUBLIC_URL = "wss://media.example:7880"

    response = joined.get("/interview/")

    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["connect-src"] == "'self' wss://media.example:7880 https://media.example:7880"
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert response["Cache-Control"] == "no-store"


def test_the_join_page_remembers_consent(consented):
    response = consented.get("/interview/")

    assert response.context["config"]["consented"] is True


def test_the_join_page_without_an_interview_is_a_friendly_404(client):
    response = client.get("/interview/")

    assert response.status_code == 404
    assert b"No interview is open in this browser" in response.content


def test_the_join_page_of_an_expired_invite_is_a_410(joined, invited):
    Interview.objects.filter(pk=invited.interview.pk).update(
        invite_expires_at=timezone.now() - timedelta(seconds=1)
    )

    response = joined.get("/interview/")

    assert response.status_code == 410
    assert b"expired" in response.content


def test_the_join_page_of_a_completed_interview_thanks_the_candidate(joined, invited):
    interview_start(interview=invited.interview, ai_mode="structured")
    interview_finish(interview=invited.interview)

    response = joined.get("/interview/")

    assert response.status_code == 410
    assert b"already complete" in response.content
    assert Interview.objects.get(pk=invited.interview.pk).status == Interview.Status.COMPLETED
