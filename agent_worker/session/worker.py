"""The LiveKit agent worker: `build_server()` makes the one server that `python manage.py
runagent` (and the benchmark) runs.

Each job runs in its own process, which imports this module fresh to find the
entrypoint and `prewarm`; so Django is set up here, before anything imports a model, and
what an interview needs is imported or loaded here or in `prewarm`, before a candidate
waits for it.
"""

import asyncio
import contextlib
import gc
import importlib
import logging
import os
from typing import Any

import django
from django.apps import apps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiring.settings")
if not apps.ready:
    django.setup()

from django.conf import settings  # noqa: E402
from livekit import rtc  # noqa: E402
from livekit.agents import (  # noqa: E402
    AgentServer,
    JobContext,
    JobExecutorType,
    JobProcess,
    tokenize,
    vad,
)
from livekit.agents.ipc.log_queue import LogQueueHandler  # noqa: E402
from livekit.agents.utils import http_context  # noqa: E402
from livekit.agents.worker import ServerEnvOption  # noqa: E402

# LiveKit plugins register themselves on import and must be imported on the main thread:
# importing inside prewarm breaks the thread job executor.
from livekit.plugins import silero  # noqa: E402

from agent_worker.ai_modes import interviewer_mode, prewarm_speech  # noqa: E402
from agent_worker.session.job import run_interview  # noqa: E402
from agent_worker.understanding.intents import intent_model  # noqa: E402
from agent_worker.voice import speaking_rate  # noqa: E402
from agent_worker.voice.offline_stt import load_offline_stt  # noqa: E402
from interviews.modes import AI_MODES  # noqa: E402

speaking_rate.install()

if settings.INTERVIEW_AI in AI_MODES:
    # The OpenAI plugin and the openai SDK's Realtime types take about a second to import:
    # here, while the process warms up, rather than on the event loop as an interview starts.
    from livekit.plugins import openai  # noqa: E402, F401

DEFAULT_MAX_RETRY = 16
DEFAULT_HEALTH_PORT = 8081


def _log_through_worker_only() -> None:
    """A job process forwards every log record to the worker, which prints it with the
    same logging settings; the handlers Django's LOGGING installed in this process would
    print each record a second time."""
    root = logging.getLogger()
    if any(isinstance(handler, LogQueueHandler) for handler in root.handlers):
        for handler in [h for h in root.handlers if not isinstance(h, LogQueueHandler)]:
            root.removeHandler(handler)


def prewarm(proc: JobProcess) -> None:
    """Runs once per job process, before any job: load what every interview needs, and do
    now the one-time work the interview would otherwise do on its event loop as it starts
    (a job process runs one interview, so that is every interview).

    Stalls of the loop while the candidate's audio flows are what makes LiveKit's voice
    activity detection log "VAD inference is slower than realtime", even on an idle
    machine: it times each 32 ms window from the start of its processing to its result,
    the wait for the loop included, and warns past 200 ms, while the model itself takes
    about 1 ms a window."""
    _log_through_worker_only()
    # The first HTTP session of a process parses the CA bundle (about 0.1 s); LiveKit
    # caches the result, so parse it now rather than on the loop when an interview ends.
    http_context._create_ssl_context()
    mode = interviewer_mode(settings.INTERVIEW_AI)
    if mode.uses_vad:
        proc.userdata["vad"] = silero.VAD.load()
        _detect_voice_in_silence(proc.userdata["vad"], sample_rate=mode.input_sample_rate)
    if mode.offline_speech and settings.STRUCTURED_SPEECH_TO_TEXT:
        proc.userdata["stt"] = load_offline_stt()
    # What a candidate means (and whether a request was filed as an answer, in every
    # mode): the embedding model and the classifier, loaded once per process.
    intent_model()
    if mode.offline_speech:
        # The greeting's first sentence then plays from memory (a process start of
        # espeak-ng saved per sentence while interviews start together).
        prewarm_speech()
    # LiveKit times every caption against the speech syllable by syllable; its
    # hyphenation table is built on first use, as the greeting is said: 30-50 ms of CPU,
    # several times that on the loop when the machine is busy.
    tokenize.basic.hyphenate_word("interview")
    _import_what_the_first_session_imports(mode.first_session_imports)
    if proc.executor_type == JobExecutorType.PROCESS:
        _freeze_what_was_loaded()


