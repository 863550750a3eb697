"""Writes the conversation to the interview's transcript as it happens.

Every final candidate utterance (spoken and transcribed, or typed in the chat) and every
reply of the interviewer reaches the session's chat history as a message; the session
announces each one with `conversation_item_added`. One writer task appends them in that
order, so the transcript's sequence is the conversation's, and `aclose()` waits until
everything said so far is stored.

The recorder keeps the next sequence number itself (read once, at its first write), so a
segment is one INSERT, without locking the interview or reading the last number.
If another writer took the number (the job's own notice of a lost AI service), the
segment is appended the locked way and the count follows it.

An interviewer's reply is announced when it has been played out, so a message the
candidate types while the interviewer is still speaking would otherwise be stored before
the reply it answers: it is held until the reply is announced.
"""

import asyncio
import logging
from datetime import UTC, datetime

from asgiref.sync import sync_to_async
from django.db import DatabaseError, IntegrityError
from livekit.agents import (
    AgentSession,
    AgentStateChangedEvent,
    ConversationItemAddedEvent,
    llm,
)

from interviews.models import Interview, TranscriptSegment
from interviews.services.transcript import transcript_append

logger = logging.getLogger(__name__)

WRITE_ATTEMPTS = 3
FLUSH_TIMEOUT_SECONDS = 10.0

_SPEAKERS = {
    "user": TranscriptSegment.Speaker.CANDIDATE,
    "assistant": TranscriptSegment.Speaker.AGENT,
}


def _append(
    interview_pk: int, speaker: str, text: str, at: datetime, sequence: int | None
) -> int | None:
    """Store one segment; the next sequence number (None: not known yet)."""
    segment = None
    if sequence is not None:
        try:
            segment = transcript_append(
                interview=Interview(pk=interview_pk),
                speaker=speaker,
                text=text,
                at=at,
                sequence=sequence,
            )
        except IntegrityError:  # another writer took the number
            pass
        else:
            return sequence if segment is None else segment.sequence + 1
    interview = Interview.objects.get(pk=interview_pk)
    segment = transcript_append(interview=interview, speaker=speaker, text=text, at=at)
    return None if segment is None else segment.sequence + 1


class TranscriptRecorder:
    def __init__(self, *, interview: Interview) -> None:
        self._interview_pk = interview.pk
        self._interview_ref = str(interview.public_id)
        self._queue: asyncio.Queue[tuple[str, str, datetime]] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self._agent_speaking = False
        self._held: list[tuple[str, str, datetime]] = []
        self._next_sequence: int | None = None

    def attach(self, session: AgentSession) -> None:
        session.on("conversation_item_added", self._on_item_added)
        session.on("agent_state_changed", self._on_agent_state_changed)
        self._writer = asyncio.create_task(self._write_in_order(), name="transcript_writer")

    def _on_agent_state_changed(self, event: AgentStateChangedEvent) -> None:
        # A reply being spoken is announced later, when its playout ends; the state may
        # pass through "thinking" first (the next reply starting), so only an announced
        # reply or an idle interviewer ends it.
        if event.new_state == "speaking":
            self._agent_speaking = True
        elif event.new_state in ("listening", "idle"):
            self._agent_speaking = False
            self._release_held()

    def _release_held(self) -> None:
        for segment in self._held:
            self._queue.put_nowait(segment)
        self._held.clear()

    def _on_item_added(self, event: ConversationItemAddedEvent) -> None:
        item = event.item
        if not isinstance(item, llm.ChatMessage) or item.role not in _SPEAKERS:
            return
        text = item.text_content or ""
        if not text.strip():
            return
        segment = (_SPEAKERS[item.role], text, datetime.fromtimestamp(item.created_at, tz=UTC))
        if item.role == "user" and self._agent_speaking:
            self._held.append(segment)
            return
        self._queue.put_nowait(segment)
        if item.role == "assistant":
            self._agent_speaking = False
            self._release_held()

    async def _write_in_order(self) -> None:
        while True:
            speaker, text, at = await self._queue.get()
            try:
                await self._write(speaker, text, at)
            finally:
                self._queue.task_done()

    async def _write(self, speaker: str, text: str, at: datetime) -> None:
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                next_sequence = await sync_to_async(_append)(
                    self._interview_pk, speaker, text, at, self._next_sequence
                )
                if next_sequence is not None:
                    self._next_sequence = next_sequence
                return
            except DatabaseError:
                logger.warning(
                    "could not store a transcript segment, retrying",
                    extra={"interview": self._interview_ref, "attempt": attempt},
                    exc_info=True,
                )
                await asyncio.sleep(0.2 * attempt)
        logger.error(
            "transcript segment lost after database errors",
            extra={"interview": self._interview_ref, "speaker": speaker},
        )

    async def flush(self) -> None:
        """Wait until everything said so far is stored."""
        self._release_held()
        try:
            await asyncio.wait_for(self._queue.join(), FLUSH_TIMEOUT_SECONDS)
        except TimeoutError:
            logger.error(
                "transcript flush timed out",
                extra={"interview": self._interview_ref, "pending": self._queue.qsize()},
            )

    async def aclose(self) -> None:
        await self.flush()
        if self._writer is not None:
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
            self._writer = None
