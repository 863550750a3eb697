"""The AI modes against the local OpenAI server: settings point every plugin at it.

Sessions are driven from synchronous tests through `async_to_sync`, as in tests/agent:
the tools' `sync_to_async` database calls then run on the test's thread, inside the
test's transaction.
"""

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import livekit.plugins.openai  # noqa: F401 - plugins register only on the main thread
import pytest
from asgiref.sync import sync_to_async
from livekit.agents import AgentSession
from livekit.plugins import silero

from agent_worker.ai_modes import SessionPlan, build_session, interviewer_mode
from agent_worker.interviewer import Interviewer
from agent_worker.session.transcript import TranscriptRecorder
from interviews.models import Interview
from interviews.services.invites import interview_create
from interviews.services.lifecycle import interview_start
from tests.agent.conftest import context_for
from tests.e2e.conftest import livekit_server, livekit_settings  # noqa: F401 - e2e fixtures
from tests.factories import CandidateFactory
from tests.provider_protocol.openai_server import ScriptedOpenAIServer


@pytest.fixture
def openai_server() -> Iterator[ScriptedOpenAIServer]:
    server = ScriptedOpenAIServer().start()
    yield server
    server.stop()


def point_settings_at(settings, server: ScriptedOpenAIServer) -> None:
    settings.OPENAI_API_KEY = server.api_key
    settings.OPENAI_BASE_URL = server.base_url
    settings.PIPELINE_STT_BASE_URL = server.base_url
    settings.PIPELINE_LLM_BASE_URL = server.base_url
    settings.PIPELINE_TTS_BASE_URL = server.base_url


@pytest.fixture
def ai_settings(settings, openai_server):
    point_settings_at(settings, openai_server)
    return settings


@pytest.fixture
def open_interview(position_with_bank) -> Interview:
    return interview_create(position=position_with_bank).interview


@pytest.fixture
def personal_interview(position_with_bank) -> Interview:
    candidate = CandidateFactory(
        email="invited@example.com", name="Ivy Invited", position=position_with_bank
    )
    return interview_create(position=position_with_bank, candidate=candidate).interview


@asynccontextmanager
async def interview_session(
    interview: Interview, mode: str
) -> AsyncIterator[tuple[AgentSession, Interviewer, SessionPlan]]:
    """A text-only session of `mode`, built from settings, with the interviewer and its
    transcript; yielded once the greeting is done."""
    await sync_to_async(interview_start)(interview=interview, ai_mode=mode)
    context = await sync_to_async(context_for)(interview)
    # As the worker does: the pipeline listens through voice activity detection.
    plan = build_session(
        mode, vad_model=silero.VAD.load() if interviewer_mode(mode).uses_vad else None
    )
    agent = Interviewer(interview=interview, context=context)
    async with plan.session as session:
        recorder = TranscriptRecorder(interview=interview)
        recorder.attach(session)
        # Returns once the greeting (tool calls and reply) is done.
        await asyncio.wait_for(session.start(agent, capture_run=True), 30)
        try:
            yield session, agent, plan
        finally:
            await recorder.aclose()
    await close_models(plan.session)


async def close_models(session: AgentSession) -> None:
    """The plugins' own HTTP clients (a job's shared HTTP context closes them in a worker)."""
    for model in (session.llm, session.stt, session.tts):
        if model is not None:
            await model.aclose()