def _detect_voice_in_silence(model: vad.VAD, *, sample_rate: int) -> None:
    """Run voice activity detection once, on silence, the way a session does (a stream at
    the rate the session receives the candidate's audio, resampled when it is not the
    model's): the process's first inference (and resampler) are then behind it when the
    candidate's first frames arrive."""

    async def detect() -> None:
        stream = model.stream()
        samples = sample_rate // 10  # 100 ms: three of the model's windows
        silence = rtc.AudioFrame(bytes(2 * samples), sample_rate, 1, samples)
        stream.push_frame(silence)
        stream.end_input()
        async for _event in stream:
            pass
        await stream.aclose()

    asyncio.run(detect())


def _import_what_the_first_session_imports(names: tuple[str, ...]) -> None:
    for name in names:
        # Another version of a library may have moved the module: its first use is then
        # only slower, never broken.
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def _freeze_what_was_loaded() -> None:
    """Exempt what the process has loaded (Django, our code, the models: over 60,000
    objects, kept for its lifetime) from the garbage collector, as LiveKit does for what
    its forkserver preloads: otherwise each full collection during the interview walks
    them all, 40-90 ms on the event loop. A job process runs one job, so nothing of an
    interview is frozen; a thread executor's workers share one process, so not there."""
    gc.collect()  # what the warm-up left unreachable is freed, not kept forever
    gc.freeze()


# LiveKit's server offers a job only to a worker whose reported load is under its target
# (0.7). The default load is the machine's CPU use, which says little about how many
# interviews this worker can hold on a machine shared with other programs; report the
# share of AGENT_MAX_INTERVIEWS in use instead, scaled so that the limit meets the target.
LIVEKIT_TARGET_LOAD = 0.7


def interview_load(server: AgentServer) -> float:
    return LIVEKIT_TARGET_LOAD * len(server.active_jobs) / settings.AGENT_MAX_INTERVIEWS


async def entrypoint(ctx: JobContext) -> None:
    await run_interview(ctx)


def build_server(
    *,
    max_retry: int = DEFAULT_MAX_RETRY,
    health_port: int | None = None,
    load_threshold: float | None = None,
) -> AgentServer:
    """The worker, configured from Django settings (LiveKit reads them from the
    environment otherwise). Production mode serves a health check on `health_port` and
    refuses new jobs while its load (see `interview_load`) is above `load_threshold`
    (LiveKit's default 0.7, reached at AGENT_MAX_INTERVIEWS)."""
    # Left out, LiveKit's own default applies (it differs between dev and production).
    extra: dict[str, Any] = {} if load_threshold is None else {"load_threshold": load_threshold}
    if settings.AGENT_IDLE_PROCESSES is not None:
        extra["num_idle_processes"] = settings.AGENT_IDLE_PROCESSES
    server = AgentServer(
        setup_fnc=prewarm,
        load_fnc=interview_load,
        ws_url=settings.LIVEKIT_URL,
        api_key=settings.LIVEKIT_API_KEY,
        api_secret=settings.LIVEKIT_API_SECRET,
        max_retry=max_retry,
        # A job process imports this module and runs prewarm (the VAD and speech-to-text
        # models) before it takes a job; past this LiveKit kills it with SIGUSR1 (it exits
        # with code -10). LiveKit's default of 10 s is too short on a busy machine.
        initialize_process_timeout=settings.AGENT_PREWARM_TIMEOUT_SECONDS,
        job_executor_type=JobExecutorType(settings.AGENT_JOB_EXECUTOR),
        host=settings.AGENT_HEALTH_HOST,
        port=(
            health_port
            if health_port is not None
            else ServerEnvOption(dev_default=0, prod_default=DEFAULT_HEALTH_PORT)
        ),
        **extra,
    )
    server.rtc_session(agent_name=settings.LIVEKIT_AGENT_NAME)(entrypoint)
    return server
