"""The three interviewers (settings.INTERVIEW_AI) and the checks that run before a worker
starts, so a misconfiguration stops `runagent` instead of failing mid-interview.

- realtime:   OpenAI Realtime speech-to-speech (the seed's model parameters).
- pipeline:   speech-to-text, LLM and text-to-speech through livekit-plugins-openai, each
              with its own model and base URL (self-hosted OpenAI-compatible servers).
- structured: the deterministic interviewer (structured.py) speaking through espeak-ng
              where installed; candidates type, or speak when the offline speech-to-text
              (offline_stt.py, behind voice activity detection) is loaded. Needs no
              provider.
"""

import logging
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings
from livekit.agents import AgentSession, stt, tokenize, vad
from livekit.agents.types import NOT_GIVEN
from livekit.agents.voice.room_io import AudioInputOptions
from livekit.agents.voice.turn import TurnHandlingOptions

from agent_worker import prompts
from agent_worker.structured.interviewer import StructuredInterviewer
from agent_worker.voice import speech_cache
from agent_worker.voice.espeak_tts import WAV_HEADER_BYTES, EspeakTTS, espeak_path
from agent_worker.voice.offline_stt import MODEL_SAMPLE_RATE
from interviews.modes import AI_MODES, MODES

logger = logging.getLogger(__name__)

REALTIME_TEMPERATURE = 0.8
# Several tool calls can chain in one turn (record_answer -> get_next_question ->
# end_interview) before the reply.
MAX_TOOL_STEPS = 5
# Structured mode hearing speech: the silence that ends a spoken turn. A pause shorter
# than this inside an answer (a breath, a thought) does not end it.
SPOKEN_TURN_END_SECONDS = 2.5
# Speech this long while the interviewer talks interrupts it (a cough does not).
SPOKEN_INTERRUPTION_SECONDS = 1.0

_warned_about_espeak = False


def configuration_problems() -> list[str]:
    """What keeps the agent from starting with the current settings; empty when ready."""
    problems = []
    url = urlparse(settings.LIVEKIT_URL or "")
    if url.scheme not in ("ws", "wss", "http", "https") or not url.netloc:
        problems.append(
            f"LIVEKIT_URL must be the LiveKit server's address, like ws://127.0.0.1:7880; "
            f"got {settings.LIVEKIT_URL!r}."
        )
    if not settings.LIVEKIT_API_KEY or not settings.LIVEKIT_API_SECRET:
        problems.append("LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be set.")
    if not settings.LIVEKIT_AGENT_NAME:
        problems.append("LIVEKIT_AGENT_NAME must be set; the join page dispatches that name.")
    mode = settings.INTERVIEW_AI
    if mode not in MODES:
        problems.append(f"INTERVIEW_AI must be one of {', '.join(MODES)}; got {mode!r}.")
    elif mode in AI_MODES and not settings.OPENAI_API_KEY:
        problems.append(
            f"INTERVIEW_AI={mode} needs OPENAI_API_KEY (any value for a keyless self-hosted "
            "server), or use INTERVIEW_AI=structured, which needs no AI provider."
        )
    return problems


# LiveKit's own rate for a session's audio input.
LIVEKIT_INPUT_SAMPLE_RATE = AudioInputOptions().sample_rate
# What LiveKit and the OpenAI SDK import on first use, as the session starts and greets:
# 3-35 ms of CPU each, up to 100 ms on the loop of a busy machine (imported in prewarm).
FIRST_SESSION_IMPORTS = ("livekit.agents.llm.async_toolset", "numpy.fft")
PIPELINE_FIRST_SESSION_IMPORTS = ("anyio._backends._asyncio", "openai.lib.streaming.chat")


@dataclass(frozen=True)
class SessionPlan:
    mode: "InterviewerMode"
    session: AgentSession
    # Whether spoken answers reach the interviewer (an STT, or speech-to-speech).
    hears_speech: bool
    speaks: bool


