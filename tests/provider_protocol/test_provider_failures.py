"""The AI service failing, for each mode and each way it fails: the candidate is told,
the interview is interrupted (resumable from the next question), never left silent, and
the cause is logged once without personal data.

The real job (`run_interview`) runs in-process against the local server. livekit-agents
retries a failing request before giving up; the tests shorten its retries and timeouts
(1 retry, 2 s) so that a stalled stream fails in seconds, not in about 45 s (3 retries of
10 s, LiveKit's default). A Realtime reply that never starts is given up after 10 s by
livekit-agents itself.
"""

import asyncio
import functools
import logging
import time
from collections.abc import Callable

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from livekit.agents import AgentSession, APIConnectOptions
from livekit.agents.testing import fake_job_context
from livekit.agents.voice.agent_session import SessionConnectOptions
from livekit.plugins import silero
from livekit.plugins.openai import realtime

from agent_worker import ai_modes
from agent_worker.session.job import run_interview
from agent_worker.session.run import AI_SERVICE_LOST_MESSAGE, InterviewRun
from interviews.dispatch import DispatchMetadata
from interviews.models import Interview
from tests.provider_protocol.conftest import close_models
from tests.provider_protocol.interviewer_model import InterviewerModel
from tests.provider_protocol.openai_server import Failure, ScriptedOpenAIServer

pytestmark = [pytest.mark.provider_protocol, pytest.mark.django_db]

FAST = APIConnectOptions(max_retry=1, retry_interval=0.1, timeout=2.0)
FAILURES = {
    "connection refused": None,
    "401 bad key": Failure.UNAUTHORIZED,
    "429 rate limited": Failure.RATE_LIMITED,
    "500 server error": Failure.SERVER_ERROR,
    "stalled stream": Failure.STALL,
}
LOST_LOG = "the AI service failed; interrupting the interview"


@pytest.fixture
def fast_retries(monkeypatch) -> None:
    options = SessionConnectOptions(
        stt_conn_options=FAST, llm_conn_options=FAST, tts_conn_options=FAST
    )
    monkeypatch.setattr(
        ai_modes, "AgentSession", functools.partial(AgentSession, conn_options=options)
    )
    monkeypatch.setattr(
        realtime, "RealtimeModel", functools.partial(realtime.RealtimeModel, conn_options=FAST)
    )


def break_the_service(server: ScriptedOpenAIServer, failure: Failure | None) -> None:
    if failure is None:
        server.stop()  # its address now refuses connections
    else:
        server.fail(failure)


def run_job(
    interview: Interview,
    mode: str,
    *,
    until: Callable[[], bool],
    during: Callable[[InterviewRun], object] | None = None,
) -> float:
    """Run the interview's job in-process until `until()` holds; returns the seconds it took."""

    async def job() -> float:
        metadata = DispatchMetadata(interview_id=interview.public_id).to_json()
        with fake_job_context(job_metadata=metadata) as ctx:
            if ai_modes.interviewer_mode(mode).uses_vad:
                ctx.proc.userdata["vad"] = silero.VAD.load()
            started = time.monotonic()
            run = await asyncio.wait_for(run_interview(ctx), 30)
            try:
                if during is not None:
                    await during(run)
                while not await sync_to_async(until)():
                    if time.monotonic() - started > 40:
                        raise AssertionError("the interview was left waiting")
                    await asyncio.sleep(0.05)
                return time.monotonic() - started
            finally:
                await run.finish()
                await close_models(run.session)

    return async_to_sync(job)()


def interrupted(interview: Interview) -> Callable[[], bool]:
    def check() -> bool:
        return Interview.objects.get(pk=interview.pk).status == Interview.Status.INTERRUPTED

    return check


def transcript_of(interview: Interview) -> list[tuple[str, str]]:
    return list(interview.transcript.order_by("sequence").values_list("speaker", "text"))


def lost_service_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage() == LOST_LOG]


@pytest.mark.parametrize("mode", ["pipeline", "realtime"])
@pytest.mark.parametrize("failure", FAILURES.values(), ids=FAILURES.keys())
def test_a_failing_ai_service_interrupts_the_interview_with_a_message(
    mode, failure, ai_settings, settings, openai_server, personal_interview, fast_retries, caplog
):
    settings.INTERVIEW_AI = mode
    openai_server.policy = InterviewerModel()
    break_the_service(openai_server, failure)

    with caplog.at_level(logging.INFO):
        run_job(personal_interview, mode, until=interrupted(personal_interview))

    personal_interview.refresh_from_db()
    assert personal_interview.status == Interview.Status.INTERRUPTED
    assert personal_interview.ai_mode == mode
    assert transcript_of(personal_interview) == [("agent", AI_SERVICE_LOST_MESSAGE)]
    [record] = lost_service_records(caplog)
    assert record.interview == str(personal_interview.public_id)
    assert record.mode == mode
    expected_status = failure.value if failure not in (None, Failure.STALL) else None
    if mode == "pipeline":
        assert record.status_code == expected_status
    logged = " ".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records)
    assert "invited@example.com" not in logged
    assert "Ivy Invited" not in logged


@pytest.mark.parametrize("mode", ["pipeline", "realtime"])
def test_answers_given_before_the_service_fails_are_kept_and_the_interview_resumes(
    mode, ai_settings, settings, openai_server, personal_interview, fast_retries, caplog
):
    settings.INTERVIEW_AI = mode
    openai_server.policy = InterviewerModel()

    async def answer_once_then_the_service_fails(run: InterviewRun) -> None:
        await run.session.run(user_input="The slow query log.")
        openai_server.fail(Failure.SERVER_ERROR)
        openai_server.disconnect()  # a Realtime connection drops, and cannot come back
        run.session.generate_reply(user_input="A queue when work must survive.")

    run_job(
        personal_interview,
        mode,
        until=interrupted(personal_interview),
        during=answer_once_then_the_service_fails,
    )

    first, second = personal_interview.asked.order_by("sequence")
    assert (first.answer, second.answer) == ("The slow query log.", "")
    transcript = transcript_of(personal_interview)
    assert ("candidate", "The slow query log.") in transcript
    # The message typed as the service failed may be stored just after the notice.
    agent_lines = [text for speaker, text in transcript if speaker == "agent"]
    assert agent_lines[-1] == AI_SERVICE_LOST_MESSAGE
    assert agent_lines.count(AI_SERVICE_LOST_MESSAGE) == 1
    assert len(lost_service_records(caplog)) == 1

    # A new job, once the service is back, continues at the next unanswered question.
    openai_server.recover()

    def asked_again() -> bool:
        return personal_interview.transcript.filter(text__endswith=second.text).exists()

    run_job(personal_interview, mode, until=asked_again)
    personal_interview.refresh_from_db()
    assert personal_interview.status == Interview.Status.INTERRUPTED  # the job stopped
    assert personal_interview.asked.count() == 2
