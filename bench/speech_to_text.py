"""Figure 7: speech-to-text cost. The structured interviewer's offline speech-to-text
(moonshine tiny-en on the CPU) transcribes candidate answers spoken by espeak-ng: CPU
seconds (all threads of this process) and wall seconds per second of speech, one
utterance at a time at the room's 48 kHz, as a job process does behind VAD.

    python -m bench.speech_to_text --out stt.json
"""

import argparse
import shutil
import subprocess
import time

import numpy as np

from bench.common import load_average, write_json

ANSWERS = [
    "I would look at the error messages first, then ask my team for help.",
    "I would use a queue when the work can wait and must not be lost.",
    "My team and I wrote down both plans and chose one together.",
    "I have five years of experience building web services in Python.",
    "First I check the logs, then the metrics, and then I try to reproduce the problem.",
    "We measured both designs under load and kept the simpler one.",
]
ROUNDS = 3
ROOM_RATE = 48000
ESPEAK_RATE = 22050
WAV_HEADER_BYTES = 44


def spoken_at_room_rate(text: str) -> np.ndarray:
    wav = subprocess.run(
        [shutil.which("espeak-ng") or "espeak-ng", "--stdout", "-v", "en-us", "-s", "150", text],
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout
    samples = np.frombuffer(wav[WAV_HEADER_BYTES:], dtype=np.int16)
    target = np.linspace(0, len(samples) - 1, len(samples) * ROOM_RATE // ESPEAK_RATE)
    return np.interp(target, np.arange(len(samples)), samples).astype(np.int16)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    from livekit import rtc

    from agent_worker.voice.offline_stt import MODEL_NAME, load_transcriber, transcribe

    result: dict = {"load_average": load_average(), "model": f"moonshine {MODEL_NAME}"}
    started_wall, started_cpu = time.perf_counter(), time.process_time()
    load_transcriber()
    result["model_load_s"] = round(time.perf_counter() - started_wall, 2)
    result["model_load_cpu_s"] = round(time.process_time() - started_cpu, 2)

    frames = []
    for text in ANSWERS:
        pcm = spoken_at_room_rate(text)
        frames.append(
            rtc.AudioFrame(
                data=pcm.tobytes(),
                sample_rate=ROOM_RATE,
                num_channels=1,
                samples_per_channel=len(pcm),
            )
        )
    transcribe(frames[0])  # warm-up, not measured
    speech_s = wall_s = cpu_s = 0.0
    words_heard = words_said = 0
    for _round in range(ROUNDS):
        for text, frame in zip(ANSWERS, frames, strict=True):
            wall, cpu = time.perf_counter(), time.process_time()
            heard = transcribe(frame)
            wall_s += time.perf_counter() - wall
            cpu_s += time.process_time() - cpu
            speech_s += frame.samples_per_channel / ROOM_RATE
            said = {w.strip(".,").lower() for w in text.split()}
            words_said += len(said)
            words_heard += len(said & {w.strip(".,").lower() for w in heard.split()})
    result.update(
        {
            "utterances": len(ANSWERS) * ROUNDS,
            "speech_s": round(speech_s, 1),
            "cpu_s_per_speech_s": round(cpu_s / speech_s, 3),
            "wall_s_per_speech_s": round(wall_s / speech_s, 3),
            "words_recognised_share": round(words_heard / words_said, 2),
        }
    )
    write_json(args.out, result)


if __name__ == "__main__":
    main()
