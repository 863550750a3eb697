"""Live interview updates for the recruiters' dashboard, sent over the Channels layer.

The services that change an interview's status call `broadcast_interview_change`; the
message leaves when the transaction commits, so the dashboard never shows a change that
was rolled back. A broadcast never breaks or slows a service: with the in-memory layer it
is a queue put in this process; with any other layer (Redis) it is handed to a background
thread, and a failure there is logged and dropped.

Who hears a broadcast depends on the layer:
- REDIS_URL set: every process shares the layer, so a change made by the interviewer
  agent (`runagent`) reaches the dashboards served by the web process at once.
- The in-memory default: only consumers in the process that made the change. Changes
  made in the web process (the admin, the candidate's page, LiveKit webhooks) arrive at
  once; the agent's own changes do not. The web side still learns them soon: every
  LiveKit webhook about an interview's room re-announces the interview's state as the
  database holds it (the candidate joining or leaving, the room closing), and the
  dashboard polls its JSON snapshot every few seconds as a fallback. One machine, no
  extra server, at the price of a few seconds' delay for what only the agent saw.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

if TYPE_CHECKING:
    from interviews.models import Interview

logger = logging.getLogger(__name__)

DASHBOARD_GROUP = "interview-dashboard"
MESSAGE_TYPE = "interview.changed"
# A layer that does not answer in this time (Redis unreachable) loses the message.
SEND_TIMEOUT_SECONDS = 2.0

# One thread, so that messages to a remote layer leave in the order they were made.
_sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dashboard-broadcast")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def interview_payload(interview: Interview) -> dict:
    """What a dashboard learns about a change. No candidate data: the message crosses the
    channel layer (Redis in production); the dashboard fetches names over HTTPS."""
    return {
        "id": str(interview.public_id),
        "status": interview.status,
        "status_label": interview.get_status_display(),
        "position": interview.position.title,
        "started_at": _iso(interview.started_at),
        "ended_at": _iso(interview.ended_at),
        "updated_at": _iso(interview.updated_at),
    }


def broadcast_interview_change(interview: Interview) -> None:
    """Tell the live dashboards about the interview's state, once the transaction commits."""
    try:
        message = {"type": MESSAGE_TYPE, "interview": interview_payload(interview)}
    except Exception as exc:  # a broadcast must never fail the service that calls it
        _log_failure(exc, interview_id=str(interview.public_id))
        return
    transaction.on_commit(lambda: send(message))


def send(message: dict) -> Future | None:
    """Send now. Returns the background send's future for a remote layer (tests wait on it)."""
    try:
        layer = get_channel_layer()
        if layer is None:
            return None
        if isinstance(layer, InMemoryChannelLayer):
            # Its queues belong to this process's event loop: send from there, at once.
            async_to_sync(_group_send)(layer, message)
            return None
        return _sender.submit(_send_in_background, layer, message)
    except Exception as exc:
        _log_failure(exc, interview_id=message["interview"]["id"])
        return None


def _send_in_background(layer, message: dict) -> None:
    try:
        async_to_sync(_group_send)(layer, message)
    except Exception as exc:
        _log_failure(exc, interview_id=message["interview"]["id"])


async def _group_send(layer, message: dict) -> None:
    await asyncio.wait_for(layer.group_send(DASHBOARD_GROUP, message), SEND_TIMEOUT_SECONDS)


def _log_failure(exc: BaseException, *, interview_id: str) -> None:
    # The exception's text may hold a layer address; its kind is enough to act on.
    logger.warning(
        "Dashboard broadcast failed (%s)",
        type(exc).__name__,
        extra={"interview": interview_id},
    )
