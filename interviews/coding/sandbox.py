"""Running a candidate's code on the server: one confined process per run.

Each run is a new Node.js process running Pyodide (interviews/coding/sandbox_runner.mjs),
which runs the harness the browser runs too (static/interviews/coding/harness.py). The
process may read only Pyodide, the harness and Pyodide's snapshot (Node's permission
model: no other file, no writes, no child process, no worker, no native addon), and
interviews/coding/confine.py takes from it, below Node, sockets, new processes, signals
to other processes, file changes, more CPU time than the limit and more memory than the
cap. Its environment is empty, its only channels are its standard streams, and it is
killed at the time limit (counted from Python's start: Pyodide's own start is not the
candidate's time) or when it writes too much. At most CODING_SANDBOX_MAX_CONCURRENT runs
go at once in one web process; a run that finds no free slot for SLOT_WAIT_SECONDS is
"unavailable", so a burst of runs never holds every request thread.

What it cannot promise: the tests run in the same interpreter as the candidate's code,
so code written to tamper with the harness from inside (rewriting its functions or
frames) could make a result lie. Every run keeps the code it ran, where a reviewer sees
such code for what it is.
"""

import ast
import json
import logging
import os
import selectors
import signal
import subprocess
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from interviews.coding import snapshot
from interviews.coding.node import SandboxUnavailable, confined_command, harness_path, pyodide_dir
from interviews.models import CodeRun

logger = logging.getLogger(__name__)

Outcome = CodeRun.Outcome

OUTPUT_LIMIT_CHARS = 10_000  # what the harness keeps of what the code prints
STDOUT_LIMIT_BYTES = 1_000_000  # the process's whole answer: the harness's JSON is far less
STDERR_KEEP_BYTES = 64_000
START_TIMEOUT_SECONDS = 90  # Pyodide's start on a busy machine
SLOT_WAIT_SECONDS = 30
NAME_LIMIT, MESSAGE_LIMIT = 200, 1000
# The harness's errors that mean "too much memory". WebAssembly's Python is 32-bit: more
# than 2 GB at once is an OverflowError where a 64-bit Python raises MemoryError.
MEMORY_ERRORS = (
    "MemoryError",
    "OverflowError: cannot fit 'int' into an index-sized integer",
    "pyodide.ffi.JsException: RangeError: Array buffer allocation failed",
)
# The same, in what a process that died of it wrote last.
MEMORY_SIGNS = (
    "MemoryError:",
    "out of memory",
    "Out of memory",
    "Array buffer allocation failed",
    "Cannot allocate Wasm memory",
)
DENIED = {
    "ChildProcess": "The code tried to start a process, which is not allowed here.",
    "FileSystemRead": "The code tried to read a file of the server, which is not allowed.",
    "FileSystemWrite": "The code tried to write a file of the server, which is not allowed.",
    "WorkerThreads": "The code tried to start a thread of the server, which is not allowed.",
}


@dataclass(frozen=True)
class SandboxResult:
    """A run's result: an outcome of CodeRun.Outcome, every test ({"name", "passed",
    "message"}, hidden ones with "hidden": True), what the code printed, the error that
    stopped it, and how long the code ran (Pyodide's start left out)."""

    outcome: str
    tests: list[dict] = field(default_factory=list)
    output: str = ""
    error: str = ""
    duration_ms: int = 0

    @property
    def visible(self) -> list[dict]:
        return [test for test in self.tests if not test.get("hidden")]

    @property
    def hidden(self) -> list[dict]:
        return [test for test in self.tests if test.get("hidden")]


@dataclass
class _Exchange:
    """What the process wrote, and how it ended."""

    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    started_at: float = 0.0
    ready_at: float | None = None
    ended_at: float = 0.0
    stopped: str = ""  # "timeout" or "output" when this side killed it
    returncode: int = 0


