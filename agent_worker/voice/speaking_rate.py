"""The interviewer's caption pacing, for a quarter of the CPU.

livekit-agents paces each caption to the interviewer's speech with a speaking-rate
estimate: every 0.1 s of synthesized audio it takes the spectral flux of the last second,
an FFT per 25 ms frame in a Python loop, on the job's event loop. That was about half the
CPU an interview with a speaking interviewer used (a profile of five interviews in one
worker). `FastSpeakingRateDetector` computes the same numbers with whole-array numpy, so
captions keep exactly the pace they had; `install()` makes every session's transcript
synchronizer use it.
"""

import numpy as np
from livekit.agents.voice.transcription import synchronizer
from livekit.agents.voice.transcription._speaking_rate import (
    SpeakingRateDetector,
    SpeakingRateStream,
)


def stft(audio: np.ndarray, frame_length: int, hop_length: int) -> np.ndarray:
    """The short-time Fourier transform of SpeakingRateStream._stft (Hann window, scaled
    by the window's norm; one column per frame), computed for all frames at once."""
    frame_count = (len(audio) - frame_length) // hop_length + 1
    window = np.hanning(frame_length)
    scale = 1.0 / np.sqrt(np.sum(window**2))
    if frame_count <= 0:
        return np.zeros((frame_length // 2 + 1, 0), dtype=np.complex128)
    frames = np.lib.stride_tricks.sliding_window_view(audio, frame_length)[::hop_length]
    return (np.fft.rfft(frames[:frame_count] * window, axis=1) * scale).T


def spectral_flux(audio: np.ndarray, sample_rate: int) -> float:
    """SpeakingRateStream._spectral_flux: the mean L1 change of the magnitude spectrum
    between consecutive 25 ms frames (50% overlap)."""
    frame_length = int(sample_rate * 0.025)
    magnitudes = np.abs(stft(audio, frame_length, frame_length // 2))
    if magnitudes.shape[1] < 2:
        return 0.0
    return float(np.mean(np.sum(np.abs(np.diff(magnitudes, axis=1)), axis=0)))


class FastSpeakingRateStream(SpeakingRateStream):
    def _spectral_flux(self, audio: np.ndarray, sample_rate: int) -> float:
        return spectral_flux(audio, sample_rate)


class FastSpeakingRateDetector(SpeakingRateDetector):
    def stream(self) -> SpeakingRateStream:
        return FastSpeakingRateStream(self, self._opts)


def install() -> None:
    """Transcript synchronizers built from now on pace captions with the fast detector
    (the synchronizer builds its detector by this module-level name)."""
    synchronizer.SpeakingRateDetector = FastSpeakingRateDetector  # type: ignore[misc]