@dataclass(frozen=True)
class InterviewerMode:
    """What one interviewer does differently in the worker, said once: the worker, the
    job and the run read these fields, never the mode's name."""

    name: str
    build: Callable[[vad.VAD | None, stt.STT | None], SessionPlan]
    # Voice activity detection in the job process. Realtime detects turns server-side;
    # structured uses it to cut spoken answers, or only to notice a candidate talking to
    # an interviewer that cannot hear, and suggest typing.
    uses_vad: bool
    # The rate the session receives the candidate's audio at. The structured
    # interviewer's voice detection and speech-to-text run at the models' 16 kHz, so the
    # room's stream delivers that and neither resamples each frame (nor adds a second
    # gain control to the browser's); the AI modes keep LiveKit's.
    input_sample_rate: int
    # The scripted interviewer's own turn-taking: consecutive typed messages are one
    # answer, "... that's it" ends a spoken turn at once, a long silence gets a prompt.
    scripted_turns: bool
    # Offline speech-to-text and espeak-ng sentences, loaded when a job process warms up.
    offline_speech: bool
    # The pipeline's text-to-speech may outlive its LLM (it can be another server): the
    # lost-service notice is then also said aloud. Realtime's voice is what failed.
    says_lost_service_aloud: bool
    first_session_imports: tuple[str, ...] = FIRST_SESSION_IMPORTS


def interviewer_mode(name: str) -> InterviewerMode:
    try:
        return INTERVIEWER_MODES[name]
    except KeyError:
        raise ValueError(f"unknown interviewer mode {name!r}") from None


def _optional(value: str):  # noqa: ANN202 - NotGiven sentinel for empty settings
    return value or NOT_GIVEN


def build_session(
    mode: str, *, vad_model: vad.VAD | None, stt_model: stt.STT | None = None
) -> SessionPlan:
    """`stt_model`: structured mode's offline speech-to-text (non-streaming), when loaded."""
    return interviewer_mode(mode).build(vad_model, stt_model)


def _realtime_session(vad_model: vad.VAD | None, stt_model: stt.STT | None) -> SessionPlan:
    from livekit.plugins.openai.realtime import RealtimeModel

    model = RealtimeModel(
        model=settings.REALTIME_MODEL,
        voice=settings.REALTIME_VOICE,
        temperature=REALTIME_TEMPERATURE,
        modalities=["text", "audio"],
        api_key=settings.OPENAI_API_KEY,
        base_url=_optional(settings.OPENAI_BASE_URL),
    )
    session: AgentSession[None] = AgentSession(
        llm=model,
        vad=None,
        turn_handling={"turn_detection": "realtime_llm"},
        max_tool_steps=MAX_TOOL_STEPS,
    )
    return SessionPlan(
        mode=INTERVIEWER_MODES["realtime"], session=session, hears_speech=True, speaks=True
    )


def _pipeline_session(vad_model: vad.VAD | None, stt_model: stt.STT | None) -> SessionPlan:
    from livekit.plugins import openai

    key = settings.OPENAI_API_KEY
    session: AgentSession[None] = AgentSession(
        stt=openai.STT(
            model=settings.PIPELINE_STT_MODEL,
            base_url=_optional(settings.PIPELINE_STT_BASE_URL),
            api_key=key,
        ),
        llm=openai.LLM(
            model=settings.PIPELINE_LLM_MODEL,
            base_url=_optional(settings.PIPELINE_LLM_BASE_URL),
            api_key=key,
        ),
        tts=openai.TTS(
            model=settings.PIPELINE_TTS_MODEL,
            voice=settings.PIPELINE_TTS_VOICE,
            base_url=_optional(settings.PIPELINE_TTS_BASE_URL),
            api_key=key,
        ),
        vad=vad_model,
        # Pinned: the default would pick LiveKit's hosted turn detector in some setups.
        turn_handling={"turn_detection": "vad" if vad_model else "stt"},
        max_tool_steps=MAX_TOOL_STEPS,
    )
    return SessionPlan(
        mode=INTERVIEWER_MODES["pipeline"], session=session, hears_speech=True, speaks=True
    )


