"""What a job process does while it warms up, so that the first minute of an interview
does not stall the event loop: a stall while the candidate's audio flows is what makes
LiveKit's voice activity detection warn "VAD inference is slower than realtime" on an
idle machine (it times each frame from its arrival to its result, the wait included)."""

import gc
import importlib
import importlib.util

import pytest
from livekit.agents import JobExecutorType, JobProcess
from livekit.agents.tokenize import _basic_hyphenator
from livekit.plugins.silero import onnx_model

from agent_worker import ai_modes
from agent_worker.session import worker


def job_process(executor: JobExecutorType = JobExecutorType.PROCESS) -> JobProcess:
    return JobProcess(executor_type=executor, user_arguments=None, http_proxy=None)


@pytest.fixture
def frozen(monkeypatch) -> list[None]:
    """Records gc.freeze() instead of freezing the test process's objects for good."""
    calls: list[None] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append(None))
    return calls


@pytest.fixture
def inferences(monkeypatch) -> list[float]:
    """Every speech probability the voice activity model computes."""
    probabilities: list[float] = []
    infer = onnx_model.OnnxModel.__call__

    def counted(model, samples):  # noqa: ANN001, ANN202
        probabilities.append(infer(model, samples))
        return probabilities[-1]

    monkeypatch.setattr(onnx_model.OnnxModel, "__call__", counted)
    return probabilities


@pytest.mark.parametrize("mode", ["pipeline", "structured"])
def test_prewarm_runs_voice_activity_detection_on_silence_before_any_candidate_speaks(
    settings, mode, inferences, frozen
):
    settings.INTERVIEW_AI = mode
    settings.STRUCTURED_SPEECH_TO_TEXT = False
    proc = job_process()

    worker.prewarm(proc)

    assert "vad" in proc.userdata
    assert inferences, "the model's first inference is left to the first candidate"
    assert max(inferences) < 0.5, "silence was heard as speech"


def test_realtime_loads_no_voice_activity_model_and_runs_none(settings, inferences, frozen):
    settings.INTERVIEW_AI = "realtime"
    proc = job_process()

    worker.prewarm(proc)

    assert "vad" not in proc.userdata
    assert inferences == []


@pytest.mark.parametrize("mode", ["realtime", "pipeline", "structured"])
def test_prewarm_builds_the_table_that_times_captions(settings, mode, frozen):
    settings.INTERVIEW_AI = mode
    settings.STRUCTURED_SPEECH_TO_TEXT = False
    _basic_hyphenator._get_hyphenator.cache_clear()

    worker.prewarm(job_process())

    assert _basic_hyphenator._get_hyphenator.cache_info().currsize == 1


@pytest.mark.parametrize("mode", ["realtime", "pipeline", "structured"])
def test_prewarm_imports_what_the_first_session_would_import_on_its_loop(
    settings, mode, frozen, monkeypatch
):
    settings.INTERVIEW_AI = mode
    settings.STRUCTURED_SPEECH_TO_TEXT = False
    imported: list[str] = []
    import_module = importlib.import_module

    def recorded(name, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        imported.append(name)
        return import_module(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", recorded)

    worker.prewarm(job_process())

    # The one LiveKit's loop monitor names as a session starts, in every mode.
    assert "livekit.agents.llm.async_toolset" in imported
    assert ("openai.lib.streaming.chat" in imported) == (mode == "pipeline")


def test_every_module_prewarm_imports_exists_in_the_installed_libraries():
    """prewarm ignores a module a library no longer has (the interview is then only
    slower): an upgrade that moves one fails here instead."""
    names = ai_modes.FIRST_SESSION_IMPORTS + ai_modes.PIPELINE_FIRST_SESSION_IMPORTS
    assert [name for name in names if importlib.util.find_spec(name) is None] == []


def test_a_job_process_exempts_what_it_loaded_from_garbage_collection(settings, frozen):
    settings.INTERVIEW_AI = "realtime"

    worker.prewarm(job_process(JobExecutorType.PROCESS))

    assert len(frozen) == 1


def test_a_thread_executor_freezes_nothing_its_running_interviews_share_the_process(
    settings, frozen
):
    settings.INTERVIEW_AI = "realtime"

    worker.prewarm(job_process(JobExecutorType.THREAD))

    assert frozen == []
