"""The agent's tests drive real AgentSessions from synchronous tests through
`async_to_sync`: the session's `sync_to_async` database calls then run on the test's own
thread and connection, inside the test's transaction (so plain `django_db` isolates them
and `connection.execute_wrapper` sees them)."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from asgiref.sync import sync_to_async
from livekit.agents import AgentSession, llm

from agent_worker.ai_modes import MAX_TOOL_STEPS
from agent_worker.interviewer import Interviewer
from agent_worker.prompts import InterviewContext
from agent_worker.session.transcript import TranscriptRecorder
from interviews.models import Interview
from interviews.services import identity
from interviews.services.invites import interview_create
from interviews.services.lifecycle import interview_start
from tests.factories import CandidateFactory

# The one-time code lookup_candidate emails, in tests that use the `emailed_code` fixture.
EMAILED_CODE = "481203"


@pytest.fixture
def emailed_code(monkeypatch) -> str:
    """The code the next lookup emails (random otherwise)."""
    monkeypatch.setattr(identity, "_new_code", lambda: EMAILED_CODE)
    return EMAILED_CODE


@pytest.fixture
def open_interview(position_with_bank) -> Interview:
    return interview_create(position=position_with_bank).interview


@pytest.fixture
def personal_interview(position_with_bank) -> Interview:
    candidate = CandidateFactory(
        email="invited@example.com", name="Ivy Invited", position=position_with_bank
    )
    return interview_create(position=position_with_bank, candidate=candidate).interview


def context_for(interview: Interview, *, resuming: bool = False) -> InterviewContext:
    return InterviewContext(
        position_title=interview.position.title,
        position_description=interview.position.description,
        personal_invite=interview.candidate_id is not None,
        resuming=resuming,
    )


@asynccontextmanager
async def interviewer_session(
    interview: Interview, model: llm.LLM, *, resuming: bool = False
) -> AsyncIterator[tuple[AgentSession, Interviewer]]:
    """A text-only session with the interviewer, its transcript recorded, greeting done."""
    await sync_to_async(interview_start)(interview=interview, ai_mode="scripted")
    context = await sync_to_async(context_for)(interview, resuming=resuming)
    agent = Interviewer(interview=interview, context=context)
    async with AgentSession(llm=model, max_tool_steps=MAX_TOOL_STEPS) as session:
        recorder = TranscriptRecorder(interview=interview)
        recorder.attach(session)
        await asyncio.wait_for(session.start(agent, capture_run=True), 20)
        try:
            yield session, agent
        finally:
            await recorder.aclose()


def transcript_of(interview: Interview) -> list[tuple[str, str]]:
    return list(interview.transcript.order_by("sequence").values_list("speaker", "text"))
