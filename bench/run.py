"""`make bench`: every figure on this machine, into bench/results.json, then
docs/benchmarks.md. Figures 1 and 5 run on SQLite and PostgreSQL, each seeded once;
figures 2-4 and 6 on PostgreSQL (the production database). A figure that fails is
recorded as failed and the others still run.

    python -m bench.run --only join_storm   # some live figures, merged into the results
    python -m bench.run --only concurrency --minutes 20 --levels 5,10
    python -m bench.run --only token_endpoint,admin,turns   # seeded figures, on a fresh seed
"""

import argparse
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
ONLY_CONCURRENCY_MINUTES = 20.0  # figure 2 on its own: both executors up to N=50
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
    results[key]["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


def join_storm(env: dict[str, str], workdir: str) -> dict:
    return run_module("bench.join_storm", env, "--workdir", workdir, timeout=1800)


def concurrency(
    env: dict[str, str],
    workdir: str,
    *,
    minutes: float = ONLY_CONCURRENCY_MINUTES,
    levels: str = "",
) -> dict:
    """Figure 2 within `minutes` (a level under way finishes past it); `levels` replaces
    the default ladder."""
    return run_module(
        "bench.concurrency",
        env,
        "--workdir",
        workdir,
        "--minutes",
        f"{minutes:.1f}",
        *(["--levels", levels] if levels else []),
        timeout=minutes * 60 + 600,
    )


# Figures that need only a migrated PostgreSQL database (they create their own data).
LIVE_FIGURES = {
    "join": lambda env, workdir: run_module("bench.join", env, "--workdir", workdir),
    "speech_to_text": lambda env, workdir: run_module("bench.speech_to_text", env),
    "join_storm": join_storm,
    "concurrency": concurrency,
}


# Figures that need no database at all.
OFFLINE_FIGURES = {
    "understanding": lambda env: run_module("bench.understanding", env),
    "coding_sandbox": lambda env: run_module("bench.coding_sandbox", env),
    "recording": lambda env: run_module("bench.recording", env),
}


# Figures that need the seeded databases: run on both vendors (token_endpoint on
# PostgreSQL only), each seeded again first.
SEEDED_FIGURES = {"turns": "bench.turns", "admin": "bench.admin_pages"}


def run_seeded(results: dict, names: list[str], postgres_url: str) -> None:
    database = WORKDIR / "bench.sqlite3"
    for stale in WORKDIR.glob("bench.sqlite3*"):
        stale.unlink()
    urls = {"postgresql": postgres_url}
    if any(name in SEEDED_FIGURES for name in names):
        urls["sqlite"] = f"sqlite:///{database}"
    try:
        for vendor, url in urls.items():
            env = django_env(url)
            figure(results, f"seed_{vendor}", lambda env=env: run_module("bench.seed", env))
            for name in names:
                if name in SEEDED_FIGURES:
                    module = SEEDED_FIGURES[name]
                    figure(
                        results,
                        f"{name}_{vendor}",
                        lambda env=env, module=module: run_module(module, env),
                    )
            if vendor == "postgresql" and "token_endpoint" in names:
                figure(
                    results,
                    "token_endpoint",
                    lambda env=env: run_module("bench.token_endpoint", env),
                )
    finally:
        for stale in WORKDIR.glob("bench.sqlite3*"):
            stale.unlink()


def run_only(names: list[str], options: dict[str, dict] | None = None) -> None:
    """Measure some figures again and merge them into the last results; `options` are
    keyword arguments for a live figure, by name."""
    options = options or {}
    known = {*LIVE_FIGURES, *SEEDED_FIGURES, *OFFLINE_FIGURES, "token_endpoint"}
    unknown = sorted(set(names) - known)
    if unknown:
        raise SystemExit(f"--only takes {', '.join(sorted(known))}; not {unknown}")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results.setdefault("machine", machine())
    results.setdefault("date", datetime.now(UTC).isoformat(timespec="seconds"))
    WORKDIR.mkdir(exist_ok=True)
    for name in [name for name in names if name in OFFLINE_FIGURES]:
        env = django_env(f"sqlite:///{WORKDIR / 'offline.sqlite3'}")
        figure(results, name, lambda name=name, env=env: OFFLINE_FIGURES[name](env))
    names = [name for name in names if name not in OFFLINE_FIGURES]
    seeded = [name for name in names if name not in LIVE_FIGURES]
    live = [name for name in names if name in LIVE_FIGURES]
    if not names:
        report.main()
        print(f"merged the figures into {RESULTS.relative_to(ROOT)}", flush=True)
        return
    with throwaway_postgres() as postgres_url:
        if seeded:
            run_seeded(results, seeded, postgres_url)
        env = django_env(postgres_url)
        if live:
            run_module("bench.join_storm", env, "--workdir", str(WORKDIR), "--prepare-only")
        for name in live:
            figure(
                results,
                name,
                lambda name=name: LIVE_FIGURES[name](env, str(WORKDIR), **options.get(name, {})),
            )
    report.main()
    print(f"merged {', '.join(names)} into {RESULTS.relative_to(ROOT)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="", help="comma-separated live figures to re-measure")
    parser.add_argument(
        "--minutes", type=float, default=ONLY_CONCURRENCY_MINUTES, help="with --only concurrency"
    )
    parser.add_argument("--levels", default="", help="with --only concurrency: e.g. 5,10")
    args = parser.parse_args()
    if args.only:
        run_only(
            args.only.split(","),
            {"concurrency": {"minutes": args.minutes, "levels": args.levels}},
        )
        return
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
            figure(
                results,
                "token_endpoint",
                lambda env=env: run_module("bench.token_endpoint", env),
            )
            figure(results, "join", lambda: run_module("bench.join", env, "--workdir", workdir))
            figure(results, "speech_to_text", lambda: run_module("bench.speech_to_text", env))
            figure(results, "understanding", lambda: OFFLINE_FIGURES["understanding"](env))
            figure(results, "coding_sandbox", lambda: OFFLINE_FIGURES["coding_sandbox"](env))
            figure(results, "recording", lambda: OFFLINE_FIGURES["recording"](env))
            figure(results, "join_storm", lambda: join_storm(env, workdir))
            minutes = max(4.0, BUDGET_MINUTES - (time.monotonic() - started) / 60 - 1)
            figure(results, "concurrency", lambda: concurrency(env, workdir, minutes=minutes))
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
