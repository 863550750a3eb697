"""A candidate may ask not to be recorded, as an accommodation: the interview then goes on
unrecorded, or, where the position requires a recording, a recruiter follows up and the
interview does not start."""

import json

import pytest

from interviews.models import Interview, Position

pytestmark = pytest.mark.django_db


def ask_not_to_be_recorded(client):
    return client.post(
        "/interview/consent",
        data=json.dumps({"choice": "accommodation", "note": "", "no_recording": True}),
        content_type="application/json",
    )


def test_the_join_page_offers_to_ask_not_to_be_recorded(joined):
    page = joined.get("/interview/")

    assert 'id="accommodation-no-recording"' in page.content.decode()
    assert "You can still take it now, unrecorded." in page.content.decode()


def test_a_position_that_does_not_record_does_not_offer_it(joined, invited):
    Position.objects.filter(pk=invited.interview.position_id).update(records_interviews=False)

    page = joined.get("/interview/")

    assert 'id="accommodation-no-recording"' not in page.content.decode()


def test_asking_not_to_be_recorded_lets_the_interview_go_on_unrecorded(consented, invited):
    response = ask_not_to_be_recorded(consented)
    token = consented.post("/interview/token", data={}, content_type="application/json")

    interview = Interview.objects.get(pk=invited.interview.pk)
    assert response.status_code == 200 and response.json()["can_go_on"] is True
    assert interview.recording_declined_at is not None
    assert interview.accommodation_requested_at is not None
    assert token.status_code != 403


def test_where_a_recording_is_required_the_interview_does_not_start(consented, invited):
    Position.objects.filter(pk=invited.interview.position_id).update(goes_on_unrecorded=False)

    response = ask_not_to_be_recorded(consented)
    token = consented.post("/interview/token", data={}, content_type="application/json")

    assert response.json()["can_go_on"] is False
    assert "a recruiter will follow up" in response.json()["message"]
    assert token.status_code == 403
    assert token.json()["error"]["code"] == "recording_required"
    assert Interview.objects.get(pk=invited.interview.pk).status == Interview.Status.INVITED
