"""The real job entrypoint, in-process through livekit's fake job context, and the voice."""

import asyncio
import uuid

import pytest
from asgiref.sync import async_to_sync
from django.test import override_settings
from livekit.agents.testing import fake_job_context

from agent_worker import prompts
from agent_worker.session import worker
from agent_worker.session.job import run_interview
from agent_worker.session.run import InterviewRun
from agent_worker.session.worker import entrypoint
from agent_worker.voice.espeak_tts import SAMPLE_RATE, EspeakTTS, espeak_path
from interviews.dispatch import DispatchMetadata
from interviews.models import Interview
from interviews.services.lifecycle import interview_finish, interview_interrupt, interview_start
from interviews.services.questions import interview_next_question, interview_record_answer
from tests.agent.conftest import transcript_of

pytestmark = pytest.mark.django_db


def metadata_for(interview: Interview) -> str:
    return DispatchMetadata(interview_id=interview.public_id).to_json()


@pytest.fixture
def started_runs(monkeypatch) -> list[InterviewRun | None]:
    """What the worker's entrypoint started, kept so a test can drive the session."""
    runs: list[InterviewRun | None] = []

    async def run_and_keep(ctx):
        runs.append(await run_interview(ctx))
        return runs[-1]

    monkeypatch.setattr(worker, "run_interview", run_and_keep)
    return runs


def run_job(metadata: str, runs: list, then=None) -> InterviewRun | None:
    """Run the worker's entrypoint as LiveKit would for a job with this metadata, then
    `then(run)` inside the same job; returns what the entrypoint started."""

    async def job() -> None:
        with fake_job_context(job_metadata=metadata) as ctx:
            await asyncio.wait_for(entrypoint(ctx), 20)
            if then is not None and runs[-1] is not None:
                await asyncio.wait_for(then(runs[-1]), 30)

    async_to_sync(job)()
    return runs[-1]


async def wait_for_first_reply(run: InterviewRun) -> None:
    for _ in range(200):
        if any(getattr(item, "role", None) == "assistant" for item in run.session.history.items):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the interviewer never greeted the candidate")


@override_settings(INTERVIEW_AI="structured")
def test_the_entrypoint_runs_the_dispatched_interview_and_records_an_interruption(
    personal_interview, started_runs
):
    async def candidate_answers_once_then_the_job_stops(run: InterviewRun) -> None:
        await wait_for_first_reply(run)
        await run.session.run(user_input="I would check the logs first")
        # The job stops early (the candidate left, or the worker shut down).
        await run.finish()

    run = run_job(
        metadata_for(personal_interview), started_runs, candidate_answers_once_then_the_job_stops
    )

    assert run is not None
    personal_interview.refresh_from_db()
    assert personal_interview.status == Interview.Status.INTERRUPTED
    assert personal_interview.ai_mode == "structured"
    assert personal_interview.started_at is not None
    transcript = transcript_of(personal_interview)
    assert [speaker for speaker, _ in transcript] == ["agent", "candidate", "agent"]
    assert transcript[0][1].startswith(prompts.WELCOME_MESSAGE)
    assert transcript[1] == ("candidate", "I would check the logs first")
    assert transcript[2][1].endswith("Question 2. T2 junior?")
    assert list(personal_interview.asked.values_list("answer", flat=True)) == [
        "I would check the logs first",
        "",
    ]


@override_settings(INTERVIEW_AI="structured")
def test_a_new_job_for_an_interrupted_interview_picks_up_where_it_left_off(
    personal_interview, started_runs
):
    interview_start(interview=personal_interview, ai_mode="structured")
    interview_next_question(interview=personal_interview)
    interview_record_answer(interview=personal_interview, answer="Earlier answer")
    interview_interrupt(interview=personal_interview)

    async def greeted_then_stopped(run: InterviewRun) -> None:
        await wait_for_first_reply(run)
        await run.finish()

    run_job(metadata_for(personal_interview), started_runs, greeted_then_stopped)

    [(speaker, greeting)] = transcript_of(personal_interview)
    assert speaker == "agent"
    assert greeting.startswith(prompts.RESUME_MESSAGE)
    assert greeting.endswith("Question 2. T2 junior?")


def test_a_job_without_a_known_interview_changes_nothing(personal_interview, started_runs):
    unknown = DispatchMetadata(interview_id=uuid.uuid4()).to_json()

    assert run_job(unknown, started_runs) is None
    assert run_job("not json", started_runs) is None

    personal_interview.refresh_from_db()
    assert personal_interview.status == Interview.Status.INVITED


def test_a_completed_interview_is_not_started_again(personal_interview, started_runs):
    interview_finish(interview=personal_interview)

    assert run_job(metadata_for(personal_interview), started_runs) is None

    personal_interview.refresh_from_db()
    assert personal_interview.status == Interview.Status.COMPLETED
    assert not personal_interview.transcript.exists()


def test_espeak_speaks_in_the_declared_format():
    assert espeak_path(), (
        "espeak-ng is not installed; `make test` installs it (Debian: apt-get install espeak-ng)"
    )

    async def synthesize() -> list:
        voice = EspeakTTS()
        return [event.frame async for event in voice.synthesize("Tell me about your last project.")]

    frames = async_to_sync(synthesize)()

    assert frames
    assert {(f.sample_rate, f.num_channels) for f in frames} == {(SAMPLE_RATE, 1)}
    seconds = sum(f.samples_per_channel for f in frames) / SAMPLE_RATE
    assert 1.0 < seconds < 10.0
    # Real speech, not the WAV header or silence.
    assert max(max(abs(s) for s in f.data) for f in frames) > 1000