def _structured_session(vad_model: vad.VAD | None, stt_model: stt.STT | None) -> SessionPlan:
    global _warned_about_espeak
    voice = None
    if espeak_path() is not None:
        espeak = _espeak()
        # Every interview says the same sentences: each is synthesized once per process.
        voice = speech_cache.CachedSpeech(espeak, voice=_espeak_voice(espeak))
    elif not _warned_about_espeak:
        _warned_about_espeak = True
        logger.warning(
            "espeak-ng is not installed: the structured interviewer runs text only "
            "(captions and chat, no voice). Install the Debian package espeak-ng to hear it."
        )
    hears = stt_model is not None and vad_model is not None
    turn_handling: TurnHandlingOptions
    if stt_model is not None and vad_model is not None:
        # The model transcribes whole utterances: VAD cuts them, the adapter transcribes
        # each; the turn ends after SPOKEN_TURN_END_SECONDS of silence, so the
        # utterances of one answer (with pauses between them) are one turn.
        speech_to_text = stt.StreamAdapter(stt=stt_model, vad=vad_model)
        turn_handling = {
            "turn_detection": "vad",
            "endpointing": {
                "mode": "fixed",
                "min_delay": SPOKEN_TURN_END_SECONDS,
                "max_delay": SPOKEN_TURN_END_SECONDS * 2,
            },
            "interruption": {
                "enabled": True,
                "mode": "vad",
                "min_duration": SPOKEN_INTERRUPTION_SECONDS,
                "resume_false_interruption": True,
            },
            "preemptive_generation": {"enabled": False},
        }
    else:
        turn_handling = {
            "turn_detection": "vad" if vad_model else "manual",
            # No speech-to-text: a noise must not cut the interviewer off mid-question.
            "interruption": {"enabled": False},
        }
    session: AgentSession[None] = AgentSession(
        llm=StructuredInterviewer(),
        stt=speech_to_text if hears else NOT_GIVEN,
        tts=voice if voice is not None else NOT_GIVEN,
        vad=vad_model,
        turn_handling=turn_handling,
        max_tool_steps=MAX_TOOL_STEPS,
    )
    return SessionPlan(
        mode=INTERVIEWER_MODES["structured"],
        session=session,
        hears_speech=hears,
        speaks=voice is not None,
    )


INTERVIEWER_MODES: dict[str, InterviewerMode] = {
    "realtime": InterviewerMode(
        name="realtime",
        build=_realtime_session,
        uses_vad=False,
        input_sample_rate=LIVEKIT_INPUT_SAMPLE_RATE,
        scripted_turns=False,
        offline_speech=False,
        says_lost_service_aloud=False,
    ),
    "pipeline": InterviewerMode(
        name="pipeline",
        build=_pipeline_session,
        uses_vad=True,
        input_sample_rate=LIVEKIT_INPUT_SAMPLE_RATE,
        scripted_turns=False,
        offline_speech=False,
        says_lost_service_aloud=True,
        first_session_imports=FIRST_SESSION_IMPORTS + PIPELINE_FIRST_SESSION_IMPORTS,
    ),
    "structured": InterviewerMode(
        name="structured",
        build=_structured_session,
        uses_vad=True,
        input_sample_rate=MODEL_SAMPLE_RATE,
        scripted_turns=True,
        offline_speech=True,
        says_lost_service_aloud=False,
    ),
}


def _espeak() -> EspeakTTS:
    return EspeakTTS(voice=settings.ESPEAK_VOICE, words_per_minute=settings.ESPEAK_WORDS_PER_MINUTE)


def _espeak_voice(espeak: EspeakTTS) -> tuple[str, str, int]:
    return ("espeak-ng", espeak._voice, espeak._words_per_minute)


# The greeting's first sentences, said to every candidate: synthesized while a job
# process warms up (about 25 ms each). The other sentences are cached on first use: a
# warm-up shares the CPU with the interviews starting at the same moment.
FIXED_SPEECH = (
    prompts.WELCOME_MESSAGE,
    prompts.RESUME_MESSAGE,
    prompts.STRUCTURED_TYPING_HINT,
)


def prewarm_speech(texts: tuple[str, ...] = FIXED_SPEECH) -> int:
    """Synthesize the structured interviewer's fixed sentences into the process's speech
    cache, cut as the session will cut them; returns how many are cached. Nothing without
    espeak-ng."""
    program = espeak_path()
    if program is None:
        return 0
    espeak = _espeak()
    voice = _espeak_voice(espeak)
    sentences = tokenize.blingfire.SentenceTokenizer(retain_format=True)
    count = 0
    for text in texts:
        for sentence in sentences.tokenize(text):
            if not sentence.strip() or speech_cache.cached(voice, sentence) is not None:
                continue
            command = [program, "--stdout", "-v", voice[1], "-s", str(voice[2]), "--"]
            try:
                done = subprocess.run(  # noqa: S603 - our program, the text after "--"
                    [*command, " ".join(sentence.split())],
                    capture_output=True,
                    timeout=10,
                    check=True,
                )
            except (OSError, subprocess.SubprocessError):
                logger.warning("could not synthesize the interviewer's sentences ahead")
                return count
            speech_cache.remember(voice, sentence, done.stdout[WAV_HEADER_BYTES:])
            count += 1
    return count
