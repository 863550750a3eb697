import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from google.protobuf.json_format import MessageToJson
from livekit import api
from livekit.protocol.models import ParticipantInfo, Room
from livekit.protocol.webhook import WebhookEvent

from interviews.models import Interview, RoomEvent
from interviews.services.lifecycle import interview_interrupt
from tests.factories import InterviewFactory
from tests.web.conftest import API_KEY, API_SECRET

pytestmark = pytest.mark.django_db

URL = "/livekit/webhook"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def event_body(
    event: str,
    interview: Interview | None,
    *,
    event_id: str,
    at: datetime = T0,
    identity: str | None = None,
    kind: int = ParticipantInfo.Kind.STANDARD,
) -> str:
    message = WebhookEvent(
        event=event,
        id=event_id,
        created_at=int(at.timestamp()),
        room=Room(name=interview.room_name if interview else "some-other-room", sid="RM_x"),
    )
    if event.startswith("participant_"):
        who = identity if identity is not None else interview.participant_identity
        message.participant.CopyFrom(ParticipantInfo(identity=who, sid="PA_x", kind=kind))
    return MessageToJson(message)


def signature(body: str, *, key: str = API_KEY, secret: str = API_SECRET) -> str:
    """What LiveKit sends: a bare JWT whose sha256 claim is the base64 digest of the body."""
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    return api.AccessToken(key, secret).with_sha256(digest).with_ttl(timedelta(minutes=5)).to_jwt()


def deliver(client, body: str, auth: str | None = "sign"):
    headers = {}
    if auth == "sign":
        headers["HTTP_AUTHORIZATION"] = signature(body)
    elif auth is not None:
        headers["HTTP_AUTHORIZATION"] = auth
    return client.post(URL, data=body, content_type="application/webhook+json", **headers)


def reload(interview: Interview) -> Interview:
    return Interview.objects.get(pk=interview.pk)


@pytest.fixture
def interview(db) -> Interview:
    return InterviewFactory()


def test_a_signed_candidate_join_puts_the_interview_in_progress(client, interview):
    body = event_body("participant_joined", interview, event_id="EV_1")

    response = deliver(client, body)

    assert response.status_code == 200
    assert response.json() == {"outcome": "applied"}
    interview = reload(interview)
    assert interview.status == Interview.Status.IN_PROGRESS
    assert interview.started_at == T0
    stored = RoomEvent.objects.get(event_id="EV_1")
    assert stored.interview == interview
    assert stored.event == "participant_joined"
    assert stored.occurred_at == T0
    assert stored.outcome == "applied"


def test_the_candidate_leaving_interrupts_an_interview_in_progress(client, interview):
    deliver(client, event_body("participant_joined", interview, event_id="EV_1"))
    later = T0 + timedelta(minutes=5)

    response = deliver(client, event_body("participant_left", interview, event_id="EV_2", at=later))

    assert response.json() == {"outcome": "applied"}
    interview = reload(interview)
    assert interview.status == Interview.Status.INTERRUPTED
    assert interview.ended_at == later


def test_the_candidate_rejoining_resumes_an_interrupted_interview(client, interview):
    deliver(client, event_body("participant_joined", interview, event_id="EV_1"))
    deliver(
        client,
        event_body("participant_left", interview, event_id="EV_2", at=T0 + timedelta(minutes=1)),
    )

    deliver(
        client,
        event_body("participant_joined", interview, event_id="EV_3", at=T0 + timedelta(minutes=2)),
    )

    interview = reload(interview)
    assert interview.status == Interview.Status.IN_PROGRESS
    assert interview.started_at == T0
    assert interview.ended_at is None


def test_room_finished_interrupts_an_interview_still_in_progress(client, interview):
    deliver(client, event_body("room_started", interview, event_id="EV_0"))
    deliver(
        client,
        event_body("participant_joined", interview, event_id="EV_1", at=T0 + timedelta(seconds=1)),
    )

    response = deliver(
        client, event_body("room_finished", interview, event_id="EV_2", at=T0 + timedelta(hours=1))
    )

    assert response.json() == {"outcome": "applied"}
    assert reload(interview).status == Interview.Status.INTERRUPTED
    assert RoomEvent.objects.filter(interview=interview).count() == 3


def test_room_started_does_not_change_an_invited_interview(client, interview):
    response = deliver(client, event_body("room_started", interview, event_id="EV_0"))

    assert response.json() == {"outcome": "applied"}
    assert reload(interview).status == Interview.Status.INVITED


@pytest.mark.parametrize("status", Interview.FINISHED_STATUSES)
@pytest.mark.parametrize("event", ["participant_joined", "participant_left", "room_finished"])
def test_it_never_touches_a_finished_interview(client, status, event):
    interview = InterviewFactory(status=status, ended_at=T0)

    response = deliver(
        client, event_body(event, interview, event_id="EV_9", at=T0 + timedelta(minutes=1))
    )

    assert response.status_code == 200
    interview = reload(interview)
    assert interview.status == status
    assert interview.ended_at == T0


def test_the_agent_joining_is_not_the_candidate_joining(client, interview):
    body = event_body(
        "participant_joined",
        interview,
        event_id="EV_1",
        identity="agent-AJ_123",
        kind=ParticipantInfo.Kind.AGENT,
    )

    response = deliver(client, body)

    assert response.json() == {"outcome": "ignored"}
    assert reload(interview).status == Interview.Status.INVITED
    assert RoomEvent.objects.get(event_id="EV_1").interview is None


