"""A running interview: the session tied to its interview record until the job ends,
keeping the record true to what happened — every utterance stored as it is said;
completed when the flow ends, interrupted when the candidate leaves or the job stops first.

When the AI service fails for good (an error livekit-agents gives up on after its
retries, or a Realtime reply that never starts), the candidate is told in the captions
(and aloud, when the pipeline's text-to-speech still works), the interview is interrupted
(resumable from the next question) and the job leaves the room: the session would
otherwise sit silent, or close without a word.

The job that finds the interview and starts this run is in interview_job.
"""

import asyncio
import contextlib
import logging
import time
import uuid

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError
from livekit import rtc
from livekit.agents import (
    AgentSession,
    AgentStateChangedEvent,
    APIConnectOptions,
    CloseEvent,
    ConversationItemAddedEvent,
    ErrorEvent,
    JobContext,
    SpeechCreatedEvent,
    UserStateChangedEvent,
    llm,
)
from livekit.agents.voice import SpeechHandle
from livekit.agents.voice.room_io import (
    AudioInputOptions,
    RoomOptions,
    TextInputEvent,
    TextInputOptions,
)
from livekit.agents.voice.room_io.types import TextInputCallback

from agent_worker import prompts
from agent_worker.ai_modes import LIVEKIT_INPUT_SAMPLE_RATE, SessionPlan
from agent_worker.interviewer import Interviewer
from agent_worker.session.coding_news import CodingNews
from agent_worker.session.recording import InterviewRecorder
from agent_worker.session.spoken_turns import SpokenTurns
from agent_worker.session.transcript import TranscriptRecorder
from agent_worker.session.typed_turns import TypedTurns, within_limits
from interviews.models import Interview, TranscriptSegment
from interviews.services import lifecycle
from interviews.services.transcript import transcript_append

logger = logging.getLogger(__name__)

# A candidate talking to an interviewer that cannot hear is reminded at most this often.
TYPING_REMINDER_INTERVAL_SECONDS = 30.0

AI_SERVICE_LOST_MESSAGE = prompts.AI_SERVICE_LOST_MESSAGE
# Saying the lost-service message aloud gets one short try: it is already in the captions.
NOTICE_AUDIO_CONNECTION = APIConnectOptions(max_retry=0, timeout=5.0)
NOTICE_AUDIO_TIMEOUT_SECONDS = 15.0
# How long the interviewer stays in the room after its last words (the closing remarks,
# or the lost-service notice) while the candidate is there: leaving at once closes the
# connection the last caption may still be travelling on (on a busy machine the candidate
# then saw it cut off, or not at all), and the page learns the interview is over when the
# interviewer leaves.
DELIVERY_SECONDS = 2.0


# A silence this long tells the structured interviewer about it (structured_states):
# while the candidate asked to wait, one gentle prompt; at "anything to add?", the end
# (ANYTHING_ELSE_SILENCE_SECONDS).
WAITING_SILENCE_SECONDS = 45.0


def silence_seconds(listening_for: str | None) -> float | None:
    """How long a silence the structured interviewer is told about, or None."""
    if listening_for == "waiting":
        return WAITING_SILENCE_SECONDS
    if listening_for == "anything_else":
        return settings.ANYTHING_ELSE_SILENCE_SECONDS
    return None


