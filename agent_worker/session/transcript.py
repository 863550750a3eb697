"""Writes the conversation to the interview's transcript as it happens.

Every final candidate utterance (spoken and transcribed, or typed in the chat) and every
reply of the interviewer reaches the session's chat history as a message; the session
announces each one with `conversation_item_added`. One writer task appends them in that
order, so the transcript's sequence is the conversation's, and `aclose()` waits until
everything said so far is stored.

The writes run on a thread of their own, with its own database connection, one at a time
for the whole process: the interviewer's tools (on Django's shared sync thread) never
queue behind a transcript write. While that shared thread's connection is inside a
transaction that outlives each call (a test's), another connection could not see its
rows, so the recorder then writes on that thread instead.

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
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TypeVar

from asgiref.sync import sync_to_async
from django.db import DatabaseError, IntegrityError, connections
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

# The transcript writer: one thread (so one connection) for every recorder of the process.
# Its connection is closed when the last recorder closes (a job's end, or a test's).
WRITER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="transcript-writer")
_recorders_lock = threading.Lock()
_open_recorders = 0

T = TypeVar("T")

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


def _in_lasting_transaction() -> bool:
    return any(c.in_atomic_block for c in connections.all(initialized_only=True))


def _drop_unusable_connections() -> None:
    # After a database error the writer's connection may be broken; no request cycle
    # ever closes it.
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.in_atomic_block:
            if not connection.is_usable():
                connection.close()


async def on_writer_thread(work: Callable[[], T]) -> T:
    """Run `work` on the transcript writer's thread (and its connection)."""
    return await sync_to_async(work, thread_sensitive=False, executor=WRITER)()


class TranscriptRecorder:
    def __init__(self, *, interview: Interview) -> None:
        self._interview_pk = interview.pk
        self._interview_ref = str(interview.public_id)
        self._queue: asyncio.Queue[tuple[str, str, datetime]] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self._agent_speaking = False
        self._held: list[tuple[str, str, datetime]] = []
        self._next_sequence: int | None = None
        # Whether writes use the writer thread (decided at the first write).
        self._own_thread: bool | None = None

    def attach(self, session: AgentSession) -> None:
        global _open_recorders
        with _recorders_lock:
            _open_recorders += 1
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
        # A spoken answer's message is made when the turn ends: its time is when the
        # candidate began to speak, which is where the recording plays it.
        began = (getattr(item, "metrics", None) or {}).get("started_speaking_at")
        when = began if item.role == "user" and began else item.created_at
        segment = (_SPEAKERS[item.role], text, datetime.fromtimestamp(when, tz=UTC))
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

    async def _run(self, work: Callable[[], T]) -> T:
        if self._own_thread is None:
            self._own_thread = not await sync_to_async(_in_lasting_transaction)()
        if self._own_thread:
            return await on_writer_thread(work)
        return await sync_to_async(work)()

    async def _write(self, speaker: str, text: str, at: datetime) -> None:
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            sequence = self._next_sequence

            def work(retry: bool = attempt > 1, sequence: int | None = sequence) -> int | None:
                if retry:
                    _drop_unusable_connections()
                return _append(self._interview_pk, speaker, text, at, sequence)

            try:
                next_sequence = await self._run(work)
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
        """Store everything said so far, then stop the writer."""
        global _open_recorders
        await self.flush()
        if self._writer is None:
            return
        self._writer.cancel()
        await asyncio.gather(self._writer, return_exceptions=True)
        self._writer = None
        with _recorders_lock:
            _open_recorders -= 1
            last = _open_recorders == 0
        if last and self._own_thread:
            await on_writer_thread(connections.close_all)
