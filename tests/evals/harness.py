"""Interviews with a real model, for the evals: our Interviewer and its real tools against
the test database, its LLM and the judge's built from settings like the pipeline's
(OPENAI_API_KEY, PIPELINE_LLM_MODEL, PIPELINE_LLM_BASE_URL), text only.

Without OPENAI_API_KEY the evals fail with a message saying what to set: they are only
selected with `pytest -m evals`, and a skipped eval would read as a passed one.
"""

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from livekit.agents import AgentSession, RunResult
from livekit.agents.types import NOT_GIVEN
from livekit.plugins import openai

from agent_worker.ai_modes import MAX_TOOL_STEPS
from agent_worker.interviewer import Interviewer
from agent_worker.session.transcript import TranscriptRecorder
from interviews.models import Interview
from interviews.services.lifecycle import interview_start
from tests.agent.conftest import context_for

# The judge may be another (stronger) model on the same server; the interviewer's by default.
JUDGE_MODEL_VARIABLE = "EVALS_JUDGE_MODEL"
NO_MODEL_MESSAGE = (
    "The evals need a real model and none is configured: set OPENAI_API_KEY (and, for a "
    "server other than OpenAI's, PIPELINE_LLM_BASE_URL; PIPELINE_LLM_MODEL chooses the "
    "interviewer's model, EVALS_JUDGE_MODEL the judge's), then run `pytest -m evals`."
)
# A real model's turn, tool calls included.
TURN_SECONDS = 90


def require_a_model() -> None:
    if not settings.OPENAI_API_KEY:
        pytest.fail(NO_MODEL_MESSAGE, pytrace=False)


def _base_url():  # noqa: ANN202 - NotGiven sentinel when unset
    return settings.PIPELINE_LLM_BASE_URL or NOT_GIVEN


def interviewer_llm() -> openai.LLM:
    return openai.LLM(
        model=settings.PIPELINE_LLM_MODEL, base_url=_base_url(), api_key=settings.OPENAI_API_KEY
    )


def judge_llm() -> openai.LLM:
    return openai.LLM(
        model=os.environ.get(JUDGE_MODEL_VARIABLE) or settings.PIPELINE_LLM_MODEL,
        base_url=_base_url(),
        api_key=settings.OPENAI_API_KEY,
    )


@dataclass
class EvalInterview:
    session: AgentSession
    agent: Interviewer
    greeting: RunResult
    judge: openai.LLM

    async def say(self, text: str) -> RunResult:
        return await asyncio.wait_for(self.session.run(user_input=text), TURN_SECONDS)


@asynccontextmanager
async def eval_interview(interview: Interview) -> AsyncIterator[EvalInterview]:
    """The interview started in pipeline mode, text only; yielded after the greeting."""
    await sync_to_async(interview_start)(interview=interview, ai_mode="pipeline")
    context = await sync_to_async(context_for)(interview)
    model, judge = interviewer_llm(), judge_llm()
    agent = Interviewer(interview=interview, context=context)
    try:
        async with AgentSession(llm=model, max_tool_steps=MAX_TOOL_STEPS) as session:
            recorder = TranscriptRecorder(interview=interview)
            recorder.attach(session)
            greeting = await asyncio.wait_for(session.start(agent, capture_run=True), TURN_SECONDS)
            try:
                yield EvalInterview(session=session, agent=agent, greeting=greeting, judge=judge)
            finally:
                await recorder.aclose()
    finally:
        await model.aclose()
        await judge.aclose()
