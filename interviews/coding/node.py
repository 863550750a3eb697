"""The sandbox's command line: Node.js under confine.py's limits, with Node's permission
model letting it read only what the runner needs."""

import math
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from django.conf import settings

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "sandbox_runner.mjs"
CONFINE = HERE / "confine.py"
# Pyodide's own start (a snapshot's load, or a cold start on a busy machine) counts
# against the process's CPU limit too.
START_CPU_SECONDS = 30
# V8's heap: Pyodide's JavaScript side needs little; its WebAssembly memory is apart.
MIN_HEAP_MB = 64


class SandboxUnavailable(Exception):
    """The sandbox cannot run here (no Node.js, no Pyodide, an unsupported system)."""


# Resolved: Node's permission model compares real paths, so a symlinked node_modules
# (a shared install beside several checkouts) must be named by where it really is.
def pyodide_dir() -> Path:
    return (Path(settings.BASE_DIR) / "node_modules" / "pyodide").resolve()


def harness_path() -> Path:
    return (Path(settings.BASE_DIR) / "static" / "interviews" / "coding" / "harness.py").resolve()


@cache
def node() -> tuple[str, int]:
    """The node binary and its major version (the permission model needs 20 or later)."""
    binary = shutil.which("node")
    if binary is None:
        raise SandboxUnavailable("node is not installed")
    try:
        version = subprocess.run(  # noqa: S603 - a fixed command line
            [binary, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout.strip()
        major = int(version.lstrip("v").split(".")[0])
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        raise SandboxUnavailable(f"node --version failed: {error}") from error
    if major < 20:
        raise SandboxUnavailable(f"node {version} has no permission model (20 or later)")
    return binary, major


def confined_command(
    *, runner_args: list[str], readable: list[Path], cpu_seconds: float, memory_mb: int
) -> list[str]:
    """The command that runs the runner confined: `readable` are the only files (or
    directories, given with a trailing slash) Node may read besides the runner."""
    if not (pyodide_dir() / "pyodide.mjs").is_file():
        raise SandboxUnavailable("Pyodide is not installed (npm ci)")
    binary, major = node()
    permission = "--experimental-permission" if major < 22 else "--permission"
    reads = [f"--allow-fs-read={path}" for path in [RUNNER, *readable]]
    return [
        sys.executable,
        "-I",
        "-S",
        str(CONFINE),
        "--cpu-seconds",
        str(START_CPU_SECONDS + math.ceil(cpu_seconds)),
        "--memory-bytes",
        str(memory_mb * 1024 * 1024),
        "--parent",
        str(os.getpid()),
        "--",
        binary,
        permission,
        *reads,
        "--no-warnings",
        # No eval or new Function: the candidate's Python reaches JavaScript objects, and
        # this keeps it from compiling JavaScript of its own.
        "--disallow-code-generation-from-strings",
        f"--max-old-space-size={max(MIN_HEAP_MB, memory_mb // 4)}",
        # WebAssembly compiled by the baseline compiler only: measured here, a run from the
        # snapshot took 0.7 CPU s instead of 1.3, and even a 3-million-step Python loop ran
        # faster (1.4 s instead of 4.1): optimizing CPython's large functions in the
        # background costs more than a run lasts, on a busy machine most of all.
        "--liftoff-only",
        str(RUNNER),
        *runner_args,
    ]
