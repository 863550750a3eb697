from datetime import timedelta

import jwt
import pytest
from django.test import Client
from django.urls import reverse
from livekit import api

from interviews import livekit_tokens
from interviews.models import Interview
from interviews.services.lifecycle import interview_finish, interview_start
from tests.dashboard.conftest import LIVEKIT_KEY, LIVEKIT_SECRET

pytestmark = pytest.mark.django_db


def watch_url(interview: Interview) -> str:
    return reverse("admin:interviews_interview_watch", args=[interview.pk])


def token_url(interview: Interview) -> str:
    return reverse("admin:interviews_interview_watch_token", args=[interview.pk])


@pytest.fixture
def in_progress(invited) -> Interview:
    return interview_start(interview=invited, ai_mode="structured")


def test_a_recruiter_gets_a_hidden_subscribe_only_token_for_the_one_room(
    recruiter, logged_in, in_progress
):
    response = logged_in(recruiter).post(token_url(in_progress))

    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["room_name"] == in_progress.room_name
    claims = api.TokenVerifier(LIVEKIT_KEY, LIVEKIT_SECRET).verify(data["participant_token"])
    grants = claims.video
    assert grants.room_join is True
    assert grants.room == in_progress.room_name
    assert grants.hidden is True
    assert grants.can_publish is False
    assert grants.can_publish_data is False
    assert not grants.can_publish_sources
    assert grants.can_subscribe is True
    assert not grants.room_admin and not grants.room_create and not grants.room_list
    assert claims.identity.startswith(f"observer-{recruiter.pk}-")
    assert claims.identity != in_progress.participant_identity
    assert claims.room_config is None or not claims.room_config.agents


def test_the_observer_token_lives_at_most_ten_minutes(settings, in_progress):
    settings.LIVEKIT_TOKEN_TTL_SECONDS = 6 * 3600
    token = livekit_tokens.observer_token(in_progress, user_id=1)
    claims = jwt.decode(token, LIVEKIT_SECRET, algorithms=["HS256"])
    assert timedelta(seconds=claims["exp"] - claims["nbf"]) <= timedelta(minutes=10)
    assert "roomConfig" not in claims


def test_each_observer_token_has_its_own_identity(in_progress):
    verifier = api.TokenVerifier(LIVEKIT_KEY, LIVEKIT_SECRET)
    first = verifier.verify(livekit_tokens.observer_token(in_progress, user_id=7)).identity
    second = verifier.verify(livekit_tokens.observer_token(in_progress, user_id=7)).identity
    assert first != second


def test_the_candidate_token_still_dispatches_the_interviewer(in_progress):
    claims = api.TokenVerifier(LIVEKIT_KEY, LIVEKIT_SECRET).verify(
        livekit_tokens.candidate_token(in_progress)
    )
    assert claims.video.hidden is False
    assert claims.video.can_publish is True
    assert len(claims.room_config.agents) == 1


def test_no_token_for_a_finished_interview(recruiter, logged_in, in_progress):
    interview_finish(interview=in_progress)
    response = logged_in(recruiter).post(token_url(in_progress))
    assert response.status_code == 410
    assert response.json()["error"]["code"] == "interview_finished"
    assert "participant_token" not in response.json()


def test_no_token_before_the_candidate_has_joined(recruiter, logged_in, invited):
    response = logged_in(recruiter).post(token_url(invited))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_in_progress"


def test_no_token_for_users_who_are_not_staff_or_not_logged_in(
    client, outsider, logged_in, in_progress
):
    for refused in (client, logged_in(outsider)):
        response = refused.post(token_url(in_progress))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        assert b"participant_token" not in response.content


def test_no_token_for_staff_without_the_view_permission(staff_without_view, logged_in, in_progress):
    assert logged_in(staff_without_view).post(token_url(in_progress)).status_code == 403


def test_the_token_needs_a_post_with_a_csrf_token(recruiter, in_progress):
    client = Client(enforce_csrf_checks=True)
    client.force_login(recruiter)
    assert client.get(token_url(in_progress)).status_code == 405
    assert client.post(token_url(in_progress)).status_code == 403


def test_the_watch_page_loads_the_livekit_client_under_the_join_page_policy(
    recruiter, logged_in, in_progress
):
    response = logged_in(recruiter).get(watch_url(in_progress))
    assert response.status_code == 200
    assert b"vendor/livekit-client/livekit-client.umd.js" in response.content
    assert b"interviews/watch.js" in response.content
    assert token_url(in_progress).encode() in response.content
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "media-src 'self' blob: mediastream:" in policy
    assert "unsafe-inline" not in policy


def test_the_watch_page_is_refused_to_users_who_are_not_staff(outsider, logged_in, in_progress):
    response = logged_in(outsider).get(watch_url(in_progress))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_watch_page_says_when_there_is_nothing_to_watch(recruiter, logged_in, invited):
    response = logged_in(recruiter).get(watch_url(invited))
    assert response.status_code == 200
    assert b"not in progress" in response.content
