"""Figure 6: a join storm. Twenty candidates open their personal invites and ask for a
token within the same second, each then holding a whole structured interview; one
livekit-server and one `runagent start` worker, for each worker configuration below.
The worker holds the product's default capacity (AGENT_MAX_INTERVIEWS, 4 per core) and
paces its starts (AGENT_STARTS_AT_ONCE): the candidates beyond are told their place and
ask every few seconds, as the join page does, until their turn.
Target: every interview completed, none lost; each candidate greeted (first caption)
within 5 s of their turn (of the token request, for those admitted at once).

    DATABASE_URL=... python -m bench.join_storm --out storm.json --workdir DIR
"""

import argparse
import os
import subprocess
import time
from pathlib import Path

import psutil

from bench.common import PYTHON, ROOT, load_average, setup_django, summary_ms, write_json

setup_django()

from django.core.management import call_command  # noqa: E402

from bench import candidate, crowd  # noqa: E402
from bench.common import django_env, free_port, stop_process  # noqa: E402
from bench.join import new_invites  # noqa: E402
from bench.seed import LIVE_POSITION, LIVE_QUESTIONS  # noqa: E402
from bench.stack import web_server  # noqa: E402
from devtools.livekit_server import LiveKitServer  # noqa: E402
from interviews.models import Interview, Position, Question  # noqa: E402

CANDIDATES = 20
WITHIN_S = 5.0
SPREAD_S = 0.045  # 20 candidates over 0.9 s
RUN_TIMEOUT = 900.0
# (label, runagent options): LiveKit's default pool, a pool as large as the storm, and
# every interview in the worker process.
CONFIGURATIONS = [
    ("process, 2 idle (default)", ["--executor", "process"]),
    ("process, 20 idle", ["--executor", "process", "--idle-processes", str(CANDIDATES)]),
    ("thread", ["--executor", "thread"]),
]


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def _tree_cpu_seconds(pid: int) -> float:
    total = 0.0
    for process in _tree(pid):
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            continue
    return total


def wait_warm(pid: int, processes: int, timeout: float = 240.0) -> float:
    """Until the worker has its idle processes and they have finished warming up (the
    tree below 15% of a core over a second, plus 2% per process: an idle job process keeps
    about 1% of a core busy answering LiveKit's pings). Returns the seconds it took."""
    quiet = 0.15 + 0.02 * processes
    started = time.monotonic()
    deadline = started + timeout
    while time.monotonic() < deadline:
        before = _tree_cpu_seconds(pid)
        time.sleep(1.0)
        busy = _tree_cpu_seconds(pid) - before
        if len(_tree(pid)) >= processes and busy < quiet:
            return round(time.monotonic() - started, 1)
    raise RuntimeError("the worker did not warm up in time")


