"""Caption pacing for less CPU: the fast speaking-rate detector gives livekit-agents' own
numbers, and every session's transcript synchronizer uses it once the worker is loaded."""

import asyncio

import numpy as np
import pytest
from livekit import rtc
from livekit.agents.voice.io import AudioOutput, AudioOutputCapabilities
from livekit.agents.voice.transcription._speaking_rate import (
    SpeakingRateDetector,
    SpeakingRateStream,
)
from livekit.agents.voice.transcription.synchronizer import TranscriptSynchronizer

from agent_worker.voice import speaking_rate
from tests.agent.voice.test_offline_stt import ESPEAK_RATE, spoken

SENTENCE = "Could you describe a time you changed a design after a review?"


def as_float(pcm: np.ndarray) -> np.ndarray:
    return (pcm / np.iinfo(np.int16).max).astype(np.float32)


@pytest.mark.parametrize("sample_rate", [ESPEAK_RATE, 24000, 48000])
def test_the_spectral_flux_of_speech_is_livekits_own(sample_rate):
    speech = spoken(SENTENCE)
    if sample_rate != ESPEAK_RATE:  # as the room's resampler would hand it on
        positions = np.arange(0, len(speech), ESPEAK_RATE / sample_rate)
        speech = np.interp(positions, np.arange(len(speech)), speech).astype(np.int16)
    library = SpeakingRateStream.__new__(SpeakingRateStream)
    for start in range(0, len(speech) - sample_rate, sample_rate // 10):
        window = as_float(speech[start : start + sample_rate])
        assert speaking_rate.spectral_flux(window, sample_rate) == pytest.approx(
            library._spectral_flux(window, sample_rate), rel=1e-9
        )


def test_audio_too_short_for_two_frames_has_no_flux():
    library = SpeakingRateStream.__new__(SpeakingRateStream)
    for length in (0, 100, 551, 826):  # a 25 ms frame is 551 samples
        audio = as_float(np.full(length, 3000, dtype=np.int16))
        assert speaking_rate.spectral_flux(audio, ESPEAK_RATE) == 0.0
        if length >= 551:  # the library's own fails on less than a frame
            assert library._spectral_flux(audio, ESPEAK_RATE) == 0.0


def events_of(detector: SpeakingRateDetector, pcm: np.ndarray) -> list[tuple]:
    """What a stream of `detector` reports for `pcm` pushed in 50 ms frames, then silence."""

    async def scenario() -> list[tuple]:
        stream = detector.stream()
        step = ESPEAK_RATE // 20
        for start in range(0, len(pcm) - step, step):
            chunk = pcm[start : start + step].tobytes()
            stream.push_frame(rtc.AudioFrame(chunk, ESPEAK_RATE, 1, step))
        stream.end_input()
        return [(e.timestamp, e.speaking, round(e.speaking_rate, 9)) async for e in stream]

    return asyncio.run(scenario())


def test_a_sentence_gets_the_same_speaking_rate_events_as_from_livekits_detector():
    speech = np.concatenate([spoken(SENTENCE), np.zeros(ESPEAK_RATE, dtype=np.int16)])
    fast = events_of(speaking_rate.FastSpeakingRateDetector(), speech)
    assert len(fast) > 10
    assert any(speaking for _t, speaking, _rate in fast)
    assert not fast[-1][1]  # the trailing second of silence
    assert fast == events_of(SpeakingRateDetector(), speech)


class SilentOutput(AudioOutput):
    def __init__(self) -> None:
        super().__init__(
            label="silent",
            next_in_chain=None,
            sample_rate=ESPEAK_RATE,
            capabilities=AudioOutputCapabilities(pause=False),
        )

    async def capture_frame(self, frame: rtc.AudioFrame) -> None:
        await super().capture_frame(frame)

    def flush(self) -> None:
        super().flush()

    def clear_buffer(self) -> None:
        pass


def detector_of_a_new_synchronizer() -> SpeakingRateDetector:
    async def build() -> SpeakingRateDetector:
        synchronizer = TranscriptSynchronizer(
            next_in_chain_audio=SilentOutput(), next_in_chain_text=None
        )
        try:
            return synchronizer._opts.speaking_rate_detector
        finally:
            await synchronizer.aclose()

    return asyncio.run(build())


def test_the_worker_makes_transcript_synchronizers_pace_captions_with_the_fast_detector():
    import agent_worker.session.worker  # noqa: F401 - loading the worker installs it

    assert isinstance(detector_of_a_new_synchronizer(), speaking_rate.FastSpeakingRateDetector)
