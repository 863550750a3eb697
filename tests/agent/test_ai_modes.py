"""Choosing the interviewer from settings, and refusing to start without what it needs."""

import logging

import pytest
from asgiref.sync import async_to_sync
from django.test import override_settings

from agent_worker import ai_modes
from agent_worker.structured.interviewer import StructuredInterviewer
from agent_worker.voice.espeak_tts import EspeakTTS


def build(mode: str) -> ai_modes.SessionPlan:
    async def create() -> ai_modes.SessionPlan:
        return ai_modes.build_session(mode, vad_model=None)

    return async_to_sync(create)()


@override_settings(OPENAI_API_KEY="sk-test", REALTIME_VOICE="shimmer")
def test_realtime_speaks_with_the_seed_voice_in_audio_and_text():
    from livekit.plugins.openai.realtime import RealtimeModel

    plan = build("realtime")

    model = plan.session.llm
    assert isinstance(model, RealtimeModel)
    assert model._opts.voice == "shimmer"
    assert model.capabilities.audio_output is True  # modalities audio + text
    assert (plan.hears_speech, plan.speaks) == (True, True)


@override_settings(
    OPENAI_API_KEY="sk-test",
    PIPELINE_STT_MODEL="whisper-local",
    PIPELINE_STT_BASE_URL="http://127.0.0.1:9001/v1",
    PIPELINE_LLM_MODEL="llama-local",
    PIPELINE_LLM_BASE_URL="http://127.0.0.1:9002/v1",
    PIPELINE_TTS_MODEL="tts-local",
    PIPELINE_TTS_BASE_URL="http://127.0.0.1:9003/v1",
    PIPELINE_TTS_VOICE="alloy",
)
def test_pipeline_uses_the_configured_models_and_servers():
    plan = build("pipeline")

    session = plan.session
    assert session.stt._opts.model == "whisper-local"
    assert str(session.stt._client.base_url).startswith("http://127.0.0.1:9001/v1")
    assert session.llm._opts.model == "llama-local"
    assert str(session.llm._client.base_url).startswith("http://127.0.0.1:9002/v1")
    assert (session.tts._opts.model, session.tts._opts.voice) == ("tts-local", "alloy")
    assert str(session.tts._client.base_url).startswith("http://127.0.0.1:9003/v1")


def test_structured_speaks_through_espeak_and_cannot_hear():
    plan = build("structured")

    assert isinstance(plan.session.llm, StructuredInterviewer)
    # espeak-ng, each sentence synthesized once per process (agent_worker.voice.speech_cache)
    assert isinstance(plan.session.tts.wrapped, EspeakTTS)
    assert (plan.hears_speech, plan.speaks) == (False, True)


def test_structured_runs_text_only_with_one_warning_without_espeak(monkeypatch, caplog):
    monkeypatch.setattr(ai_modes, "espeak_path", lambda: None)
    monkeypatch.setattr(ai_modes, "_warned_about_espeak", False)

    with caplog.at_level(logging.WARNING, logger="agent_worker.ai_modes"):
        first, second = build("structured"), build("structured")

    assert first.session.tts is None and second.session.tts is None
    assert first.speaks is False
    warnings = [r for r in caplog.records if "espeak-ng is not installed" in r.getMessage()]
    assert len(warnings) == 1


@pytest.mark.parametrize("mode", ["realtime", "pipeline"])
def test_an_ai_provider_mode_without_a_key_is_a_configuration_problem(mode):
    with override_settings(INTERVIEW_AI=mode, OPENAI_API_KEY=""):
        problems = ai_modes.configuration_problems()

    assert problems == [
        f"INTERVIEW_AI={mode} needs OPENAI_API_KEY (any value for a keyless self-hosted "
        "server), or use INTERVIEW_AI=structured, which needs no AI provider."
    ]


@override_settings(INTERVIEW_AI="structured", OPENAI_API_KEY="")
def test_the_structured_interviewer_needs_nothing_more():
    assert ai_modes.configuration_problems() == []


@override_settings(LIVEKIT_URL="127.0.0.1:7880", LIVEKIT_API_SECRET="")
def test_livekit_settings_are_checked():
    problems = ai_modes.configuration_problems()

    assert any("LIVEKIT_URL" in problem for problem in problems)
    assert any("LIVEKIT_API_SECRET" in problem for problem in problems)


def test_every_mode_is_described_once_in_the_worker_and_built_as_itself():
    from interviews.modes import MODES

    assert tuple(ai_modes.INTERVIEWER_MODES) == MODES
    for name, mode in ai_modes.INTERVIEWER_MODES.items():
        assert mode.name == name
    with override_settings(OPENAI_API_KEY="sk-test"):
        for name in MODES:
            assert build(name).mode is ai_modes.interviewer_mode(name)


def test_an_unknown_mode_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown interviewer mode 'chatty'"):
        ai_modes.interviewer_mode("chatty")
