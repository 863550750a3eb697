"""The second security review's findings, as behaviour (issue 22)."""

import pytest
from django.test import Client

from interviews.models import Interview
from interviews.services.consent import interview_record_consent
from interviews.services.invites import interview_reissue_invite, interview_revoke_invite
from tests.hardening.conftest import joined_client

pytestmark = pytest.mark.django_db


def post_json(client: Client, path: str, body: str):
    return client.post(path, data=body, content_type="application/json")


# --- F13: a lone surrogate is a bad body ------------------------------------------------


@pytest.mark.parametrize("path", ["/interview/consent", "/interview/token"])
def test_a_lone_surrogate_in_a_json_body_is_a_400_json_error(invited, path):
    client = joined_client(invited.invite_secret)

    response = post_json(client, path, '{"choice": "accommodation", "note": "\\ud800"}')

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_json"
    interview = Interview.objects.get(pk=invited.interview.pk)
    assert interview.accommodation_requested_at is None


# --- F4: a reissued link ends the old link's sessions ----------------------------------


def test_a_revoked_and_reissued_invite_ends_the_old_browser_session(invited):
    old_browser = joined_client(invited.invite_secret)
    interview_record_consent(interview=invited.interview)
    interview_revoke_invite(interview=invited.interview)
    reissued = interview_reissue_invite(interview=invited.interview)

    refused = post_json(old_browser, "/interview/token", "{}")
    page = old_browser.get("/interview/")
    new_browser = joined_client(reissued.invite_secret)
    issued = post_json(new_browser, "/interview/token", "{}")

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "no_interview"
    assert page.status_code == 404
    assert issued.status_code == 201
    assert Interview.objects.get(pk=invited.interview.pk).invite_revoked_at is None
