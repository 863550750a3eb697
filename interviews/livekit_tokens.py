"""The candidate's LiveKit access token: what the browser may do in the interview room.

The token is short-lived (settings.LIVEKIT_TOKEN_TTL_SECONDS, never more than 10 minutes),
joins exactly one room (the interview's), under an identity tied to the interview, and may
publish only the microphone plus text (captions and chat); it subscribes to the
interviewer. Its room configuration dispatches the interviewer agent with the metadata
defined in interviews.dispatch, unless the candidate waits in line for one
(interviews.services.interview_queue sends it when their turn comes). Nothing in it comes
from the client.

A recruiter watching live gets `observer_token`: hidden, subscribe-only, no dispatch.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from livekit import api

from interviews.dispatch import DispatchMetadata
from interviews.models import Interview

MAX_TOKEN_TTL = timedelta(minutes=10)
CANDIDATE_SOURCES = ["microphone"]


# Seconds a room outlives its last participant. Short, so that a candidate who rejoins
# after losing the interviewer gets a new room, and with it a new interviewer that
# resumes from the database.
ROOM_DEPARTURE_TIMEOUT = 3


def participant_name(interview: Interview) -> str:
    return interview.candidate.name if interview.candidate is not None else "Candidate"


def token_ttl() -> timedelta:
    return min(timedelta(seconds=settings.LIVEKIT_TOKEN_TTL_SECONDS), MAX_TOKEN_TTL)


def candidate_token(interview: Interview, *, dispatch: bool = True) -> str:
    agents = [
        api.RoomAgentDispatch(
            agent_name=settings.LIVEKIT_AGENT_NAME,
            metadata=DispatchMetadata(interview_id=interview.public_id).to_json(),
        )
    ]
    grants = api.VideoGrants(
        room_join=True,
        room=interview.room_name,
        room_create=False,
        room_list=False,
        room_admin=False,
        can_publish=True,
        can_publish_sources=CANDIDATE_SOURCES,
        can_publish_data=True,
        can_subscribe=True,
        can_update_own_metadata=False,
        hidden=False,
    )
    return (
        api.AccessToken(settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET)
        .with_identity(interview.participant_identity)
        .with_name(participant_name(interview))
        .with_kind("standard")
        .with_ttl(token_ttl())
        .with_grants(grants)
        .with_room_config(
            api.RoomConfiguration(
                agents=agents if dispatch else [], departure_timeout=ROOM_DEPARTURE_TIMEOUT
            )
        )
        .to_jwt()
    )


def observer_identity(user_id: int) -> str:
    return f"observer-{user_id}-{secrets.token_hex(4)}"


def observer_token(interview: Interview, *, user_id: int) -> str:
    """A recruiter following the interview: hidden from the candidate and the interviewer,
    subscribe-only (no audio, video or data of their own), for this one room, short-lived.
    It carries no room configuration, so it never dispatches an interviewer; a fresh
    identity each time lets one recruiter watch from two tabs."""
    grants = api.VideoGrants(
        room_join=True,
        room=interview.room_name,
        room_create=False,
        room_list=False,
        room_admin=False,
        room_record=False,
        can_publish=False,
        can_publish_sources=[],
        can_publish_data=False,
        can_subscribe=True,
        can_update_own_metadata=False,
        hidden=True,
    )
    return (
        api.AccessToken(settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET)
        .with_identity(observer_identity(user_id))
        .with_name("Observer")
        .with_kind("standard")
        .with_ttl(token_ttl())
        .with_grants(grants)
        .to_jwt()
    )
