"""Our AI modes through livekit-plugins-openai over the wire, against the local server:
the interviewer's real tools run against the real database."""

import asyncio
import json

import numpy as np
import pytest
from asgiref.sync import async_to_sync
from livekit import rtc
from livekit.agents import llm

from agent_worker import prompts
from agent_worker.ai_modes import build_session
from interviews.models import Candidate, Interview
from tests.provider_protocol.conftest import interview_session
from tests.provider_protocol.interviewer_model import (
    ASK_EMAIL,
    ASK_PROFILE,
    CODE,
    InterviewerModel,
)
from tests.provider_protocol.openai_server import (
    SAMPLE_RATE,
    Call,
    Say,
    ScriptedPolicy,
    ToolResult,
    spoken_pcm,
)

pytestmark = [pytest.mark.provider_protocol, pytest.mark.django_db]

MODES = ["pipeline", "realtime"]


def transcript_of(interview: Interview) -> list[tuple[str, str]]:
    return list(interview.transcript.order_by("sequence").values_list("speaker", "text"))


@pytest.mark.parametrize("mode", MODES)
def test_a_personal_interview_turn_records_the_answer_and_asks_the_next_question(
    mode, ai_settings, openai_server, personal_interview
):
    openai_server.policy = model = InterviewerModel()

    async def one_turn() -> None:
        async with interview_session(personal_interview, mode) as (session, _agent, _plan):
            result = await session.run(user_input="I would read the slow query log.")
            result.expect.contains_function_call(
                name="record_answer", arguments={"answer": "I would read the slow query log."}
            )
            result.expect.contains_function_call(name="get_next_question")
            result.expect.contains_message(role="assistant")

    async_to_sync(one_turn)()

    first, second = personal_interview.asked.order_by("sequence")
    assert first.answer == "I would read the slow query log."
    assert second.answer == ""
    assert transcript_of(personal_interview) == [
        ("agent", f"{prompts.WELCOME_MESSAGE} {first.text}"),
        ("candidate", "I would read the slow query log."),
        ("agent", f"Thank you. {second.text}"),
    ]
    # What our tools returned reached the model as JSON, through the wire.
    [*_, last] = model.seen
    assert last.tool_results("record_answer")[-1]["recorded"] is True
    assert last.tool_results("get_next_question")[-1]["question"] == second.text


@pytest.mark.parametrize("mode", MODES)
def test_an_open_link_identifies_a_new_candidate_through_tool_calls(
    mode, ai_settings, openai_server, open_interview, mailoutbox
):
    openai_server.policy = InterviewerModel()

    async def identify() -> None:
        async with interview_session(open_interview, mode) as (session, _agent, _plan):
            sent = await session.run(user_input="Sure, it is Grace.Hopper@Example.com")
            sent.expect.contains_function_call(
                name="lookup_candidate", arguments={"email": "Grace.Hopper@Example.com"}
            )
            [email] = mailoutbox
            assert email.to == ["grace.hopper@example.com"]
            code = CODE.search(email.body).group(0)
            verified = await session.run(user_input=f"The code is {code}.")
            verified.expect.contains_function_call(
                name="verify_email_code", arguments={"code": code}
            )
            created = await session.run(user_input="Grace Hopper, seven years")
            created.expect.contains_function_call(name="create_candidate")
            created.expect.contains_function_call(name="get_next_question")

    async_to_sync(identify)()

    open_interview.refresh_from_db()
    grace = Candidate.objects.get(email="grace.hopper@example.com")
    assert open_interview.candidate == grace
    assert (grace.name, grace.position, grace.experience_years) == (
        "Grace Hopper",
        open_interview.position,
        7,
    )
    agent_lines = [text for speaker, text in transcript_of(open_interview) if speaker == "agent"]
    first_question = open_interview.asked.get()
    assert agent_lines == [
        f"{prompts.WELCOME_MESSAGE} {ASK_EMAIL}",
        prompts.CODE_SENT_MESSAGE,
        ASK_PROFILE,
        f"Thank you. {first_question.text}",
    ]


