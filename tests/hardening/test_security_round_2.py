"""The second security review's findings, as behaviour (issue 22)."""

import pytest
from django.test import Client

from interviews.models import Interview
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