def storm(label: str, options: list[str], env: dict, workdir: Path, wav: Path) -> dict:
    invites = new_invites(CANDIDATES, f"storm-{options[1]}-{len(options)}")
    livekit = LiveKitServer(port=free_port(), log_path=workdir / "storm-livekit.log")
    lk_env = {
        **env,
        "LIVEKIT_URL": livekit.url,
        "LIVEKIT_API_KEY": livekit.api_key,
        "LIVEKIT_API_SECRET": livekit.api_secret,
        # The product's defaults: AGENT_MAX_INTERVIEWS (4 per core) and AGENT_STARTS_AT_ONCE;
        # the candidates beyond wait in line and are served as interviews end.
        "LOG_LEVEL": "INFO",
    }
    result: dict = {"label": label, "options": options, "load_average": load_average()}
    with web_server(lk_env, workers=2, log_path=workdir / "storm-web.log") as web_url:
        livekit.webhook_url = f"{web_url}/livekit/webhook"
        with livekit, open(workdir / "storm-agent.log", "ab") as log:
            worker = subprocess.Popen(
                [PYTHON, "manage.py", "runagent", "start", "--health-port", "0"]
                + ["--load-threshold", "inf", "--drain-timeout", "5", *options],
                cwd=ROOT,
                env=lk_env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
            try:
                idle = CANDIDATES if "--idle-processes" in options else 2
                # The worker, the forkserver and the idle job processes.
                expected = 1 if options[1] == "thread" else idle + 2
                result["warm_up_s"] = wait_warm(worker.pid, expected)
                result["worker_processes_before"] = len(_tree(worker.pid))
                cpu_before = _tree_cpu_seconds(worker.pid)
                started = time.perf_counter()
                process, out_path = crowd.start(
                    web_url, wav, [secret for secret, _pk in invites], spread=SPREAD_S
                )
                outcomes, error = crowd.finish(process, out_path, timeout=RUN_TIMEOUT)
                wall = time.perf_counter() - started
                result["worker_cpu_s"] = round(_tree_cpu_seconds(worker.pid) - cpu_before, 1)
                time.sleep(5)  # the jobs write the end of their interviews as they leave
            finally:
                stop_process(worker, timeout=30)
    greeted = [o["first_caption_s"] for o in outcomes if o["first_caption_s"] is not None]
    # From the candidate's turn: at once for those admitted with their token.
    after_turn = [
        o["first_caption_s"] - (o["admitted_s"] or 0.0)
        for o in outcomes
        if o["first_caption_s"] is not None
    ]
    waits = [o["admitted_s"] for o in outcomes if o["place"] is not None and o["admitted_s"]]
    completed = Interview.objects.filter(
        pk__in=[pk for _s, pk in invites], status=Interview.Status.COMPLETED
    ).count()
    result.update(
        {
            "candidates": CANDIDATES,
            "wall_s": round(wall, 1),
            "error": error,
            "greeted": len(greeted),
            "greeted_within_target": sum(s <= WITHIN_S for s in after_turn),
            "queued": sum(o["place"] is not None for o in outcomes),
            "line_wait": summary_ms(waits),
            "greeting_after_turn": summary_ms(after_turn),
            "first_caption": summary_ms(greeted),
            "first_caption_max_ms": round(max(greeted) * 1000, 1) if greeted else None,
            "ok": sum(o["ok"] for o in outcomes),
            "completed_in_db": completed,
            "lost": CANDIDATES - completed,
            "errors": sorted({o["error"] for o in outcomes if o["error"]})[:5],
        }
    )
    result["met"] = result["greeted_within_target"] == CANDIDATES and completed == CANDIDATES
    return result


def ensure_live_position() -> None:
    """The position the live figures invite to, on a database `bench.seed` did not fill."""
    call_command("migrate", verbosity=0)
    live, created = Position.objects.get_or_create(
        slug=LIVE_POSITION,
        defaults={"title": "Bench live", "technical_questions": 2, "behavioral_questions": 1},
    )
    if created:
        for order, (stage, text) in enumerate(LIVE_QUESTIONS):
            Question.objects.create(position=live, stage=stage, text=text, order=order)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--only", default="", help="comma-separated configuration numbers")
    parser.add_argument("--prepare-only", action="store_true", help="migrate, add the position")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    ensure_live_position()
    if args.prepare_only:
        write_json(args.out, {})
        return
    wav = candidate.make_wav(workdir / "microphone.wav")
    env = django_env(os.environ["DATABASE_URL"])
    chosen = [int(i) for i in args.only.split(",") if i] or range(len(CONFIGURATIONS))
    runs = []
    for index in chosen:
        label, options = CONFIGURATIONS[index]
        run = storm(label, options, env, workdir, wav)
        print(
            f"{label}: greeted within {WITHIN_S:.0f} s of their turn "
            f"{run['greeted_within_target']}/{CANDIDATES}, completed {run['completed_in_db']}/"
            f"{CANDIDATES}, queued {run['queued']} (wait median "
            f"{run['line_wait']['median_ms']} ms, p95 {run['line_wait']['p95_ms']}), first "
            f"caption median {run['first_caption']['median_ms']} ms, max "
            f"{run['first_caption_max_ms']}",
            flush=True,
        )
        runs.append(run)
    write_json(args.out, {"load_average": load_average(), "runs": runs})


if __name__ == "__main__":
    main()
