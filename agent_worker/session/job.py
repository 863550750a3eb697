"""One interview, as one LiveKit job: find the interview the dispatch names, mark it in
progress, connect to the room, start the session for the configured interviewer, record
it when it is to be recorded (session.recording) and greet the candidate as soon as it
can hear. The running interview, tied to its record until the job ends, is an
InterviewRun (interview_run).
"""

import asyncio
import contextlib
import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import ValidationError
from livekit.agents import JobContext

from agent_worker import prompts
from agent_worker.ai_modes import build_session
from agent_worker.interviewer import Interviewer
from agent_worker.session.run import InterviewRun
from interviews.dispatch import DispatchMetadata, DispatchMetadataError
from interviews.models import Interview
from interviews.selectors.interviews import interview_by_public_id, interview_by_room_name
from interviews.services import lifecycle, recordings

logger = logging.getLogger(__name__)

# The interviewer's participant attribute that tells the join page whether speaking works.
HEARS_SPEECH_ATTRIBUTE = "interview.hears_speech"
# The job greets once its room output reaches the candidate; after this it greets anyway.
ROOM_READY_TIMEOUT_SECONDS = 30.0


def _find_interview(metadata: str, room_name: str) -> Interview | None:
    try:
        public_id = DispatchMetadata.from_json(metadata).interview_id
    except DispatchMetadataError:
        # `runagent connect --room` starts a job without dispatch metadata: the room an
        # interview was created with names it just as well.
        return interview_by_room_name(room_name=room_name) if room_name else None
    return interview_by_public_id(public_id=str(public_id))


def _records(interview: Interview) -> bool:
    # Deciding never stops the interview: in doubt, nothing is recorded.
    try:
        return recordings.recording_decide(interview=interview)
    except Exception:
        logger.exception(
            "could not decide whether to record", extra={"interview": str(interview.public_id)}
        )
        return False


def _start(interview: Interview, mode: str) -> tuple[Interview, prompts.InterviewContext, bool]:
    resuming = interview.asked.exists()
    interview = lifecycle.interview_start(interview=interview, ai_mode=mode)
    context = prompts.InterviewContext(
        position_title=interview.position.title,
        position_description=interview.position.description,
        personal_invite=interview.kind == Interview.Kind.PERSONAL
        and interview.candidate_id is not None,
        resuming=resuming,
    )
    return interview, context, _records(interview)


async def _find_and_start(
    ctx: JobContext,
) -> tuple[Interview, prompts.InterviewContext, bool] | None:
    interview = await sync_to_async(_find_interview)(ctx.job.metadata, ctx.job.room.name)
    if interview is None:
        logger.warning("no interview for this job; leaving", extra={"room": ctx.job.room.name})
        ctx.shutdown(reason="no interview")
        return None
    try:
        return await sync_to_async(_start)(interview, settings.INTERVIEW_AI)
    except ValidationError as error:
        logger.warning(
            "interview cannot start; leaving",
            extra={"interview": str(interview.public_id), "reason": error.messages[0]},
        )
        ctx.shutdown(reason="interview finished")
        return None


async def _abandon(connecting: "asyncio.Future[None] | None") -> None:
    """The job leaves: the connection it began is finished or given up, never left
    running unobserved."""
    if connecting is None:
        return
    if not connecting.done():
        connecting.cancel()
    with contextlib.suppress(BaseException):
        await connecting


async def run_interview(ctx: JobContext) -> InterviewRun | None:
    """Start the interview this job was dispatched for; None when there is nothing to run."""
    # The room connection (a network round trip or two) runs while the database finds
    # and starts the interview: the greeting waits for both, not for one after the other.
    connecting = None if ctx.is_fake_job() else asyncio.ensure_future(ctx.connect())
    try:
        started = await _find_and_start(ctx)
    except BaseException:
        await _abandon(connecting)
        raise
    if started is None:
        await _abandon(connecting)
        return None
    interview, context, records = started

    mode = settings.INTERVIEW_AI
    plan = build_session(
        mode, vad_model=ctx.proc.userdata.get("vad"), stt_model=ctx.proc.userdata.get("stt")
    )
    fake = ctx.is_fake_job()
    agent = Interviewer(
        interview=interview,
        context=context,
        hears_speech=plan.hears_speech,
        greet_on_enter=fake,
    )
    run = InterviewRun(ctx=ctx, plan=plan, interview=interview, agent=agent)
    run.attach()
    logger.info(
        "interview starting",
        extra={
            "interview": agent.interview_ref,
            "mode": mode,
            "resuming": context.resuming,
            "hears_speech": plan.hears_speech,
        },
    )
    if fake:
        # LiveKit's console and in-process tests: no real room to publish to; the session
        # is driven directly (text) or by the console's own audio.
        await plan.session.start(agent=agent)
        return run
    if connecting is not None:
        await connecting
    # The join page says "answer out loud" only when the interviewer can hear; told while
    # the session starts.
    attributes = asyncio.ensure_future(
        ctx.room.local_participant.set_attributes(
            {HEARS_SPEECH_ATTRIBUTE: "true" if plan.hears_speech else "false"}
        )
    )
    try:
        await plan.session.start(
            agent=agent,
            room=ctx.room,
            room_options=run.room_options(),
            # LiveKit's session host would send every session event (the conversation,
            # the tools' calls and results) to everyone in the room, and answer any
            # participant's requests for the chat history (the instructions included)
            # or for input to run: the candidate sees captions and hears the voice only.
            session_host=False,
        )
    finally:
        await attributes
    if records:
        # From before the greeting: the recording begins with the interviewer's first words.
        await run.start_recording()
    if not plan.speaks:
        # Without a voice, a caption produced before the room output is linked to the
        # candidate reaches no one: greet once it is.
        try:
            await asyncio.wait_for(
                plan.session.room_io.wait_for_ready(), ROOM_READY_TIMEOUT_SECONDS
            )
        except TimeoutError:
            logger.warning("the room link is late", extra={"interview": agent.interview_ref})
    # With a voice, the greeting is prepared while the interviewer's track is published
    # and subscribed: its audio (and the captions timed to it) wait for the subscription,
    # so the first words play as soon as the candidate can hear them.
    try:
        agent.greet()
    except RuntimeError:
        logger.info(
            "the session closed before the greeting", extra={"interview": agent.interview_ref}
        )
    return run
