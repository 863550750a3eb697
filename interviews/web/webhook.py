"""LiveKit's webhook: room and participant events, signed with the API secret."""

import logging
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from google.protobuf.json_format import ParseError
from livekit import api

from interviews.services import room_events
from interviews.web.guard import guarded
from interviews.web.http import json_error

logger = logging.getLogger(__name__)


@csrf_exempt
@guarded(as_json=True)
def livekit_webhook(request: HttpRequest) -> HttpResponse:
    """Room and participant events from LiveKit, signed with the API secret."""
    if request.method != "POST":
        return json_error(405, "method_not_allowed", "Use POST.", Allow="POST")
    auth = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not auth:
        return json_error(401, "unsigned", "The Authorization header is missing.")
    try:
        body = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return json_error(400, "bad_body", "The body is not UTF-8 text.")
    receiver = api.WebhookReceiver(
        api.TokenVerifier(settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET)
    )
    try:
        event = receiver.receive(body, auth)
    except ParseError:
        return json_error(400, "bad_event", "The body is not a LiveKit webhook event.")
    except Exception:  # the library raises plain Exception for a body that does not match
        logger.warning("Webhook with a bad signature refused")
        return json_error(401, "bad_signature", "The signature does not match this body.")
    try:
        occurred_at = datetime.fromtimestamp(event.created_at, tz=UTC) if event.created_at else None
    except (ValueError, OverflowError, OSError):
        return json_error(400, "bad_event", "The event's time is out of range.")
    try:
        outcome = room_events.room_event_process(
            event_id=event.id,
            event=event.event,
            room_name=event.room.name,
            participant_identity=event.participant.identity,
            occurred_at=occurred_at or datetime.now(tz=UTC),
        )
    except ValidationError as error:
        return json_error(400, error.code or "invalid", error.messages[0])
    logger.info("Webhook %s: %s", event.event, outcome, extra={"room": event.room.name})
    return JsonResponse({"outcome": outcome})
