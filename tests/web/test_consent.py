import json

import pytest
from django.test import Client
from django.utils import timezone

from interviews.models import Interview
from interviews.services.invites import interview_revoke_invite
from tests.web.conftest import open_invite

pytestmark = pytest.mark.django_db

URL = "/interview/consent"


def post(client: Client, body, **extra):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **extra)


def reload(interview: Interview) -> Interview:
    return Interview.objects.get(pk=interview.pk)


def test_consent_is_recorded_with_its_time(joined, invited):
    before = timezone.now()

    response = post(joined, {"choice": "consent", "consent": True})

    assert response.status_code == 200
    consent_at = reload(invited.interview).consent_at
    assert consent_at is not None and consent_at >= before
    assert response.json() == {"consent_at": consent_at.isoformat()}


def test_consenting_again_keeps_the_first_time(joined, invited):
    post(joined, {"choice": "consent", "consent": True})
    first = reload(invited.interview).consent_at

    response = post(joined, {"choice": "consent", "consent": True})

    assert response.status_code == 200
    assert reload(invited.interview).consent_at == first


@pytest.mark.parametrize("value", [False, "yes", None, 1])
def test_consent_needs_an_explicit_true(joined, invited, value):
    response = post(joined, {"choice": "consent", "consent": value})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "consent_missing"
    assert reload(invited.interview).consent_at is None


def test_an_accommodation_request_is_recorded_with_its_note(joined, invited):
    response = post(joined, {"choice": "accommodation", "note": "  I use a screen reader.  "})

    assert response.status_code == 200
    assert "recruiter will follow up" in response.json()["message"]
    interview = reload(invited.interview)
    assert interview.accommodation_requested_at is not None
    assert interview.accommodation_note == "I use a screen reader."
    assert interview.consent_at is None  # asking for an alternative is not consenting


def test_an_accommodation_request_needs_no_note(joined, invited):
    response = post(joined, {"choice": "accommodation"})

    assert response.status_code == 200
    interview = reload(invited.interview)
    assert interview.accommodation_requested_at is not None
    assert interview.accommodation_note == ""


def test_an_overlong_accommodation_note_is_refused(joined, invited):
    response = post(joined, {"choice": "accommodation", "note": "x" * 2001})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "note_too_long"
    assert reload(invited.interview).accommodation_requested_at is None


def test_a_non_text_note_is_refused(joined, invited):
    response = post(joined, {"choice": "accommodation", "note": ["x"]})

    assert response.status_code == 400
    assert reload(invited.interview).accommodation_requested_at is None


def test_an_unknown_choice_is_refused(joined, invited):
    response = post(joined, {"choice": "maybe"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "choice_invalid"
    assert reload(invited.interview).consent_at is None


def test_a_bad_body_is_a_400(joined, invited):
    response = post(joined, "{oops")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_json"
    assert reload(invited.interview).consent_at is None


def test_it_needs_an_interview_in_the_session(client, invited):
    response = post(client, {"choice": "consent", "consent": True})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "no_interview"
    assert reload(invited.interview).consent_at is None


def test_it_refuses_consent_for_a_revoked_invite(joined, invited):
    interview_revoke_invite(interview=invited.interview)

    response = post(joined, {"choice": "consent", "consent": True})

    assert response.status_code == 410
    assert response.json()["error"]["code"] == "interview_revoked"
    assert reload(invited.interview).consent_at is None


def test_it_enforces_csrf(invited):
    client = Client(enforce_csrf_checks=True)
    open_invite(client, invited.invite_secret)

    response = post(client, {"choice": "consent", "consent": True})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    assert reload(invited.interview).consent_at is None
