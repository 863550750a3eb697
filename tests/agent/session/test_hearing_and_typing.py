"""Structured mode hears speech through the offline speech-to-text, and typed messages of
one answer become one turn."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from livekit.agents import ChatMessage, ConversationItemAddedEvent, UserInputTranscribedEvent, stt
from livekit.agents.voice.room_io import AudioInputOptions, TextInputEvent
from livekit.plugins import silero

from agent_worker import ai_modes
from agent_worker.interviewer import Interviewer
from agent_worker.session.run import InterviewRun
from agent_worker.session.spoken_turns import FINISHED_TURN_END_SECONDS, SpokenTurns
from agent_worker.session.typed_turns import IDENTIFYING_PAUSE_SECONDS, TypedTurns, pause_after
from agent_worker.voice.offline_stt import MODEL_SAMPLE_RATE, MoonshineSTT
from tests.agent.conftest import context_for


def test_structured_mode_with_speech_to_text_hears_and_waits_for_a_pause_in_an_answer():
    async def create() -> ai_modes.SessionPlan:
        return ai_modes.build_session(
            "structured", vad_model=silero.VAD.load(), stt_model=MoonshineSTT.load()
        )

    plan = async_to_sync(create)()

    assert plan.hears_speech
    assert isinstance(plan.session.stt, stt.StreamAdapter)
    options = plan.session.options.turn_handling
    assert options["turn_detection"] == "vad"
    assert options["endpointing"]["min_delay"] == ai_modes.SPOKEN_TURN_END_SECONDS >= 2
    assert options["interruption"]["enabled"]
    assert options["interruption"]["min_duration"] >= 1


def test_structured_mode_without_speech_to_text_does_not_hear():
    async def create() -> ai_modes.SessionPlan:
        return ai_modes.build_session("structured", vad_model=silero.VAD.load(), stt_model=None)

    plan = async_to_sync(create)()
    assert not plan.hears_speech
    assert plan.session.stt is None


def test_the_pause_before_replying_depends_on_what_the_message_says():
    assert pause_after("I would check the logs.", answering=True, pause=4) == 4
    assert pause_after("I would check the logs and", answering=True, pause=4) == 8
    assert pause_after("First the logs...", answering=True, pause=4) == 8
    assert pause_after("and the metrics, that's it", answering=True, pause=4) == 0
    assert pause_after("Could you repeat the question?", answering=True, pause=4) == 0
    assert pause_after("Can we skip this one?", answering=True, pause=4) == 0
    assert pause_after("grace@example.com", answering=False, pause=4) == IDENTIFYING_PAUSE_SECONDS


class RecordingSession:
    def __init__(self) -> None:
        self.replies: list[str] = []
        self.replied = asyncio.Event()

    def generate_reply(self, *, user_input: str) -> None:
        self.replies.append(user_input)
        self.replied.set()


def test_messages_sent_before_the_pause_ends_are_one_turn():
    async def scenario() -> list[str]:
        session = RecordingSession()
        turns = TypedTurns(pause=0.3, answering=lambda: True)
        await turns.on_text(session, TextInputEvent(text="I would check the logs,"))
        await turns.on_text(session, TextInputEvent(text="then the slow query log."))
        assert session.replies == []
        await asyncio.wait_for(session.replied.wait(), 5)
        await turns.on_text(session, TextInputEvent(text="That's it."))
        return session.replies

    replies = asyncio.run(scenario())
    assert replies == ["I would check the logs,\nthen the slow query log.", "That's it."]


def test_that_s_it_sends_what_was_typed_at_once():
    async def scenario() -> list[str]:
        session = RecordingSession()
        turns = TypedTurns(pause=60, answering=lambda: True)
        await turns.on_text(session, TextInputEvent(text="Logs first."))
        await turns.on_text(session, TextInputEvent(text="Then metrics, and that's it."))
        return session.replies

    assert asyncio.run(scenario()) == ["Logs first.\nThen metrics, and that's it."]


def test_a_spoken_that_s_it_shortens_the_end_of_turn_pause_for_that_turn_only():
    async def scenario() -> list[float]:
        plan = ai_modes.build_session(
            "structured", vad_model=silero.VAD.load(), stt_model=MoonshineSTT.load()
        )
        session = plan.session
        SpokenTurns(session).attach()
        delays = []

        def heard(text: str, *, final: bool = True) -> None:
            session.emit(
                "user_input_transcribed",
                UserInputTranscribedEvent(transcript=text, is_final=final),
            )
            delays.append(session.options.endpointing["min_delay"])

        heard("I would check the logs first.")
        heard("and that's it", final=False)
        heard("And that's it.")
        session.emit(
            "conversation_item_added",
            ConversationItemAddedEvent(
                item=ChatMessage(role="user", content=["I would check the logs first."])
            ),
        )
        delays.append(session.options.endpointing["min_delay"])
        heard("Then the metrics. That's all.")
        heard("Oh, and the traces.")
        return delays

    spoken = ai_modes.SPOKEN_TURN_END_SECONDS
    finished = FINISHED_TURN_END_SECONDS
    assert finished < 1 < spoken
    assert asyncio.run(scenario()) == [spoken, spoken, finished, spoken, finished, spoken]


@pytest.mark.django_db
def test_the_structured_interviewer_hears_the_room_at_its_models_rate_without_a_second_gain_control(
    personal_interview,
):
    async def options(mode: str) -> AudioInputOptions | bool:
        plan = ai_modes.build_session(
            mode, vad_model=silero.VAD.load(), stt_model=MoonshineSTT.load()
        )
        agent = Interviewer(
            interview=personal_interview,
            context=context_for(personal_interview),
            hears_speech=plan.hears_speech,
        )
        run = InterviewRun(ctx=None, plan=plan, interview=personal_interview, agent=agent)
        return run.room_options().audio_input

    structured = async_to_sync(options)("structured")
    # Voice detection and speech-to-text take 16 kHz: the room's stream delivers it.
    assert isinstance(structured, AudioInputOptions)
    assert structured.sample_rate == MODEL_SAMPLE_RATE
    assert structured.auto_gain_control is False