@pytest.mark.parametrize("mode", MODES)
def test_a_whole_personal_interview_runs_to_completion(
    mode, ai_settings, openai_server, personal_interview
):
    openai_server.policy = InterviewerModel()
    answers = ["The slow query log.", "A queue when work must survive.", "We measured both."]

    async def interview() -> None:
        async with interview_session(personal_interview, mode) as (session, agent, _plan):
            for answer in answers[:-1]:
                await session.run(user_input=answer)
            last = await session.run(user_input=answers[-1])
            last.expect.contains_function_call(name="end_interview")
            assert agent.outcome == "completed"

    async_to_sync(interview)()

    personal_interview.refresh_from_db()
    assert personal_interview.status == Interview.Status.COMPLETED
    assert [q.answer for q in personal_interview.asked.order_by("sequence")] == answers
    transcript = transcript_of(personal_interview)
    assert [text for speaker, text in transcript if speaker == "candidate"] == answers
    assert transcript[-1] == ("agent", prompts.CLOSING_REMARKS)


def test_the_pipeline_speaks_the_chat_completions_protocol(
    ai_settings, openai_server, personal_interview
):
    openai_server.policy = InterviewerModel()

    async def turn() -> set[str]:
        async with interview_session(personal_interview, "pipeline") as (session, agent, _plan):
            await session.run(user_input="My answer.")
            return set(llm.ToolContext(agent.tools).function_tools)

    our_tools = async_to_sync(turn)()

    chat = openai_server.requests_to("chat")
    assert chat and all(r.authorization == "Bearer sk-test" for r in chat)
    body = chat[-1].body
    assert body["model"] == ai_settings.PIPELINE_LLM_MODEL
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    tools = {t["function"]["name"]: t["function"] for t in body["tools"]}
    assert set(tools) == our_tools
    assert tools["record_answer"]["parameters"]["required"] == ["answer"]
    outputs = [m for m in body["messages"] if m["role"] == "tool"]
    assert outputs and all(json.loads(m["content"])["ok"] is True for m in outputs)


def test_realtime_speaks_the_realtime_websocket_protocol(
    ai_settings, openai_server, personal_interview
):
    openai_server.policy = InterviewerModel()

    async def turn() -> None:
        async with interview_session(personal_interview, "realtime") as (session, _agent, _plan):
            await session.run(user_input="My answer.")

    async_to_sync(turn)()

    [connection] = openai_server.requests_to("realtime")
    assert connection.body == {"model": ai_settings.REALTIME_MODEL}
    assert connection.authorization == "Bearer sk-test"
    [config] = openai_server.realtime_sessions
    assert config["output_modalities"] == ["audio"]
    assert config["audio"]["output"]["voice"] == "shimmer"
    assert config["audio"]["input"]["format"] == {"type": "audio/pcm", "rate": 24000}
    assert config["audio"]["input"]["transcription"]["model"]
    assert config["audio"]["input"]["turn_detection"]["type"] == "semantic_vad"
    assert prompts.AGENT_INSTRUCTIONS.splitlines()[0] in config["instructions"]
    events = openai_server.realtime_events
    assert events[0] == "session.update"
    assert {"conversation.item.create", "response.create"} <= set(events)
    # The tool results went back as function_call_output items, then a new response.
    realtime_turns = [c for c in openai_server.conversations if c.api == "realtime"]
    assert {"record_answer", "get_next_question", "end_interview"} <= set(realtime_turns[-1].tools)
    assert realtime_turns[-1].tool_results("record_answer")[-1]["recorded"] is True


def pcm_frame(pcm: bytes) -> rtc.AudioFrame:
    return rtc.AudioFrame(
        data=pcm, sample_rate=SAMPLE_RATE, num_channels=1, samples_per_channel=len(pcm) // 2
    )


def peak(frames: list[rtc.AudioFrame]) -> int:
    return max(int(np.abs(np.frombuffer(f.data, dtype=np.int16)).max()) for f in frames)


def test_the_pipeline_transcribes_the_candidate_through_the_transcriptions_endpoint(
    ai_settings, openai_server
):
    openai_server.candidate_says("I would look at the slow query log first.")
    speech = spoken_pcm("I would look at the slow query log first.")

    async def recognize() -> str:
        stt = build_session("pipeline", vad_model=None).session.stt
        event = await stt.recognize([pcm_frame(speech)])
        await stt.aclose()
        return event.alternatives[0].text

    assert async_to_sync(recognize)() == "I would look at the slow query log first."
    [request] = openai_server.requests_to("transcriptions")
    assert request.body["model"] == ai_settings.PIPELINE_STT_MODEL
    assert request.body["language"] == "en"
    assert request.body["audio_seconds"] == pytest.approx(len(speech) / 2 / SAMPLE_RATE, abs=0.01)


