"""Child processes on loopback: pick a free port, wait until a child listens, stop it.

`make dev`, the end-to-end tests and the benchmarks all start servers (livekit-server,
the web server, redis-server, the agent) and must never leave one running: a child that
ignores SIGTERM is killed after a grace period, and a child that dies while we wait for
it to listen is reported at once instead of after the timeout.
"""

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterable

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port nothing listens on right now (another process may still take it)."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def is_listening(port: int, host: str = LOOPBACK) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for_port(
    port: int,
    *,
    timeout: float = 30.0,
    process: subprocess.Popen | None = None,
    host: str = LOOPBACK,
) -> bool:
    """True once something accepts connections on host:port; False when `timeout` passes
    or `process` (the child expected to listen) exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        if is_listening(port, host):
            return True
        time.sleep(0.1)
    return False


def _signal(process: subprocess.Popen, sig: signal.Signals, group: bool) -> None:
    try:
        if group:
            os.killpg(process.pid, sig)
        else:
            process.send_signal(sig)
    except ProcessLookupError:
        pass


def stop_processes(
    processes: Iterable[subprocess.Popen | None],
    *,
    timeout: float = 10.0,
    group: bool = False,
    sig: signal.Signals = signal.SIGTERM,
) -> None:
    """Send `sig` to every running process, give them `timeout` seconds together to exit,
    then SIGKILL the rest; every one is reaped. `group` signals each child's whole process
    group (children started with `start_new_session=True`, and their own children)."""
    running = [p for p in processes if p is not None and p.poll() is None]
    for process in running:
        _signal(process, sig, group)
    deadline = time.monotonic() + timeout
    for process in running:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal(process, signal.SIGKILL, group)
            process.wait()


def stop_process(
    process: subprocess.Popen | None, *, timeout: float = 10.0, group: bool = False
) -> None:
    """SIGTERM, then SIGKILL after `timeout` seconds; does nothing when already stopped."""
    stop_processes([process], timeout=timeout, group=group)


def kill_process_group(process: subprocess.Popen | None) -> None:
    """SIGKILL what is left of the process group `process` leads (started with
    `start_new_session=True`): the children it left behind when it was killed."""
    if process is not None:
        _signal(process, signal.SIGKILL, group=True)
