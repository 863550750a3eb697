"""Simulated candidates in a process of their own, so that a crash of the LiveKit SDK
(a Rust panic aborts the process) loses one measurement, not the servers it drives.

    python -m bench.crowd --out F --base-url URL --wav F --invites S1,S2 --mode interview
"""

import argparse
import asyncio
import json
import logging
import os
import subprocess
import tempfile
from dataclasses import asdict
from pathlib import Path

from bench import candidate
from bench.common import PYTHON, ROOT, stop_process, write_json

ANSWERS = [
    "I would read the slow query log and run explain on the worst query.",
    "A queue when the caller need not wait and the work must survive a crash.",
    "We wrote both designs down, measured them, and chose together.",
]


async def crowd(args: argparse.Namespace) -> list[candidate.Outcome]:
    wav = candidate.read_wav(Path(args.wav))
    invites = args.invites.split(",")
    if args.mode == "greeting":  # one after another, with a pause: a warm worker
        outcomes = []
        for index, invite in enumerate(invites):
            outcomes.append(
                await candidate.interview(
                    args.base_url,
                    invite,
                    [],
                    wav,
                    watch_audio=True,
                    greeting_only=True,
                    local_address=candidate.loopback_address(index),
                )
            )
            await asyncio.sleep(args.pause)
        return outcomes

    async def one(index: int, invite: str) -> candidate.Outcome:
        await asyncio.sleep(index * args.spread)
        return await candidate.interview(
            args.base_url, invite, ANSWERS, wav, local_address=candidate.loopback_address(index)
        )

    return list(await asyncio.gather(*(one(i, s) for i, s in enumerate(invites))))


def start(
    base_url: str,
    wav: Path,
    invites: list[str],
    *,
    mode: str = "interview",
    spread: float = 0.1,
    cpus: set[int] | None = None,
) -> tuple[subprocess.Popen, Path]:
    """The candidates' process, on `cpus` if given (set before it runs, so the SDK's
    threads inherit it)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = Path(out.name)
    process = subprocess.Popen(
        [PYTHON, "-m", "bench.crowd", "--out", str(out_path), "--base-url", base_url]
        # "=": an invite secret may begin with "-", which argparse would take for an option.
        + ["--wav", str(wav), f"--invites={','.join(invites)}", "--mode", mode]
        + ["--spread", str(spread)],
        cwd=ROOT,
        start_new_session=True,
        # A bare system call in the child before exec: safe alongside our sampler thread.
        preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
    )
    return process, out_path


def finish(process: subprocess.Popen, out_path: Path, timeout: float) -> tuple[list[dict], str]:
    """The candidates' outcomes, and why there are none when the process failed."""
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop_process(process)
        return [], f"the candidates did not finish within {timeout:.0f} s"
    try:
        if process.returncode != 0:
            return [], f"the candidates' process exited with {process.returncode}"
        return json.loads(out_path.read_text())["outcomes"], ""
    finally:
        out_path.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--wav", required=True)
    parser.add_argument("--invites", required=True)
    parser.add_argument("--mode", choices=["interview", "greeting"], default="interview")
    parser.add_argument("--spread", type=float, default=0.1)
    parser.add_argument("--pause", type=float, default=5.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    outcomes = asyncio.run(crowd(args))
    write_json(args.out, {"outcomes": [asdict(o) for o in outcomes]})


if __name__ == "__main__":
    main()
