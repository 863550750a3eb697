"""Recordings for tests: Ogg/Opus files of tones (the candidate on the left channel, the
interviewer on the right), stored as the agent stores them."""

from datetime import datetime
from pathlib import Path

import av
import numpy as np
import pytest

from interviews.models import Interview, Recording
from interviews.services.recordings import recording_add_part

RATE = 48_000


def tone_ogg(path: Path, *, seconds: float, left_hz: float = 440.0, right_hz: float = 0.0) -> Path:
    samples = int(seconds * RATE)
    t = np.arange(samples) / RATE
    left = np.sin(2 * np.pi * left_hz * t) if left_hz else np.zeros(samples)
    right = np.sin(2 * np.pi * right_hz * t) if right_hz else np.zeros(samples)
    block = (np.stack([left, right]) * 0.4).astype(np.float32)
    with av.open(str(path), mode="w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=RATE, layout="stereo")
        for start in range(0, samples, RATE):
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(block[:, start : start + RATE]), format="fltp", layout="stereo"
            )
            frame.sample_rate = RATE
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def record_part(
    interview: Interview, directory: Path, *, started_at: datetime, seconds: float, **tones
) -> Recording:
    path = tone_ogg(directory / f"part-{started_at.timestamp()}.ogg", seconds=seconds, **tones)
    return recording_add_part(interview=interview, path=path, started_at=started_at)


@pytest.fixture
def recordings_in_memory(settings):
    """Recordings kept in memory for the test, not under the project's directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "recordings": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
