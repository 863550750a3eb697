"""Writes the conversation to the interview's transcript as it happens.

Every final candidate utterance (spoken and transcribed, or typed in the chat) and every
reply of the interviewer reaches the session's chat history as a message; the session
announces each one with `conversation_item_added`. One writer task appends them in that
order, so the transcript's sequence is the conversation's, and `aclose()` waits until
everything said so far is stored.
"""

import asyncio
import logging
from datetime import UTC, datetime

from asgiref.sync import sync_to_async
from django.db import DatabaseError
from livekit.agents import AgentSession, ConversationItemAddedEvent, llm

from interviews import services
from interviews.models import Interview, TranscriptSegment

logger = logging.getLogger(__name__)

WRITE_ATTEMPTS = 3
FLUSH_TIMEOUT_SECONDS = 10.0

_SPEAKERS = {
    "user": TranscriptSegment.Speaker.CANDIDATE,
    "assistant": TranscriptSegment.Speaker.AGENT,
}


def _append(interview_pk: int, speaker: str, text: str, at: datetime) -> None:
    interview = Interview.objects.get(pk=interview_pk)
    services.transcript_append(interview=interview, speaker=speaker, text=text, at=at)


class TranscriptRecorder:
    def __init__(self, *, interview: Interview) -> None:
        self._interview_pk = interview.pk
        self._interview_ref = str(interview.public_id)
        self._queue: asyncio.Queue[tuple[str, str, datetime]] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None

    def attach(self, session: AgentSession) -> None:
        session.on("conversation_item_added", self._on_item_added)
        self._writer = asyncio.create_task(self._write_in_order(), name="transcript_writer")

    def _on_item_added(self, event: ConversationItemAddedEvent) -> None:
        item = event.item
        if not isinstance(item, llm.ChatMessage) or item.role not in _SPEAKERS:
            return
        text = item.text_content or ""
        if not text.strip():
            return
        at = datetime.fromtimestamp(item.created_at, tz=UTC)
        self._queue.put_nowait((_SPEAKERS[item.role], text, at))

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
                await sync_to_async(_append)(self._interview_pk, speaker, text, at)
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
