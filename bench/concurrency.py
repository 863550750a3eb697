"""Figure 2: interviews per machine. N candidates at once, each a whole structured
interview (greeting, three typed answers, closing) through one livekit-server and one
worker, for the process and the thread job executors. Records the worker's CPU and
memory (its whole process tree), reply latency (answer sent -> next agent caption), and
failed or stalled interviews. With two CPUs or more the candidates run on the last CPU and
the product (livekit-server, web app, worker and its job processes) on the others, so the
worker's CPU per interview is measured apart from the candidates' own cost.

    DATABASE_URL=... python -m bench.concurrency --out concurrency.json --workdir DIR
"""

import argparse
import os
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from bench.common import load_average, percentile, setup_django, summary_ms, write_json

setup_django()

from bench import candidate, crowd  # noqa: E402
from bench.common import django_env  # noqa: E402
from bench.join import new_invites  # noqa: E402
from bench.stack import LiveStack, cpu_split, cpus_of, live_stack  # noqa: E402
from interviews.models import Interview  # noqa: E402

# N=1 first: one interview's own CPU and memory, with nothing to contend with.
LEVELS = [1, 5, 10, 25, 50]
BEYOND = [75, 100]  # tried only while the previous level held
RUN_TIMEOUT = 240.0
MAX_INTERVIEWS = 500  # AGENT_MAX_INTERVIEWS for the runs: far above any N
P95_TARGET_S = 1.5
MB = 1024 * 1024


