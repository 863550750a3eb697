"""`make bench`: every figure on this machine, into bench/results.json, then
docs/benchmarks.md. Figures 1 and 5 run on SQLite and PostgreSQL, each seeded once;
figures 2-4 on PostgreSQL (the production database). A figure that fails is recorded as
failed and the others still run."""

import json
import platform
import shutil
import sqlite3
import subprocess
import time
import traceback
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import psutil

from bench import report
from bench.common import ROOT, django_env, run_module, throwaway_postgres
from devtools.livekit_server import find_or_build_livekit_server

RESULTS = ROOT / "bench" / "results.json"
WORKDIR = ROOT / "bench" / ".data"
BUDGET_MINUTES = 28
PACKAGES = ["Django", "livekit", "livekit-agents", "livekit-api", "psycopg", "uvicorn", "aiohttp"]


def _version_of(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


def machine() -> dict:
    cpu = "unknown"
    for line in open("/proc/cpuinfo").read().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    pg = sorted(p.name for p in Path("/usr/lib/postgresql").glob("*"))
    return {
        "cpu": cpu,
        "cores": psutil.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": {name: metadata.version(name) for name in PACKAGES},
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg[-1] if pg else "none",
        "livekit_server": _version_of([str(find_or_build_livekit_server()), "--version"]),
        "espeak_ng": _version_of(["espeak-ng", "--version"]),
    }


def figure(results: dict, key: str, produce) -> None:  # noqa: ANN001
    started = time.monotonic()
    print(f"== {key}", flush=True)
    try:
        results[key] = produce()
    except Exception:  # noqa: BLE001 - one failed figure must not lose the others
        results[key] = {"error": traceback.format_exc(limit=3)[-1500:]}
    results[key]["elapsed_s"] = round(time.monotonic() - started, 1)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


def main() -> None:
    started = time.monotonic()
    results: dict = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine()}
    WORKDIR.mkdir(exist_ok=True)
    database = WORKDIR / "bench.sqlite3"
    for stale in WORKDIR.glob("bench.sqlite3*"):
        stale.unlink()
    try:
        with throwaway_postgres() as postgres_url:
            urls = {"sqlite": f"sqlite:///{database}", "postgresql": postgres_url}
            for vendor, url in urls.items():
                env = django_env(url)
                figure(results, f"seed_{vendor}", lambda env=env: run_module("bench.seed", env))
                figure(results, f"turns_{vendor}", lambda env=env: run_module("bench.turns", env))
                figure(
                    results,
                    f"admin_{vendor}",
                    lambda env=env: run_module("bench.admin_pages", env),
                )
            env = django_env(postgres_url)
            workdir = str(WORKDIR)
            figure(results, "token_endpoint", lambda: run_module("bench.token_endpoint", env))
            figure(results, "join", lambda: run_module("bench.join", env, "--workdir", workdir))
            figure(results, "speech_to_text", lambda: run_module("bench.speech_to_text", env))
            minutes = max(4.0, BUDGET_MINUTES - (time.monotonic() - started) / 60 - 1)
            figure(
                results,
                "concurrency",
                lambda: run_module(
                    "bench.concurrency",
                    env,
                    "--workdir",
                    workdir,
                    "--minutes",
                    f"{minutes:.1f}",
                    timeout=minutes * 60 + 600,
                ),
            )
    finally:
        for stale in WORKDIR.glob("bench.sqlite3*"):
            stale.unlink()
    results["total_minutes"] = round((time.monotonic() - started) / 60, 1)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    report.main()
    shutil.rmtree(WORKDIR / "__pycache__", ignore_errors=True)
    print(f"wrote {RESULTS.relative_to(ROOT)} and docs/benchmarks.md", flush=True)


if __name__ == "__main__":
    main()