def test_an_event_for_an_unknown_room_is_recorded_and_ignored(client):
    response = deliver(client, event_body("room_started", None, event_id="EV_1"))

    assert response.json() == {"outcome": "ignored"}
    assert RoomEvent.objects.get(event_id="EV_1").room_name == "some-other-room"


def test_a_redelivered_event_is_applied_once(client, interview):
    deliver(client, event_body("participant_joined", interview, event_id="EV_1"))
    interview_interrupt(interview=interview)  # something else moved it meanwhile
    before = reload(interview)

    response = deliver(client, event_body("participant_joined", interview, event_id="EV_1"))

    assert response.status_code == 200
    assert response.json() == {"outcome": "duplicate"}
    assert reload(interview).status == Interview.Status.INTERRUPTED
    assert reload(interview).updated_at == before.updated_at
    assert RoomEvent.objects.filter(event_id="EV_1").count() == 1


def test_an_older_event_arriving_late_does_not_move_the_interview_back(client, interview):
    deliver(client, event_body("participant_joined", interview, event_id="EV_1", at=T0))
    deliver(
        client,
        event_body("participant_left", interview, event_id="EV_3", at=T0 + timedelta(minutes=9)),
    )

    # The join of minute 5 is delivered after the leave of minute 9.
    late = event_body(
        "participant_joined", interview, event_id="EV_2", at=T0 + timedelta(minutes=5)
    )
    response = deliver(client, late)

    assert response.json() == {"outcome": "stale"}
    interview = reload(interview)
    assert interview.status == Interview.Status.INTERRUPTED
    assert interview.ended_at == T0 + timedelta(minutes=9)
    assert RoomEvent.objects.get(event_id="EV_2").outcome == "stale"


def test_a_leave_and_join_in_the_same_second_end_with_the_leave(client, interview):
    deliver(client, event_body("participant_left", interview, event_id="EV_2", at=T0))

    response = deliver(client, event_body("participant_joined", interview, event_id="EV_1", at=T0))

    assert response.json() == {"outcome": "stale"}
    # As in-order delivery would leave it: the candidate joined, then left.
    interview = reload(interview)
    assert interview.status == Interview.Status.INTERRUPTED
    assert interview.started_at == interview.ended_at == T0


def test_a_late_room_started_does_not_undo_room_finished(client, interview):
    deliver(client, event_body("participant_joined", interview, event_id="EV_1", at=T0))
    deliver(
        client,
        event_body("room_finished", interview, event_id="EV_3", at=T0 + timedelta(minutes=1)),
    )

    response = deliver(client, event_body("room_started", interview, event_id="EV_0", at=T0))

    assert response.json() == {"outcome": "stale"}
    assert reload(interview).status == Interview.Status.INTERRUPTED


# --- Verification ------------------------------------------------------------------------


def test_an_unsigned_event_is_refused(client, interview):
    response = deliver(
        client, event_body("participant_joined", interview, event_id="EV_1"), auth=None
    )

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unsigned"
    assert reload(interview).status == Interview.Status.INVITED
    assert not RoomEvent.objects.exists()


def test_an_event_signed_with_another_secret_is_refused(client, interview):
    body = event_body("participant_joined", interview, event_id="EV_1")
    forged = signature(body, secret="another-secret-also-long-enough-0123456789")

    response = deliver(client, body, auth=forged)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_signature"
    assert reload(interview).status == Interview.Status.INVITED
    assert not RoomEvent.objects.exists()


def test_an_event_signed_with_another_key_is_refused(client, interview):
    body = event_body("participant_joined", interview, event_id="EV_1")

    response = deliver(client, body, auth=signature(body, key="other-key"))

    assert response.status_code == 401
    assert not RoomEvent.objects.exists()


def test_a_changed_body_is_refused(client, interview):
    body = event_body("participant_joined", interview, event_id="EV_1")
    auth = signature(body)
    changed = body.replace("participant_joined", "participant_left")

    response = deliver(client, changed, auth=auth)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_signature"
    assert reload(interview).status == Interview.Status.INVITED
    assert not RoomEvent.objects.exists()


def test_a_garbage_authorization_header_is_refused(client, interview):
    body = event_body("participant_joined", interview, event_id="EV_1")

    response = deliver(client, body, auth="not-a-jwt")

    assert response.status_code == 401
    assert not RoomEvent.objects.exists()


def test_a_signed_body_that_is_not_an_event_is_a_400(client):
    body = json.dumps({"event": ["not", "a", "string"]})

    response = deliver(client, body)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_event"
    assert not RoomEvent.objects.exists()


def test_a_signed_event_without_an_id_is_a_400(client, interview):
    body = event_body("participant_joined", interview, event_id="")

    response = deliver(client, body)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "event_id_missing"
    assert reload(interview).status == Interview.Status.INVITED


def test_the_webhook_needs_no_csrf_token_but_only_accepts_post(interview):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    body = event_body("participant_joined", interview, event_id="EV_1")

    assert deliver(client, body).status_code == 200
    assert client.get(URL).status_code == 405
    assert reload(interview).status == Interview.Status.IN_PROGRESS