class InterviewRun:
    """Ties a running session to its interview record until the job ends."""

    def __init__(
        self, *, ctx: JobContext, plan: SessionPlan, interview: Interview, agent: Interviewer
    ) -> None:
        self.ctx = ctx
        self.session: AgentSession = plan.session
        self.plan = plan
        self.interview = interview
        self.agent = agent
        self.transcript = TranscriptRecorder(interview=interview)
        self._finishing: asyncio.Future[None] | None = None
        self._service_lost = False
        self._last_typing_reminder = 0.0
        self._background: set[asyncio.Task[None]] = set()
        self.typed = TypedTurns(
            pause=settings.TYPED_ANSWER_PAUSE_SECONDS,
            answering=lambda: agent.awaiting_answer,
            on_message=self._candidate_spoke,
            coding=lambda: agent.awaiting_submission,
        )
        # The candidate's runs and submissions, from the room's data packets.
        self.coding = CodingNews(session=self.session, agent=agent, interview_pk=interview.pk)
        self._silence: asyncio.TimerHandle | None = None
        self._silence_told = False
        self.recorder: InterviewRecorder | None = None

    def attach(self) -> None:
        self.transcript.attach(self.session)
        self.session.on("close", self._on_close)
        self.session.on("error", self._on_error)
        self.session.on("speech_created", self._on_speech_created)
        self.coding.attach(None if self.ctx.is_fake_job() else self.ctx.room)
        if not self.plan.hears_speech:
            self.session.on("user_state_changed", self._on_user_state_changed)
        elif self.plan.mode.scripted_turns:
            SpokenTurns(self.session).attach()  # "... that's it" ends the turn at once
        if self.plan.mode.scripted_turns:
            self.session.on("agent_state_changed", self._on_agent_state_changed)
            self.session.on("user_state_changed", self._on_user_speaking)
            self.session.on("conversation_item_added", self._on_item_added)
        self.ctx.add_shutdown_callback(self.finish)

    # --- Silence, for the structured interviewer ------------------------------------------

    def _on_agent_state_changed(self, event: AgentStateChangedEvent) -> None:
        self._cancel_silence()
        if event.new_state != "listening" or self._silence_told:
            return
        listening_for = getattr(self.session.llm, "listening_for", None)
        seconds = silence_seconds(listening_for)
        if seconds is not None:
            loop = asyncio.get_running_loop()
            self._silence = loop.call_later(seconds, self._tell_about_silence)

    def _tell_about_silence(self) -> None:
        self._silence, self._silence_told = None, True
        try:
            self.session.generate_reply(instructions=prompts.SILENCE_NOTICE)
        except RuntimeError:
            pass  # the session is closing

    def _cancel_silence(self) -> None:
        if self._silence is not None:
            self._silence.cancel()
            self._silence = None

    def _candidate_spoke(self) -> None:
        self._cancel_silence()
        self._silence_told = False

    def _on_user_speaking(self, event: UserStateChangedEvent) -> None:
        if event.new_state == "speaking":
            self._candidate_spoke()

    def _on_item_added(self, event: ConversationItemAddedEvent) -> None:
        if getattr(event.item, "role", None) == "user":
            self._candidate_spoke()

    async def start_recording(self) -> None:
        """Record both voices until the job ends (a failure is kept, never raised)."""
        self.recorder = InterviewRecorder(
            session=self.session, interview=self.interview, directory=self.ctx.session_directory
        )
        if not await self.recorder.start():
            self.recorder = None

    def room_options(self) -> RoomOptions:
        # Every mode cuts a typed message to its limit before anything reads it.
        on_text: TextInputCallback
        if self.plan.mode.scripted_turns:
            # Consecutive typed messages of one answer are one turn (typed_turns).
            on_text = self.typed.on_text
        elif not self.plan.hears_speech:
            on_text = _reply_after_current_speech
        else:
            on_text = TextInputOptions().text_input_cb  # LiveKit's: interrupt, then reply
        text_input = TextInputOptions(text_input_cb=within_limits(on_text))
        return RoomOptions(
            text_input=text_input,
            audio_input=self._audio_input(),
            audio_output=self.plan.speaks,
            text_output=True,
            close_on_disconnect=True,
        )

    def _audio_input(self) -> AudioInputOptions | bool:
        # Without speech-to-text the microphone only feeds VAD, for the typing reminder.
        if not (self.plan.hears_speech or self.session.vad is not None):
            return False
        rate = self.plan.mode.input_sample_rate
        if rate == LIVEKIT_INPUT_SAMPLE_RATE:
            return True  # LiveKit's defaults
        # The join page's microphone already has the browser's automatic gain control
        # (livekit-client's capture defaults); a second pass here would only cost CPU.
        return AudioInputOptions(sample_rate=rate, auto_gain_control=False)

    def _spawn(self, coroutine) -> None:  # noqa: ANN001
        task = asyncio.create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _on_user_state_changed(self, event: UserStateChangedEvent) -> None:
        # The candidate finished speaking, but nothing can transcribe it.
        if event.old_state != "speaking" or event.new_state != "listening":
            return
        now = time.monotonic()
        if now - self._last_typing_reminder < TYPING_REMINDER_INTERVAL_SECONDS:
            return
        self._last_typing_reminder = now
        try:
            self.session.say(prompts.TYPE_IN_CHAT_MESSAGE)
        except RuntimeError:
            pass  # the session is closing

    def _on_close(self, event: CloseEvent) -> None:
        logger.info(
            "interview session closed",
            extra={"interview": self.agent.interview_ref, "reason": event.reason.value},
        )
        if not self._service_lost:  # that path finishes once the candidate is told
            self._spawn(self._finish_and_leave(event.reason.value))

    def _on_error(self, event: ErrorEvent) -> None:
        # Recoverable errors are retried by livekit-agents; an unrecoverable one would
        # only close the session after several (or, for Realtime, without a word).
        if not getattr(event.error, "recoverable", True):
            self._ai_service_lost(getattr(event.error, "error", None), source=event.error.type)

    def _on_speech_created(self, event: SpeechCreatedEvent) -> None:
        event.speech_handle.add_done_callback(self._on_speech_done)

    def _on_speech_done(self, handle: SpeechHandle) -> None:
        # A Realtime reply that never started (no response from the service) ends the
        # speech with this error, and no error event: the session would wait in silence.
        error = handle.exception()
        if isinstance(error, llm.RealtimeError) and "timed out" in str(error):
            self._ai_service_lost(error, source="realtime_model_error")

    def _ai_service_lost(self, error: BaseException | None, *, source: str) -> None:
        if self._service_lost or self._finishing is not None or self.agent.outcome is not None:
            return
        self._service_lost = True
        # The cause, once, without what was said: no error message or body, which can
        # quote the conversation.
        logger.error(
            "the AI service failed; interrupting the interview",
            extra={
                "interview": self.agent.interview_ref,
                "mode": self.plan.mode.name,
                "source": source,
                "cause": type(error).__name__,
                "status_code": getattr(error, "status_code", None),
            },
        )
        self._spawn(self._tell_the_candidate_and_leave())

    async def _tell_the_candidate_and_leave(self) -> None:
        await self.transcript.flush()
        try:
            await sync_to_async(transcript_append)(
                interview=self.interview,
                speaker=TranscriptSegment.Speaker.AGENT,
                text=AI_SERVICE_LOST_MESSAGE,
            )
        except DatabaseError:
            logger.warning(
                "could not store the lost-service message",
                extra={"interview": self.agent.interview_ref},
                exc_info=True,
            )
        # The session's own output may depend on the failed service (text-to-speech, or
        # the Realtime connection): the caption goes straight to the room.
        if not self.ctx.is_fake_job() and self.ctx.room.isconnected():
            try:
                await self.ctx.room.local_participant.send_text(
                    AI_SERVICE_LOST_MESSAGE,
                    topic="lk.transcription",
                    attributes={
                        "lk.segment_id": f"SG_{uuid.uuid4().hex[:12]}",
                        "lk.transcription_final": "true",
                    },
                )
            except Exception:
                logger.warning(
                    "could not show the lost-service message",
                    extra={"interview": self.agent.interview_ref},
                    exc_info=True,
                )
            await self._say_the_notice_aloud()
        await self._finish_and_leave("ai service unavailable")

    async def _say_the_notice_aloud(self) -> None:
        """The pipeline's text-to-speech may still work when its LLM failed (it can be
        another server): the notice is also heard, on a track of its own, since the
        session has stopped. Realtime's voice is the service that failed."""
        tts = self.session.tts
        if not self.plan.mode.says_lost_service_aloud or tts is None:
            return
        room = self.ctx.room
        source = rtc.AudioSource(tts.sample_rate, tts.num_channels)
        track = rtc.LocalAudioTrack.create_audio_track("service-notice", source)
        try:
            publication = await room.local_participant.publish_track(
                track, rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
            )
        except Exception:
            logger.warning(
                "could not say the lost-service message",
                extra={"interview": self.agent.interview_ref},
                exc_info=True,
            )
            await source.aclose()
            return
        try:
            async with asyncio.timeout(NOTICE_AUDIO_TIMEOUT_SECONDS):
                async with tts.synthesize(
                    AI_SERVICE_LOST_MESSAGE, conn_options=NOTICE_AUDIO_CONNECTION
                ) as stream:
                    async for audio in stream:
                        await source.capture_frame(audio.frame)
                await source.wait_for_playout()
        except Exception as error:  # the text-to-speech failed as well: captions only
            logger.info(
                "the lost-service message is shown, not said",
                extra={"interview": self.agent.interview_ref, "cause": type(error).__name__},
            )
        finally:
            with contextlib.suppress(Exception):  # the room is going away
                await room.local_participant.unpublish_track(publication.sid)
            await source.aclose()

    async def _finish_and_leave(self, reason: str) -> None:
        # Stored while the last words reach a candidate still in the room.
        await asyncio.gather(self.finish(), self._let_the_last_words_arrive())
        # Leaving the room is how the candidate's page learns the interview is over.
        self.ctx.shutdown(reason=reason)

    async def _let_the_last_words_arrive(self) -> None:
        room = None if self.ctx.is_fake_job() else self.ctx.room
        if room is not None and room.isconnected() and room.remote_participants:
            await asyncio.sleep(DELIVERY_SECONDS)

    async def finish(self, *_: object) -> None:
        """Store what was said; an interview that did not reach its end is interrupted.

        Called when the session closes and again by the job's shutdown: each call waits
        for the one finishing, so the job process never exits halfway through it."""
        if self._finishing is None:
            self._finishing = asyncio.ensure_future(self._finish())
        await asyncio.shield(self._finishing)

    async def _finish(self) -> None:
        self.typed.cancel()
        await self.coding.aclose()
        try:
            await self.session.aclose()
        except Exception:
            logger.exception("closing the interview session failed")
        if self.recorder is not None:
            await self.recorder.finish()
        await self.transcript.aclose()
        if self.agent.outcome is None:
            await sync_to_async(lifecycle.interview_interrupt)(interview=self.interview)
            logger.info("interview interrupted", extra={"interview": self.agent.interview_ref})


async def _reply_after_current_speech(session: AgentSession, event: TextInputEvent) -> None:
    # The structured interviewer cannot be interrupted (see ai_modes); a typed answer
    # waits for the current sentence to finish instead of raising.
    session.generate_reply(user_input=event.text)
