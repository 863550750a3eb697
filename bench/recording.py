"""Figure 10: what recording an interview costs the interviewer's worker. LiveKit's
RecorderIO places both voices on their channels, mixes and encodes them to Ogg/Opus on a
thread of its own while the interview runs; here it is fed a simulated interview (the
interviewer and the candidate speaking in turns, espeak-ng's voice at the room's 48 kHz)
as fast as it takes it, and the part is then joined to an earlier one as a resumed
interview's is. CPU seconds (all threads of this process) per interview-minute, the file's
size per minute, and the join's cost.

    python -m bench.recording --out recording.json --minutes 10
"""

import argparse
import asyncio
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import numpy as np

from bench.common import load_average, write_json
from bench.speech_to_text import ROOM_RATE, spoken_at_room_rate

SENTENCES = [
    "I would look at the error messages first, then ask my team for help.",
    "Tell me about a time you disagreed with a colleague, and what you did.",
    "We measured both designs under load and kept the simpler one.",
]
FRAME_SECONDS = 0.02
FLUSH_EVERY_SECONDS = 2.5  # RecorderIO's own write interval


async def record(path: Path, minutes: float) -> float:
    """Feed RecorderIO `minutes` of conversation; returns the CPU seconds it took."""
    from livekit import rtc
    from livekit.agents.voice.recorder_io import recorder_io

    speech = np.concatenate([spoken_at_room_rate(text) for text in SENTENCES])
    per_frame = int(ROOM_RATE * FRAME_SECONDS)
    # No session: the frames go straight to the recorder's queue, where a job's session
    # wrappers put them.
    recorder = recorder_io.RecorderIO(agent_session=cast(Any, SimpleNamespace()))
    recorder._in_record = cast(Any, object())
    recorder._out_record = cast(Any, object())
    started_cpu = time.process_time()
    await recorder.start(output_path=path)
    t0 = recorder.recording_started_at
    assert t0 is not None
    total = int(minutes * 60 / FRAME_SECONDS)
    flush_every = int(FLUSH_EVERY_SECONDS / FRAME_SECONDS)
    for index in range(total):
        at = t0 + index * FRAME_SECONDS
        start = (index * per_frame) % (len(speech) - per_frame)
        frame = rtc.AudioFrame(
            data=speech[start : start + per_frame].tobytes(),
            sample_rate=ROOM_RATE,
            num_channels=1,
            samples_per_channel=per_frame,
        )
        # The candidate and the interviewer take turns of about 20 s; the room's microphone
        # track always delivers (silence between words), the interviewer only while speaking.
        candidate_turn = (index * FRAME_SECONDS) % 40 < 20
        silent = rtc.AudioFrame(
            data=bytes(per_frame * 2),
            sample_rate=ROOM_RATE,
            num_channels=1,
            samples_per_channel=per_frame,
        )
        recorder._put(recorder_io._Captured(0, at, frame if candidate_turn else silent))
        if not candidate_turn:
            recorder._put(recorder_io._Captured(1, at, frame))
        if index % flush_every == 0:
            recorder._put(recorder_io._Flush(until=at))
            await asyncio.sleep(0)
    recorder._put(recorder_io._EndRun(0))
    recorder._put(recorder_io._EndRun(1))
    recorder._put(recorder_io._Flush(until=t0 + total * FRAME_SECONDS))
    recorder._put(None)
    await recorder._close_fut
    if recorder._write_atask is not None:
        recorder._write_atask.cancel()
    return time.process_time() - started_cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()

    from interviews.recording_audio import ogg_duration, ogg_join

    with tempfile.TemporaryDirectory() as scratch:
        part = Path(scratch) / "part.ogg"
        cpu = asyncio.run(record(part, args.minutes))
        duration = ogg_duration(part)
        size = part.stat().st_size
        joined = Path(scratch) / "joined.ogg"
        started_cpu = time.process_time()
        ogg_join([part, part], joined)
        join_cpu = time.process_time() - started_cpu
    minutes = duration / 60
    write_json(
        args.out,
        {
            "load_average": load_average(),
            "simulated_minutes": round(args.minutes, 1),
            "recorded_minutes": round(minutes, 2),
            "cpu_s_per_interview_minute": round(cpu / minutes, 3),
            "cpu_s_per_30_minute_interview": round(30 * cpu / minutes, 1),
            "mb_per_interview_minute": round(size / 2**20 / minutes, 2),
            "join_cpu_s_per_interview_minute": round(join_cpu / (2 * minutes), 4),
        },
    )


if __name__ == "__main__":
    main()
