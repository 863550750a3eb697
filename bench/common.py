"""What every figure shares: percentiles, the machine's load, child processes, a
throwaway PostgreSQL, and the environment a bench process runs Django with."""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from devtools import processes
from devtools.processes import free_port

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiring.settings")
    import django

    django.setup()


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100), linear between ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary_ms(seconds: Sequence[float]) -> dict:
    """Median, p95, p99 and count of durations given in seconds, in milliseconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "median_ms": _round(statistics.median(ms)) if ms else None,
        "p95_ms": _round(percentile(ms, 95)),
        "p99_ms": _round(percentile(ms, 99)),
    }


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def wait_for_port(
    port: int, timeout: float = 30.0, process: subprocess.Popen | None = None
) -> None:
    """Like devtools' wait_for_port, but a bench run stops at once when a part never came up."""
    if not processes.wait_for_port(port, timeout=timeout, process=process):
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args!r:.200} exited with {process.returncode}")
        raise RuntimeError(f"nothing listened on 127.0.0.1:{port} within {timeout} s")


def django_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a child that runs Django against `database_url`, ignoring any
    local .env so the numbers do not depend on a developer's settings."""
    return {
        **os.environ,
        "ENV_FILE": os.devnull,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "hiring.settings",
        "INTERVIEW_AI": "structured",
        "OPENAI_API_KEY": "",
        "LOG_LEVEL": "WARNING",
        # The interviewer waits this long after a typed message for more of the answer
        # (4 s by default); the reply times measure our work, not that deliberate wait.
        "TYPED_ANSWER_PAUSE_SECONDS": "0.3",
        **extra,
    }


def run_module(module: str, env: dict[str, str], *args: str, timeout: float = 900) -> dict:
    """Run `python -m module --out FILE args...` and return the JSON it wrote."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = Path(out.name)
    try:
        subprocess.run(
            [PYTHON, "-m", module, "--out", str(out_path), *args],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=timeout,
        )
        return json.loads(out_path.read_text())
    finally:
        out_path.unlink(missing_ok=True)


def stop_process(process: subprocess.Popen | None, timeout: float = 15) -> None:
    """SIGTERM the process group we started, then SIGKILL it if it lingers."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, 15)
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait()
    except ProcessLookupError:
        pass


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL server on 127.0.0.1 in a temporary directory, as
    scripts/with-postgres.sh starts one; yields its DATABASE_URL."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not bins or not (bins[-1] / "postgres").exists():
        raise RuntimeError("PostgreSQL server binaries not found (Debian package postgresql)")
    bindir = bins[-1]
    port = free_port()
    datadir = Path(tempfile.mkdtemp(prefix="hiring-bench-pg."))
    as_owner: list[str] = []
    if os.getuid() == 0:
        shutil.chown(datadir, "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    options = (
        # Durable commits, unlike the test suite's server: a turn's cost includes them.
        f"-h 127.0.0.1 -p {port} -k {datadir} -c max_connections=300 -c shared_buffers=256MB"
    )
    try:
        subprocess.run(
            [*as_owner, str(bindir / "initdb"), "-D", str(datadir), "-U", "postgres"]
            + ["-A", "trust", "-E", "UTF8"],
            stdout=subprocess.DEVNULL,
            check=True,
        )
        subprocess.run(
            [*as_owner, str(bindir / "pg_ctl"), "-D", str(datadir), "-w"]
            + ["-l", str(datadir / "server.log"), "-o", options, "start"],
            stdout=subprocess.DEVNULL,
            check=True,
        )
        subprocess.run(
            [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
            + ["hiring"],
            stdout=subprocess.DEVNULL,
            check=True,
        )
        yield f"postgres://postgres@127.0.0.1:{port}/hiring"
    finally:
        subprocess.run(
            [*as_owner, str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(datadir, ignore_errors=True)


def write_json(path: str, data: dict) -> None:
    Path(path).write_text(json.dumps(data, indent=2) + "\n")
