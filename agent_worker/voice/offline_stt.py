"""Speech-to-text on the CPU, with no provider and no download: moonshine-voice 0.0.4 and
the tiny English model shipped inside its wheel.

`MoonshineSTT` is a non-streaming `stt.STT`: livekit-agents runs it behind voice-activity
detection (through `stt.StreamAdapter`), one utterance at a time. The model is loaded once
per process (`load_transcriber()`, cheap to call again; call it from a worker's prewarm)
and transcription runs in a thread so the event loop never waits on it. Frames arrive at
the room's rate (often 48 kHz, any channel count) and are mixed down and resampled to the
16 kHz mono the model expects.
"""

import asyncio
import logging
import threading
from typing import TYPE_CHECKING

import numpy as np
from livekit import rtc
from livekit.agents import APIConnectOptions, APIError, stt, utils
from livekit.agents.language import LanguageCode
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS, NOT_GIVEN, NotGivenOr

if TYPE_CHECKING:
    from moonshine_voice import Transcriber

logger = logging.getLogger(__name__)

MODEL_NAME = "tiny-en"
MODEL_SAMPLE_RATE = 16000
LANGUAGE = LanguageCode("en")
# Longer utterances are cut: the tiny model is meant for sentences, not monologues, and
# VAD ends a turn at the first pause anyway.
MAX_UTTERANCE_SECONDS = 60

_transcriber: "Transcriber | None" = None
_load_lock = threading.Lock()
# One native transcriber per process, used by one utterance at a time.
_transcribe_lock = threading.Lock()


class SpeechToTextUnavailable(RuntimeError):
    """The offline model cannot be loaded here; candidates can still type."""


def load_transcriber() -> "Transcriber":
    """The process's moonshine transcriber, loaded on first use (about half a second)."""
    global _transcriber
    with _load_lock:
        if _transcriber is None:
            try:
                from moonshine_voice import ModelArch, Transcriber, get_model_path

                path = get_model_path(MODEL_NAME)
                if not path.is_dir():
                    raise SpeechToTextUnavailable(f"the {MODEL_NAME} model is not installed")
                _transcriber = Transcriber(str(path), ModelArch.TINY)
            except SpeechToTextUnavailable:
                raise
            except Exception as error:  # an ImportError, or the native library failing
                raise SpeechToTextUnavailable(str(error)) from error
        return _transcriber


def to_model_samples(frame: rtc.AudioFrame) -> np.ndarray:
    """`frame` as 16 kHz mono float32 samples in [-1, 1]."""
    pcm = np.frombuffer(frame.data, dtype=np.int16)
    if frame.num_channels > 1:
        pcm = pcm.reshape(-1, frame.num_channels).mean(axis=1).astype(np.int16)
    pcm = pcm[: MAX_UTTERANCE_SECONDS * frame.sample_rate]
    if frame.sample_rate != MODEL_SAMPLE_RATE and len(pcm):
        resampler = rtc.AudioResampler(
            frame.sample_rate,
            MODEL_SAMPLE_RATE,
            num_channels=1,
            quality=rtc.AudioResamplerQuality.HIGH,
        )
        mono = rtc.AudioFrame(
            data=pcm.tobytes(),
            sample_rate=frame.sample_rate,
            num_channels=1,
            samples_per_channel=len(pcm),
        )
        frames = [*resampler.push(mono), *resampler.flush()]
        pcm = np.concatenate([np.frombuffer(f.data, dtype=np.int16) for f in frames or []])
    return (pcm.astype(np.float32) / 32768.0).clip(-1.0, 1.0)


def transcribe(frame: rtc.AudioFrame) -> str:
    """The words in `frame` (blocking: call it in a thread)."""
    samples = to_model_samples(frame)
    if not len(samples):
        return ""
    transcriber = load_transcriber()
    with _transcribe_lock:
        # Not moonshine's streaming path: on a busy machine it decodes the same audio into
        # other words ("slow query" heard as "slog weary" one time in six beside two busy
        # loops); this one gives the same words every time.
        transcript = transcriber.transcribe_without_streaming(samples.tolist(), MODEL_SAMPLE_RATE)
    # Given audio without speech, moonshine 0.0.4 returns the previous utterance's lines
    # again, marked not updated: they are not this utterance's words.
    return " ".join(
        line.text.strip() for line in transcript.lines if line.is_updated and line.text.strip()
    )


class MoonshineSTT(stt.STT):
    def __init__(self) -> None:
        super().__init__(capabilities=stt.STTCapabilities(streaming=False, interim_results=False))

    @classmethod
    def load(cls) -> "MoonshineSTT":
        """An STT whose model is already loaded; raises SpeechToTextUnavailable."""
        load_transcriber()
        return cls()

    @property
    def model(self) -> str:
        return f"moonshine-{MODEL_NAME}"

    @property
    def provider(self) -> str:
        return "local"

    async def _recognize_impl(
        self,
        buffer: utils.AudioBuffer,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
    ) -> stt.SpeechEvent:
        frames = buffer if isinstance(buffer, list) else [buffer]
        frames = [frame for frame in frames if frame.samples_per_channel]
        text = ""
        if frames:
            try:
                text = await asyncio.to_thread(transcribe, rtc.combine_audio_frames(frames))
            except SpeechToTextUnavailable:
                raise
            except Exception as error:
                raise APIError("offline speech-to-text failed", retryable=False) from error
        return stt.SpeechEvent(
            type=stt.SpeechEventType.FINAL_TRANSCRIPT,
            request_id=utils.shortuuid("moonshine_"),
            alternatives=[stt.SpeechData(language=LANGUAGE, text=text)],
        )


def load_offline_stt() -> MoonshineSTT | None:
    """The offline STT with its model loaded, or None (logged once) when it cannot load:
    the interviewer then asks candidates to type."""
    try:
        return MoonshineSTT.load()
    except SpeechToTextUnavailable as error:
        logger.warning(
            "offline speech-to-text is unavailable; candidates will answer by typing",
            extra={"reason": str(error)},
        )
        return None
