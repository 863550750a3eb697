"""Sending the interviewer again to a candidate who waits in the room without one.

The candidate's token dispatches the interviewer once, when the room starts. LiveKit does
not try that dispatch again when it found no worker (a `runagent` restarting or being
deployed): the candidate would wait in silence. While the candidate waits, the join page
asks the server every few seconds; the server looks at the room and, when no interviewer
is in it or on its way, dispatches one again through LiveKit's agent dispatch service.
However many pages or web processes ask, an interview is sent an interviewer at most once
per `RESEND_AFTER`: the pacing is one conditional UPDATE in the database.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from asgiref.sync import async_to_sync
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from livekit import api
from livekit.protocol.agent import JobStatus
from livekit.protocol.models import ParticipantInfo

from interviews.dispatch import DispatchMetadata
from interviews.models import Interview
from interviews.services import interview_queue

logger = logging.getLogger(__name__)

# How long a dispatch may take to bring an interviewer into the room before another is
# sent: a worker takes a few seconds to start a job (a process, the models, the room).
RESEND_AFTER = timedelta(seconds=8)
# A job LiveKit still calls pending or running this long after its last update, with no
# interviewer in the room, belonged to a worker that is gone.
JOB_LOST_AFTER = timedelta(seconds=20)
_UNDERWAY = (JobStatus.JS_PENDING, JobStatus.JS_RUNNING)


class Interviewer(StrEnum):
    """Where the interviewer stands, as the join page is told."""

    PRESENT = "present"  # in the room
    COMING = "coming"  # a worker has the job: joining
    SENT = "sent"  # dispatched again just now
    WAITING = "waiting"  # sent again moments ago: give it time
    NOT_IN_ROOM = "not_in_room"  # the candidate is not in the room (yet, or any more)
    FINISHED = "finished"  # the interview is over: nobody is sent
    QUEUED = "queued"  # every interviewer is busy: the candidate waits in line


@dataclass(frozen=True)
class InterviewerNews:
    interviewer: Interviewer
    # In line: the place and the estimate of the wait.
    queue: interview_queue.Admission | None = None


def _job_underway(dispatches: list[api.AgentDispatch], agent_name: str, now: datetime) -> bool:
    for dispatch in dispatches:
        if dispatch.agent_name != agent_name:
            continue
        for job in dispatch.state.jobs:
            updated = job.state.updated_at or job.state.started_at
            # LiveKit's job times are Unix seconds (0 when unset).
            recent = updated == 0 or now.timestamp() - updated < JOB_LOST_AFTER.total_seconds()
            if job.state.status in _UNDERWAY and recent:
                return True
    return False


def _claim_resend(interview: Interview, now: datetime) -> bool:
    """True for the one asker that may send the interviewer now (one UPDATE, so two web
    processes asking at once never both send)."""
    return bool(
        Interview.objects.filter(pk=interview.pk)
        .filter(
            Q(interviewer_sent_at__isnull=True) | Q(interviewer_sent_at__lte=now - RESEND_AFTER)
        )
        .update(interviewer_sent_at=now)
    )


def _livekit() -> api.LiveKitAPI:
    return api.LiveKitAPI(
        settings.LIVEKIT_URL, settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET
    )


async def _room_state(interview: Interview, now: datetime) -> Interviewer | None:
    """What the room shows, or None when the candidate waits there with no interviewer
    in it or on its way."""
    async with _livekit() as livekit:
        rooms = await livekit.room.list_rooms(api.ListRoomsRequest(names=[interview.room_name]))
        if not rooms.rooms:
            return Interviewer.NOT_IN_ROOM
        people = await livekit.room.list_participants(
            api.ListParticipantsRequest(room=interview.room_name)
        )
        if any(p.kind == ParticipantInfo.Kind.AGENT for p in people.participants):
            return Interviewer.PRESENT
        if not any(p.identity == interview.participant_identity for p in people.participants):
            return Interviewer.NOT_IN_ROOM
        dispatches = await livekit.agent_dispatch.list_dispatch(interview.room_name)
        if _job_underway(dispatches, settings.LIVEKIT_AGENT_NAME, now):
            return Interviewer.COMING
    return None


async def _send(interview: Interview) -> None:
    async with _livekit() as livekit:
        await livekit.agent_dispatch.create_dispatch(
            api.CreateAgentDispatchRequest(
                agent_name=settings.LIVEKIT_AGENT_NAME,
                room=interview.room_name,
                metadata=DispatchMetadata(interview_id=interview.public_id).to_json(),
            )
        )


def interviewer_send_if_missing(
    *, interview: Interview, now: datetime | None = None
) -> InterviewerNews:
    """Where the interviewer of this candidate's room stands; sends one again when the
    candidate is in the room and no interviewer is in it or on its way. A candidate in
    line for an interviewer (interviews.services.interview_queue) is sent one when their
    turn comes, and told their place until then.

    Raises `api.TwirpError` or `aiohttp.ClientError` when LiveKit cannot be reached."""
    if interview.is_finished:
        return InterviewerNews(Interviewer.FINISHED)
    now = now or timezone.now()
    if interview_queue.is_waiting(interview):
        admission = interview_queue.interview_admit_or_queue(interview=interview, now=now)
        if not admission.admitted:
            return InterviewerNews(Interviewer.QUEUED, queue=admission)
        interview.refresh_from_db(fields=["interviewer_sent_at"])
    seen = async_to_sync(_room_state)(interview, now)
    if seen is not None:
        return InterviewerNews(seen)
    if not _claim_resend(interview, now):
        return InterviewerNews(Interviewer.WAITING)
    async_to_sync(_send)(interview)
    logger.info("Interviewer sent again", extra={"interview": str(interview.public_id)})
    return InterviewerNews(Interviewer.SENT)
