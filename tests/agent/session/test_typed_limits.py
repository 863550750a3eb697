"""Typed messages are cut to their limits before they reach a model or the transcript."""

import asyncio
from types import SimpleNamespace

from livekit.agents.voice.room_io import TextInputEvent

from agent_worker.session.typed_turns import (
    MAX_TYPED_MESSAGE_LENGTH,
    MAX_TYPED_TURN_LENGTH,
    TypedTurns,
    within_limits,
)


class RecordingSession:
    def __init__(self) -> None:
        self.replies: list[str] = []

    def generate_reply(self, *, user_input: str) -> None:
        self.replies.append(user_input)


def test_a_pasted_book_is_cut_before_the_callback_reads_it():
    seen: list[str] = []

    async def callback(session, event: TextInputEvent) -> None:
        seen.append(event.text)

    asyncio.run(within_limits(callback)(RecordingSession(), TextInputEvent(text="a" * 100_000)))

    assert seen == ["a" * MAX_TYPED_MESSAGE_LENGTH]


def test_a_flood_of_messages_makes_turns_no_longer_than_the_turn_limit():
    session = RecordingSession()
    turns = TypedTurns(pause=60.0, answering=lambda: True)
    on_text = within_limits(turns.on_text)

    async def flood() -> None:
        for _ in range(10):
            await on_text(session, TextInputEvent(text="b" * 50_000))
        turns.cancel()

    asyncio.run(flood())

    assert session.replies  # full turns went at once, without waiting for the pause
    assert all(len(reply) <= MAX_TYPED_TURN_LENGTH for reply in session.replies)
    assert sum(len(reply) for reply in session.replies) <= 10 * MAX_TYPED_MESSAGE_LENGTH + 10


def test_two_messages_that_arrive_swapped_are_joined_in_the_order_they_were_sent():
    session = RecordingSession()
    turns = TypedTurns(pause=0.05, answering=lambda: True)
    first, second = SimpleNamespace(timestamp=1_000), SimpleNamespace(timestamp=1_400)

    async def swapped() -> None:
        replied = asyncio.Event()
        session.generate_reply = lambda *, user_input: (  # type: ignore[method-assign]
            session.replies.append(user_input),
            replied.set(),
        )
        await turns.on_text(session, TextInputEvent(text="then run explain.", info=second))
        await turns.on_text(session, TextInputEvent(text="The slow query log,", info=first))
        await asyncio.wait_for(replied.wait(), timeout=30)  # the pause ends the turn

    asyncio.run(swapped())

    assert session.replies == ["The slow query log,\nthen run explain."]