class _Slots:
    """At most `size` runs at once, given in arrival order: a semaphore's waiters are
    woken in any order, and one could wait out SLOT_WAIT_SECONDS behind later arrivals."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self.running = 0
        self.queue: deque[object] = deque()
        self.changed = threading.Condition()

    def acquire(self, timeout: float) -> bool:
        ticket = object()
        with self.changed:
            self.queue.append(ticket)
            self.changed.notify_all()
            given = self.changed.wait_for(
                lambda: self.queue[0] is ticket and self.running < self.size, timeout
            )
            self.queue.remove(ticket)
            if given:
                self.running += 1
            self.changed.notify_all()
            return given

    def release(self) -> None:
        with self.changed:
            self.running -= 1
            self.changed.notify_all()


_slots_lock = threading.Lock()
_slots: dict[int, _Slots] = {}


def _slots_of(size: int) -> _Slots:
    with _slots_lock:
        if size not in _slots:
            _slots[size] = _Slots(size)
        return _slots[size]


def sandbox_run(
    *, code: str, tests: str, hidden_tests: str = "", time_limit_seconds: float | None = None
) -> SandboxResult:
    """Run `code`, then `tests` (and `hidden_tests`) against it, in a new confined process.
    Never raises for what the code does; "unavailable" when the sandbox cannot run."""
    limit = float(time_limit_seconds or settings.CODING_RUN_TIME_LIMIT_SECONDS)
    names = _test_names(tests, hidden=False) + _test_names(hidden_tests, hidden=True)
    slots = _slots_of(settings.CODING_SANDBOX_MAX_CONCURRENT)
    if not slots.acquire(SLOT_WAIT_SECONDS):
        logger.warning("Coding sandbox busy: no free slot")
        return _not_run(
            names,
            Outcome.UNAVAILABLE,
            "The server is busy running code right now; your code is saved. Try again.",
        )
    try:
        return _run(code, tests, hidden_tests, limit, names)
    finally:
        slots.release()


def _run(code: str, tests: str, hidden: str, limit: float, names: list[dict]) -> SandboxResult:
    start_from = snapshot.snapshot_path()
    readable = [pyodide_dir(), harness_path(), *([start_from] if start_from else [])]
    runner_args = [f"--pyodide={pyodide_dir()}/", f"--harness={harness_path()}"]
    if start_from:
        runner_args.append(f"--snapshot={start_from}")
    payload = {
        "code": code,
        "tests": tests,
        "hidden_tests": hidden,
        "output_limit": OUTPUT_LIMIT_CHARS,
    }
    try:
        command = confined_command(
            runner_args=runner_args,
            readable=readable,
            cpu_seconds=limit,
            memory_mb=settings.CODING_MEMORY_LIMIT_MB,
        )
        process = subprocess.Popen(  # noqa: S603 - our own command line, no shell
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={},
            cwd="/",
            start_new_session=True,
        )
    except (OSError, SandboxUnavailable) as error:
        logger.warning("Coding sandbox cannot start", extra={"error": str(error)})
        return _not_run(names, Outcome.UNAVAILABLE, _unavailable_message())
    exchange = _exchange(process, json.dumps(payload).encode(), limit)
    return _result(exchange, limit, names)


def _unavailable_message() -> str:
    return "The server could not run the code right now; your code is saved. Try again."


def _exchange(process: subprocess.Popen, payload: bytes, limit: float) -> _Exchange:
    """Feed the process its input and read what it writes until it ends, the time limit
    passes or it writes too much; then make sure it is gone."""
    assert process.stdin and process.stdout and process.stderr  # noqa: S101 - all piped
    exchange = _Exchange(started_at=time.monotonic())
    deadline = exchange.started_at + START_TIMEOUT_SECONDS
    selector = selectors.DefaultSelector()
    os.set_blocking(process.stdin.fileno(), False)
    selector.register(process.stdin, selectors.EVENT_WRITE)
    selector.register(process.stdout, selectors.EVENT_READ)
    selector.register(process.stderr, selectors.EVENT_READ)
    sent = 0
    try:
        while selector.get_map() and not exchange.stopped:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                exchange.stopped = "timeout"
                break
            for key, _events in selector.select(remaining):
                if key.fileobj is process.stdin:
                    try:
                        sent += os.write(key.fd, payload[sent : sent + 65536])
                    except BlockingIOError:
                        continue
                    except BrokenPipeError:
                        sent = len(payload)
                    if sent >= len(payload):
                        selector.unregister(process.stdin)
                        process.stdin.close()
                    continue
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                elif key.fileobj is process.stderr:
                    exchange.stderr += chunk[: max(0, STDERR_KEEP_BYTES - len(exchange.stderr))]
                else:
                    exchange.stdout += chunk
                    if exchange.ready_at is None and exchange.stdout.startswith(b"ready\n"):
                        exchange.ready_at = time.monotonic()
                        deadline = exchange.ready_at + limit
                    if len(exchange.stdout) > STDOUT_LIMIT_BYTES:
                        exchange.stopped = "output"
        exchange.ended_at = time.monotonic()
        if not exchange.stopped:
            try:
                # Its output is closed: it is ending (unless the code closed it to run on).
                exchange.returncode = process.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                exchange.stopped = "timeout"
    finally:
        selector.close()
        if process.returncode is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()
        for stream in (process.stdin, process.stdout, process.stderr):
            if not stream.closed:
                stream.close()
    if exchange.stopped:
        exchange.returncode = process.returncode
    return exchange


def _result(exchange: _Exchange, limit: float, names: list[dict]) -> SandboxResult:
    stderr = exchange.stderr.decode("utf-8", errors="replace")
    if exchange.ready_at is None:
        logger.warning(
            "Coding sandbox did not start",
            extra={"returncode": exchange.returncode, "stderr": stderr[-1000:]},
        )
        return _not_run(names, Outcome.UNAVAILABLE, _unavailable_message())
    duration_ms = max(0, round((exchange.ended_at - exchange.ready_at) * 1000))
    memory_mb = settings.CODING_MEMORY_LIMIT_MB
    if exchange.stopped == "timeout":
        return _not_run(names, Outcome.TIMEOUT, _timeout_message(limit), duration_ms)
    if exchange.stopped == "output":
        message = "The code wrote too much output; it was stopped."
        return _not_run(names, Outcome.OUTPUT, message, duration_ms)
    parsed = _parse(exchange.stdout, names) if exchange.returncode == 0 else None
    if parsed is not None:
        return _from_harness(parsed, duration_ms, memory_mb)
    if exchange.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return _not_run(names, Outcome.TIMEOUT, _timeout_message(limit), duration_ms)
    if any(sign in stderr for sign in MEMORY_SIGNS):
        return _not_run(names, Outcome.MEMORY, _memory_message(memory_mb), duration_ms)
    for permission, message in DENIED.items():
        if f"permission: '{permission}'" in stderr:
            return _not_run(names, Outcome.ERROR, message, duration_ms)
    logger.info(
        "Coding sandbox ended without a result",
        extra={"returncode": exchange.returncode, "stderr": stderr[-1000:]},
    )
    message = f"The code ended the run before the tests finished (exit {exchange.returncode})."
    return _not_run(names, Outcome.ERROR, message, duration_ms)


def _timeout_message(limit: float) -> str:
    return f"The code ran longer than the time limit of {limit:g} seconds; it was stopped."


def _memory_message(memory_mb: int) -> str:
    return f"The code used more memory than the limit of {memory_mb} MB; it was stopped."


def _from_harness(parsed: dict, duration_ms: int, memory_mb: int) -> SandboxResult:
    tests, output, error = parsed["tests"], parsed["output"], parsed["error"]
    outcome = parsed["outcome"]
    if parsed["output_exceeded"]:
        outcome = Outcome.OUTPUT
        error = f"The code printed more than {OUTPUT_LIMIT_CHARS:,} characters; it was stopped."
    elif _out_of_memory(error) or any(_out_of_memory(test["message"]) for test in tests):
        outcome, error = Outcome.MEMORY, _memory_message(memory_mb)
    return SandboxResult(
        outcome=outcome, tests=tests, output=output, error=error, duration_ms=duration_ms
    )


def _out_of_memory(message: str) -> bool:
    return message.startswith(MEMORY_ERRORS)


def _clean(value: Any, limit: int) -> str:
    """Text a database and a page can hold: no NUL, no lone surrogate, cut short."""
    text = str(value).replace("\x00", "")
    return text.encode("utf-8", errors="replace").decode("utf-8")[:limit]


def _parse(stdout: bytearray, names: list[dict]) -> dict | None:
    """The harness's result: the last line, checked to be the harness's shape and to hold
    exactly the tests of the exercise; None when it is not."""
    lines = [line for line in bytes(stdout).splitlines() if line.strip()]
    try:
        data = json.loads(lines[-1])
        if data["outcome"] not in (Outcome.PASSED, Outcome.FAILED, Outcome.ERROR):
            return None
        tests = [
            {
                "name": _clean(test["name"], NAME_LIMIT),
                "passed": test["passed"] is True,
                "message": _clean(test["message"], MESSAGE_LIMIT),
                **({"hidden": True} if test.get("hidden") is True else {}),
            }
            for test in data["tests"]
        ]
        found = sorted((test["name"], bool(test.get("hidden"))) for test in tests)
        expected = sorted((test["name"], bool(test.get("hidden"))) for test in names)
        if found != expected:
            return None
        return {
            "outcome": data["outcome"],
            "tests": tests,
            "output": _clean(data["output"], OUTPUT_LIMIT_CHARS),
            "error": _clean(data["error"], MESSAGE_LIMIT),
            "output_exceeded": data.get("output_exceeded") is True,
        }
    except (IndexError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _test_names(source: str, *, hidden: bool) -> list[dict]:
    """The tests a file defines, as the harness finds them (top-level `def test...`, the
    last of a name), each marked not run until a result says otherwise."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            if node.name in names:
                names.remove(node.name)
            names.append(node.name)
    return [
        {"name": name, "passed": False, "message": "", **({"hidden": True} if hidden else {})}
        for name in names
    ]


def _not_run(names: list[dict], outcome: str, error: str, duration_ms: int = 0) -> SandboxResult:
    tests = [{**test, "message": "Not run: " + error} for test in names]
    return SandboxResult(outcome=outcome, tests=tests, error=error, duration_ms=duration_ms)
