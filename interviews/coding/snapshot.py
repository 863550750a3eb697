"""Pyodide's memory right after its start, kept on disk so that each sandbox process
loads it instead of starting Python from nothing: measured here, a run's process takes
about a quarter of the CPU time of a cold start (docs/benchmarks.md, figure 9).

The snapshot is made once per machine (by whichever web process needs it first; the
others start cold meanwhile rather than wait), in a directory only this user can write,
and named after what it depends on: Pyodide's files, Node's version and the runner. It
holds no candidate's data: nothing but Python's start and the harness's imports.
"""

import fcntl
import hashlib
import json
import logging
import os
import stat
import subprocess
import tempfile
import threading
import time
from functools import cache
from pathlib import Path

from django.conf import settings

from interviews.coding.node import RUNNER, SandboxUnavailable, confined_command, node, pyodide_dir

logger = logging.getLogger(__name__)

MAKE_TIMEOUT_SECONDS = 180
MIN_SNAPSHOT_BYTES = 1_000_000
RETRY_AFTER_SECONDS = 600
_making = threading.Lock()
_failed_at: float | None = None


def _cache_dir() -> Path | None:
    """A directory of this user's own (not a symlink, nobody else may write to it)."""
    path = Path(tempfile.gettempdir()) / f"hiring-coding-{os.getuid()}"
    try:
        path.mkdir(mode=0o700, exist_ok=True)
        info = path.lstat()
    except OSError:
        return None
    own = info.st_uid == os.getuid() and stat.S_ISDIR(info.st_mode)
    return path if own and not info.st_mode & 0o022 else None


@cache
def _name() -> str:
    files = pyodide_dir()
    version = json.loads((files / "package.json").read_text())["version"]
    wasm = (files / "pyodide.asm.wasm").stat()
    key = hashlib.sha256()
    key.update(f"{version} {wasm.st_size} {wasm.st_mtime_ns} node {node()[1]}".encode())
    key.update(RUNNER.read_bytes())
    return f"pyodide-{version}-{key.hexdigest()[:16]}.snapshot"


def _ready(path: Path) -> bool:
    try:
        return path.stat().st_size >= MIN_SNAPSHOT_BYTES
    except OSError:
        return False


def _make(path: Path) -> None:
    command = confined_command(
        runner_args=[f"--pyodide={pyodide_dir()}/", "--make-snapshot"],
        readable=[pyodide_dir()],
        cpu_seconds=MAKE_TIMEOUT_SECONDS,
        memory_mb=settings.CODING_MEMORY_LIMIT_MB,
    )
    made = subprocess.run(  # noqa: S603 - our own command line, no shell
        command,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env={},
        cwd="/",
        start_new_session=True,
        timeout=MAKE_TIMEOUT_SECONDS,
    )
    if made.returncode != 0 or len(made.stdout) < MIN_SNAPSHOT_BYTES:
        raise SandboxUnavailable(
            f"exit {made.returncode}: {made.stderr.decode(errors='replace')[-500:]}"
        )
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_bytes(made.stdout)
    os.replace(partial, path)


def snapshot_path() -> Path | None:
    """The snapshot to start from, made now if need be; None to start cold (it is being
    made by another process, or cannot be made here)."""
    global _failed_at
    directory = _cache_dir()
    if directory is None:
        return None
    try:
        path = directory / _name()
    except (OSError, ValueError, KeyError, SandboxUnavailable):
        return None
    if _ready(path):
        return path
    if _failed_at is not None and time.monotonic() - _failed_at < RETRY_AFTER_SECONDS:
        return None
    if not _making.acquire(blocking=False):
        return None
    try:
        with open(directory / "snapshot.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return None  # another process makes it
            if not _ready(path):
                started = time.monotonic()
                _make(path)
                logger.info(
                    "Coding sandbox snapshot made",
                    extra={"seconds": round(time.monotonic() - started, 1)},
                )
        return path
    except (OSError, subprocess.SubprocessError, SandboxUnavailable) as error:
        _failed_at = time.monotonic()
        logger.warning("Coding sandbox snapshot not made", extra={"error": str(error)[-500:]})
        return None
    finally:
        _making.release()
