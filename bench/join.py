"""Figure 3: join to greeting. With a warm worker, ten candidates one after another:
from the token request to the first agent caption, to the first agent audio frame
(any frame, and the first audible one) at the candidate, and to the first question
said in full (its caption complete).

    DATABASE_URL=... python -m bench.join --out join.json --workdir DIR
"""

import argparse
import os
import time
from pathlib import Path
from typing import Any

from bench.common import load_average, setup_django, summary_ms, write_json

setup_django()

from bench import candidate, crowd  # noqa: E402
from bench.common import django_env  # noqa: E402
from bench.seed import LIVE_POSITION  # noqa: E402
from bench.stack import live_stack  # noqa: E402
from interviews.models import Position  # noqa: E402
from interviews.services.candidates import candidate_create  # noqa: E402
from interviews.services.invites import interview_create  # noqa: E402

JOINS = 10


def new_invites(count: int, label: str) -> list[tuple[str, int]]:
    """Personal invites (secret, interview id) for the live position, each for a new
    candidate."""
    position = Position.objects.get(slug=LIVE_POSITION)
    invites = []
    for i in range(count):
        person = candidate_create(
            email=f"{label}.{i}.{time.time_ns()}@example.com",
            name=f"Live Candidate {i}",
            position=position,
            experience_years=4,
        )
        new = interview_create(position=position, candidate=person)
        invites.append((new.personal_secret, new.interview.pk))
    return invites


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()
    workdir = Path(args.workdir)
    wav = candidate.make_wav(workdir / "microphone.wav")
    invites = [secret for secret, _pk in new_invites(JOINS + 1, "join")]
    result: dict[str, Any] = {"load_average": load_average(), "executor": "process"}
    env = django_env(os.environ["DATABASE_URL"])
    with live_stack(env, workdir=workdir, executor="process") as stack:
        time.sleep(5)  # the idle job processes start after registration
        process, out_path = crowd.start(stack.web_url, wav, invites, mode="greeting")
        outcomes, error = crowd.finish(process, out_path, timeout=(JOINS + 1) * 40)
    if error:
        result["error"] = error
    measured = outcomes[1:]  # the first join warms the worker up
    done = [o for o in measured if o["ok"]]

    def seconds(key: str) -> list[float]:
        return [o[key] for o in done if o[key] is not None]

    result.update(
        {
            "joins": len(measured),
            "failed": [o["error"] for o in measured if not o["ok"]],
            "warmup_join": outcomes[0] if outcomes else None,
            "token_request": summary_ms([ms / 1000 for ms in seconds("token_ms")]),
            "first_caption": summary_ms(seconds("first_caption_s")),
            "first_audio_frame": summary_ms(seconds("first_audio_frame_s")),
            "first_audible_frame": summary_ms(seconds("first_audible_frame_s")),
            "first_question": summary_ms(seconds("first_question_s")),
        }
    )
    write_json(args.out, result)


if __name__ == "__main__":
    main()
