"""Typed messages of one answer become one turn.

A candidate often sends an answer in several messages ("I would check the logs first," ...
"then the slow query log"). The interviewer replies only once they stop typing for a
pause, so consecutive messages reach it as one user turn (joined by line breaks):

- the pause is `TYPED_ANSWER_PAUSE_SECONDS` while a question is open, twice that after a
  message that stops mid-sentence ("...", a trailing "and"), and short while the
  candidate is being identified (an email, a code, a name: one message each);
- a message that ends the answer ("that's it") or is a request (repeat, clarify, skip,
  go back, pause, stop, and at the coding exercise a hint) is replied to at once.

Spoken answers get the same from the session's endpointing delay (see ai_modes).

Every typed message is cut to MAX_TYPED_MESSAGE_LENGTH before anything reads it, and one
turn to MAX_TYPED_TURN_LENGTH, in every mode (`within_limits`): a pasted book must not
reach a model (cost, context, the prompt's instructions pushed out) nor the transcript.
"""

import asyncio
import dataclasses
import inspect
import logging
from collections.abc import Callable

from livekit.agents import AgentSession
from livekit.agents.voice.room_io import TextInputEvent
from livekit.agents.voice.room_io.types import TextInputCallback

from agent_worker.understanding import (
    Context,
    Request,
    find_request,
    looks_unfinished,
    says_finished,
)

logger = logging.getLogger(__name__)

# A long answer typed in one message is a few hundred words; a turn, a few messages.
MAX_TYPED_MESSAGE_LENGTH = 4_000
MAX_TYPED_TURN_LENGTH = 8_000


def within_limits(callback: TextInputCallback) -> TextInputCallback:
    """A text input callback that gets each message cut to MAX_TYPED_MESSAGE_LENGTH."""

    async def limited(session: AgentSession, event: TextInputEvent) -> None:
        if len(event.text) > MAX_TYPED_MESSAGE_LENGTH:
            logger.info("a typed message was cut", extra={"length": len(event.text)})
            event = dataclasses.replace(event, text=event.text[:MAX_TYPED_MESSAGE_LENGTH])
        result = callback(session, event)
        if inspect.isawaitable(result):
            await result

    return limited


# Identifying the candidate: each field comes in one message.
IDENTIFYING_PAUSE_SECONDS = 1.0
_AT_ONCE = {
    Request.REPEAT,
    Request.CLARIFY,
    Request.SKIP,
    Request.GO_BACK,
    Request.PAUSE,
    Request.STOP,
    Request.FINISHED,
}


def pause_after(text: str, *, answering: bool, pause: float, coding: bool = False) -> float:
    """How long to wait for more after the message `text`; `coding`: the candidate is
    working on a coding exercise."""
    if says_finished(text) or find_request(text) in _AT_ONCE:
        return 0.0
    if coding and find_request(text, context=Context.CODING) is Request.HINT:
        return 0.0
    if not answering:
        return min(pause, IDENTIFYING_PAUSE_SECONDS)
    return pause * 2 if looks_unfinished(text) else pause


class TypedTurns:
    """The session's text input callback: buffers messages, replies after the pause."""

    def __init__(
        self,
        *,
        pause: float,
        answering: Callable[[], bool],
        on_message: Callable[[], None] | None = None,
        coding: Callable[[], bool] = lambda: False,
    ) -> None:
        self._pause = pause
        self._answering = answering
        self._coding = coding
        # Told of every message as it arrives, before the pause (the silence timer).
        self._on_message = on_message
        # (when the candidate sent it, arrival order, text): each message reaches the
        # agent on a stream of its own, and two sent a moment apart may arrive swapped.
        self._parts: list[tuple[int, int, str]] = []
        self._arrived = 0
        self._timer: asyncio.TimerHandle | None = None

    @property
    def pending(self) -> bool:
        return bool(self._parts)

    async def on_text(self, session: AgentSession, event: TextInputEvent) -> None:
        text = event.text.strip()
        if not text:
            return
        self._arrived += 1
        sent = event.info.timestamp if event.info is not None else 0
        self._parts.append((sent, self._arrived, text))
        if self._on_message is not None:
            self._on_message()
        if self._timer is not None:
            self._timer.cancel()
        delay = pause_after(
            text, answering=self._answering(), pause=self._pause, coding=self._coding()
        )
        if sum(len(part) + 1 for _, _, part in self._parts) >= MAX_TYPED_TURN_LENGTH:
            delay = 0.0  # a full turn goes now; what follows starts the next one
        if delay <= 0:
            self._send(session)
        else:
            self._timer = asyncio.get_running_loop().call_later(delay, self._send, session)

    def _send(self, session: AgentSession) -> None:
        self._timer = None
        parts = [part for _, _, part in sorted(self._parts)]
        text, self._parts = "\n".join(parts)[:MAX_TYPED_TURN_LENGTH], []
        if not text:
            return
        try:
            # Not an interruption: the reply waits for the interviewer's current sentence.
            session.generate_reply(user_input=text)
        except RuntimeError:
            logger.info("a typed message arrived as the session closed")

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