def test_the_pipeline_speaks_through_the_speech_endpoint(ai_settings, openai_server):
    async def synthesize() -> list[rtc.AudioFrame]:
        tts = build_session("pipeline", vad_model=None).session.tts
        frames = [event.frame async for event in tts.synthesize("Tell me about a project.")]
        await tts.aclose()
        return frames

    frames = async_to_sync(synthesize)()

    assert {(f.sample_rate, f.num_channels) for f in frames} == {(SAMPLE_RATE, 1)}
    assert 1.0 < sum(f.samples_per_channel for f in frames) / SAMPLE_RATE < 5.0
    assert peak(frames) > 1000, "the speech came back as silence"
    [request] = openai_server.requests_to("speech")
    assert request.body["input"] == "Tell me about a project."
    assert (request.body["model"], request.body["voice"]) == (
        ai_settings.PIPELINE_TTS_MODEL,
        ai_settings.PIPELINE_TTS_VOICE,
    )
    assert (request.body["response_format"], request.body["stream_format"]) == ("mp3", "sse")


def test_realtime_hears_speech_transcribes_it_and_answers_in_audio(ai_settings, openai_server):
    """Audio in (server voice activity detection, input transcription), audio out."""
    openai_server.candidate_says("I am ready to begin.")
    openai_server.policy = policy = ScriptedPolicy(Say("Good. What is your email address?"))
    speech = spoken_pcm("I am ready to begin.") + bytes(SAMPLE_RATE * 2)  # then 1 s of quiet

    async def talk() -> tuple[list[str], str, list[rtc.AudioFrame]]:
        model = build_session("realtime", vad_model=None).session.llm
        session = model.session()
        transcripts: list[str] = []
        generations: asyncio.Queue = asyncio.Queue()
        session.on(
            "input_audio_transcription_completed",
            lambda e: transcripts.append(e.transcript) if e.is_final else None,
        )
        session.on("generation_created", generations.put_nowait)
        for start in range(0, len(speech), SAMPLE_RATE // 50):  # 20 ms frames
            session.push_audio(pcm_frame(speech[start : start + SAMPLE_RATE // 50]))
        generation = await asyncio.wait_for(generations.get(), 20)
        message = await anext(aiter(generation.message_stream))
        text = "".join([piece async for piece in message.text_stream])
        frames = [frame async for frame in message.audio_stream]
        await session.aclose()
        await model.aclose()
        return transcripts, text, frames

    transcripts, text, frames = async_to_sync(talk)()

    assert transcripts == ["I am ready to begin."]
    # The model was asked to answer the candidate's transcribed words.
    assert policy.seen[-1].user_messages() == ["I am ready to begin."]
    assert text == "Good. What is your email address?"
    assert {f.sample_rate for f in frames} == {SAMPLE_RATE}
    assert peak(frames) > 1000, "the answer came back as silence"


@pytest.mark.parametrize("mode", MODES)
def test_malformed_tool_calls_change_nothing_and_the_model_is_told(
    mode, ai_settings, openai_server, personal_interview
):
    openai_server.policy = policy = ScriptedPolicy(
        Call("get_next_question"),
        Say("Hello. First question?"),
        # Arguments that are not JSON at all (livekit-agents repairs merely truncated JSON).
        Call("record_answer", "answer: My answer."),
        Call("drop_all_tables", {}),
        Say("Sorry, could you say that again?"),
    )

    async def turn() -> None:
        async with interview_session(personal_interview, mode) as (session, _agent, _plan):
            result = await session.run(user_input="My answer.")
            result.expect.contains_message(role="assistant")

    async_to_sync(turn)()

    assert policy.remaining == 0
    [asked] = personal_interview.asked.all()
    assert asked.answer == ""
    transcript = transcript_of(personal_interview)
    assert transcript[-1] == ("agent", "Sorry, could you say that again?")
    *_, bad_arguments, unknown_tool = (
        i for i in policy.seen[-1].items if isinstance(i, ToolResult)
    )
    assert bad_arguments.name == "record_answer"
    assert bad_arguments.output.startswith("Error parsing arguments for `record_answer`")
    assert unknown_tool.output.startswith("Unknown function: drop_all_tables")
