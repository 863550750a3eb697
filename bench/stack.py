"""The live product on loopback for figures 2 and 3: livekit-server (webhooks to the web
app), the web app under uvicorn, and the interviewer worker (bench.agent_server)."""

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from bench.common import PYTHON, ROOT, free_port, stop_process, wait_for_port
from devtools.livekit_server import LiveKitServer


@contextmanager
def web_server(
    env: dict[str, str], *, workers: int = 1, log_path: Path | None = None
) -> Iterator[str]:
    """The ASGI app under uvicorn on 127.0.0.1; yields its base URL."""
    port = free_port()
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        [PYTHON, "-m", "uvicorn", "hiring.asgi:application", "--host", "127.0.0.1"]
        + ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
        + ["--no-access-log"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(port, timeout=60, process=process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)
        if not isinstance(log, int):  # a file we opened, not DEVNULL
            log.close()


@dataclass
class AgentWorker:
    process: subprocess.Popen
    log_path: Path
    # The log is appended to across runs: this worker's part starts here.
    log_offset: int = 0

    def log(self) -> str:
        with open(self.log_path, "rb") as log:
            log.seek(self.log_offset)
            return log.read().decode(errors="replace")


@contextmanager
def agent_worker(
    env: dict[str, str], *, log_path: Path, timeout: float = 90
) -> Iterator[AgentWorker]:
    with open(log_path, "ab") as log:
        offset = log.tell()
        process = subprocess.Popen(
            [PYTHON, "-m", "bench.agent_server"],
            cwd=ROOT,
            env={**env, "LOG_LEVEL": "INFO"},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = AgentWorker(process=process, log_path=log_path, log_offset=offset)
    try:
        deadline = time.monotonic() + timeout
        while "registered worker" not in worker.log():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the agent worker did not register:\n{worker.log()[-3000:]}")
            time.sleep(0.2)
        yield worker
    finally:
        stop_process(process, timeout=30)


def cpu_split() -> tuple[set[int], set[int]] | None:
    """The CPUs for the product and for the simulated candidates: the last CPU this
    process may use goes to the candidates, so their cost does not land on the product's
    cores; None on a single CPU, where they cannot be kept apart."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None
    return set(cpus[:-1]), {cpus[-1]}


def cpus_of(pid: int) -> list[int]:
    try:
        return sorted(os.sched_getaffinity(pid))
    except OSError:  # the process has exited
        return []


@dataclass
class LiveStack:
    livekit: LiveKitServer
    web_url: str
    agent: AgentWorker | None


@contextmanager
def live_stack(
    env: dict[str, str],
    *,
    workdir: Path,
    executor: str | None,
    idle_processes: int | None = None,
    agent_env: dict[str, str] | None = None,
    cpus: set[int] | None = None,
) -> Iterator[LiveStack]:
    """livekit-server + web app (+ the worker, unless executor is None), on `cpus` if
    given: this process takes that affinity while it starts them, so every part inherits
    it (livekit-server's Go runtime sizes itself to it, job processes inherit it from the
    worker), then gets its own back."""
    own = os.sched_getaffinity(0)
    if cpus:
        os.sched_setaffinity(0, cpus)
    try:
        with _live_stack(env, workdir, executor, idle_processes, agent_env) as stack:
            os.sched_setaffinity(0, own)
            yield stack
    finally:
        os.sched_setaffinity(0, own)


@contextmanager
def _live_stack(
    env: dict[str, str],
    workdir: Path,
    executor: str | None,
    idle_processes: int | None,
    agent_env: dict[str, str] | None,
) -> Iterator[LiveStack]:
    livekit = LiveKitServer(port=free_port(), log_path=workdir / "livekit.log")
    lk_env = {
        **env,
        "LIVEKIT_URL": livekit.url,
        "LIVEKIT_API_KEY": livekit.api_key,
        "LIVEKIT_API_SECRET": livekit.api_secret,
    }
    with web_server(lk_env, log_path=workdir / "web.log") as web_url:
        livekit.webhook_url = f"{web_url}/livekit/webhook"
        with livekit:
            worker_env = {**lk_env, **(agent_env or {}), "BENCH_JOB_EXECUTOR": executor or ""}
            if idle_processes is not None:
                worker_env["BENCH_IDLE_PROCESSES"] = str(idle_processes)
            worker = (
                agent_worker(worker_env, log_path=workdir / f"agent-{executor}.log")
                if executor
                else nullcontext()
            )
            with worker as agent:
                yield LiveStack(livekit=livekit, web_url=web_url, agent=agent)