class TreeSampler(threading.Thread):
    """CPU (sum of the tree's CPU time per wall second) and memory of a process tree,
    sampled every second; proportional set size (shared pages split between the
    processes sharing them) every third sample."""

    def __init__(self, root_pid: int, others: dict[str, int]) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(root_pid)
        self.others = {name: psutil.Process(pid) for name, pid in others.items()}
        self.stop_event = threading.Event()
        self.samples: list[dict] = []
        self.cpus: set[int] = set()  # every CPU a process of the tree was allowed
        self._cpu_seen: dict[int, float] = {}

    def _tree(self) -> list[psutil.Process]:
        try:
            return [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return []

    def _cpu_delta(self, processes: list[psutil.Process]) -> float:
        total = 0.0
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            used = times.user + times.system
            total += used - self._cpu_seen.get(process.pid, used if self.samples else 0.0)
            self._cpu_seen[process.pid] = used
        return total

    def snapshot(self, with_pss: bool) -> dict:
        tree = self._tree()
        rss = pss = 0
        for process in tree:
            if with_pss:
                self.cpus.update(cpus_of(process.pid))
            try:
                if with_pss:
                    info = process.memory_full_info()
                    rss, pss = rss + info.rss, pss + info.pss
                else:
                    rss += process.memory_info().rss
            except psutil.Error:
                continue
        return {"processes": len(tree), "rss": rss, "pss": pss if with_pss else None}

    def run(self) -> None:
        last = time.perf_counter()
        self._cpu_delta(self._tree())
        for other in self.others.values():
            other.cpu_percent()
        tick = 0
        while not self.stop_event.wait(1.0):
            now = time.perf_counter()
            sample = self.snapshot(with_pss=tick % 3 == 0)
            sample["cpu_percent"] = 100 * self._cpu_delta(self._tree()) / (now - last)
            for name, other in self.others.items():
                try:
                    sample[f"{name}_cpu_percent"] = other.cpu_percent()
                except psutil.Error:
                    sample[f"{name}_cpu_percent"] = None
            self.samples.append(sample)
            last, tick = now, tick + 1

    def stop(self) -> list[dict]:
        self.stop_event.set()
        self.join(5)
        return self.samples


def measure_level(
    stack: LiveStack, executor: str, n: int, wav: Path, candidates_cpus: set[int] | None
) -> dict:
    if stack.agent is None or stack.agent.process is None or stack.livekit.process is None:
        raise RuntimeError("The live stack is not running.")
    agent_pid, livekit_pid = stack.agent.process.pid, stack.livekit.process.pid
    invites = new_invites(n, f"{executor}-{n}")
    idle_sampler = TreeSampler(agent_pid, {})
    idle = idle_sampler.snapshot(with_pss=True)
    load = load_average()
    started = time.perf_counter()
    process, out_path = crowd.start(
        stack.web_url, wav, [secret for secret, _pk in invites], cpus=candidates_cpus
    )
    # Read back from the processes themselves: what they ran on, not what was asked.
    crowd_cpus = cpus_of(process.pid)
    sampler = TreeSampler(agent_pid, {"livekit_server": livekit_pid, "candidates": process.pid})
    sampler.start()
    try:
        outcomes, crowd_error = crowd.finish(process, out_path, timeout=RUN_TIMEOUT)
    finally:
        samples = sampler.stop()
    wall = time.perf_counter() - started
    time.sleep(5)  # the job writes the end of the interview as it leaves
    completed = Interview.objects.filter(
        pk__in=[pk for _s, pk in invites], status=Interview.Status.COMPLETED
    ).count()
    latencies = [s for o in outcomes for s in o["reply_latencies_s"]]
    ok = sum(o["ok"] for o in outcomes)
    busy = samples[len(samples) // 5 :] or samples  # past the join burst
    peak_rss = max((s["rss"] for s in samples), default=0)
    peak_pss = max((s["pss"] or 0 for s in samples), default=0)
    worker_cpu = sum(s["cpu_percent"] for s in busy) / max(1, len(busy))
    candidates_cpu = _mean(busy, "candidates_cpu_percent")
    product_cpus = idle_sampler.cpus | sampler.cpus | set(cpus_of(livekit_pid))
    result: dict[str, Any] = {
        "executor": executor,
        "n": n,
        "load_average": load,
        "product_cpus": sorted(product_cpus),
        "candidates_cpus": crowd_cpus,
        "wall_s": round(wall, 1),
        "ok": ok,
        "failed": n - ok,
        "stalled": sum(o["stalled"] for o in outcomes),
        "completed_in_db": completed,
        "errors": ([crowd_error] if crowd_error else [])
        + sorted({o["error"] for o in outcomes if o["error"]})[:5],
        "reply": summary_ms(latencies),
        "first_caption": summary_ms(
            [o["first_caption_s"] for o in outcomes if o["first_caption_s"]]
        ),
        "worker_cpu_percent_mean": round(worker_cpu, 1),
        "worker_cpu_percent_p95": round(percentile([s["cpu_percent"] for s in busy], 95) or 0, 1),
        # What bounds interviews per machine: the worker's share of a core per interview,
        # and how many interviews a core would hold at that share.
        "worker_cpu_percent_per_interview": round(worker_cpu / n, 2),
        "interviews_per_core": round(100 * n / worker_cpu) if worker_cpu else None,
        "livekit_cpu_percent_mean": _mean(busy, "livekit_server_cpu_percent"),
        "candidates_cpu_percent_mean": candidates_cpu,
        "candidates_cpu_percent_per_candidate": (
            round(candidates_cpu / n, 2) if candidates_cpu is not None else None
        ),
        "worker_processes_peak": max((s["processes"] for s in samples), default=0),
        "idle_rss_mb": round(idle["rss"] / MB, 1),
        "idle_pss_mb": round(idle["pss"] / MB, 1),
        "peak_rss_mb": round(peak_rss / MB, 1),
        "peak_pss_mb": round(peak_pss / MB, 1),
        "rss_per_interview_mb": round(peak_rss / MB / n, 1),
        "pss_per_interview_mb": round(peak_pss / MB / n, 1),
        "added_pss_per_interview_mb": round(max(0, peak_pss - idle["pss"]) / MB / n, 1),
    }
    result["held"] = (
        result["failed"] == 0
        and result["reply"]["p95_ms"] is not None
        and result["reply"]["p95_ms"] <= P95_TARGET_S * 1000
    )
    return result


def _mean(samples: list[dict], key: str) -> float | None:
    values = [s[key] for s in samples if s.get(key) is not None]
    return round(sum(values) / len(values), 1) if values else None


def run_executor(
    executor: str,
    env: dict[str, str],
    workdir: Path,
    wav: Path,
    deadline: float,
    levels: list[int],
    beyond: list[int],
) -> list[dict]:
    results: list[dict] = []
    # "thread-novad": the thread executor, with the tuning experiment of bench.agent_server.
    kind, _, tuning = executor.partition("-")
    agent_env = {"BENCH_NO_VAD": "1"} if tuning == "novad" else {}
    split = cpu_split()
    product_cpus, candidates_cpus = split if split else (None, None)
    with live_stack(
        env, workdir=workdir, executor=kind, agent_env=agent_env, cpus=product_cpus
    ) as stack:
        time.sleep(5)  # idle job processes start after registration
        for n in levels + beyond:
            if n in beyond and not (results and results[-1]["held"]):
                break
            if results and results[-1]["ok"] < results[-1]["n"] / 2:
                # Most interviews failed: a higher N only fails longer.
                results.append({"executor": executor, "n": n, "skipped": "lower N failed"})
                break
            if time.monotonic() > deadline:
                results.append({"executor": executor, "n": n, "skipped": "time budget"})
                break
            result = measure_level(stack, executor, n, wav, candidates_cpus)
            print(
                f"{executor} N={n}: ok {result['ok']}/{n}, reply p95 {result['reply']['p95_ms']}"
                f" ms, worker cpu {result['worker_cpu_percent_mean']}%"
                f" ({result['worker_cpu_percent_per_interview']}% per interview) on CPUs"
                f" {result['product_cpus']}, candidates"
                f" {result['candidates_cpu_percent_mean']}% on CPUs {result['candidates_cpus']},"
                f" pss/interview {result['pss_per_interview_mb']} MB",
                flush=True,
            )
            results.append(result)
            time.sleep(5)  # rooms close, job processes exit
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--workdir", required=True)
    # thread-novad stays available, but out of the default run: the structured interviewer
    # needs voice detection to hear spoken answers.
    parser.add_argument("--executors", default="process,thread", help="also: thread-novad")
    parser.add_argument("--minutes", type=float, default=14.0, help="time budget")
    parser.add_argument(
        "--levels", default="", help=f"exactly these N (default {LEVELS}, then {BEYOND} if held)"
    )
    args = parser.parse_args()
    workdir = Path(args.workdir)
    wav = candidate.make_wav(workdir / "microphone.wav")
    env = django_env(os.environ["DATABASE_URL"], AGENT_MAX_INTERVIEWS=str(MAX_INTERVIEWS))
    executors = args.executors.split(",")
    started = time.monotonic()
    runs = []
    for index, executor in enumerate(executors):
        # Each executor gets its share of the time budget.
        deadline = started + args.minutes * 60 * (index + 1) / len(executors)
        levels = [int(n) for n in args.levels.split(",")] if args.levels else LEVELS
        beyond = [] if args.levels else BEYOND
        runs.extend(run_executor(executor, env, workdir, wav, deadline, levels, beyond))
    write_json(args.out, {"load_average": load_average(), "runs": runs})


if __name__ == "__main__":
    main()
