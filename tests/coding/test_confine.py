"""The operating system's limits on the sandbox's process (interviews/coding/confine.py),
proved on a plain Python process: they hold whatever runs under them, Node.js included."""

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from interviews.coding import confine

CONFINE = Path(confine.__file__)


def confined(
    code: str, *, cpu_seconds: int = 60, memory_mb: int = 512, command: list[str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            str(CONFINE),
            "--cpu-seconds",
            str(cpu_seconds),
            "--memory-bytes",
            str(memory_mb * 1024 * 1024),
            "--parent",
            str(os.getpid()),
            "--",
            *(command or [sys.executable, "-I", "-S", "-c", code]),
        ],
        capture_output=True,
        text=True,
        env={},
        timeout=300,
    )


@pytest.fixture
def listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def test_no_socket_can_be_opened_so_nothing_is_reached(listener):
    port = listener.getsockname()[1]
    code = (
        "import socket\n"
        "for family in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX):\n"
        "    try:\n"
        "        socket.socket(family)\n"
        "        print('opened')\n"
        "    except PermissionError:\n"
        "        print('refused')\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {port}))\n"
        "except PermissionError:\n"
        "    print('not connected')\n"
    )
    result = confined(code)
    assert result.stdout.split() == ["refused", "refused", "refused", "not", "connected"]
    with pytest.raises(BlockingIOError):
        listener.accept()  # the process has ended: a connection would be waiting here


def test_no_process_can_be_started(tmp_path):
    marker = tmp_path / "started"
    code = (
        "import os, subprocess\n"
        f"for start in (lambda: os.fork(), lambda: subprocess.run(['touch', {str(marker)!r}]),\n"
        f"              lambda: os.system('touch {marker}')):\n"
        "    try:\n"
        "        print(start())\n"
        "    except OSError as error:\n"
        "        print(type(error).__name__)\n"
    )
    result = confined(code)
    lines = result.stdout.split()
    assert lines[:2] == ["PermissionError", "PermissionError"]
    assert lines[2] != "0"  # os.system's shell could not be started
    assert not marker.exists()


def test_threads_still_run():
    code = (
        "import threading\n"
        "thread = threading.Thread(target=print, args=('thread',))\n"
        "thread.start()\n"
        "thread.join()\n"
    )
    assert confined(code).stdout == "thread\n"


def test_no_signal_reaches_another_process_but_its_own_do():
    bystander = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        code = (
            "import os, signal\n"
            f"for pid in ({bystander.pid}, -1, {os.getpid()}):\n"
            "    try:\n"
            "        os.kill(pid, signal.SIGKILL)\n"
            "        print('sent')\n"
            "    except PermissionError:\n"
            "        print('refused')\n"
            "os.kill(os.getpid(), 0)\n"
            "print('own ok')\n"
        )
        result = confined(code)
        assert result.stdout.split() == ["refused", "refused", "refused", "own", "ok"]
        assert bystander.poll() is None  # still running
    finally:
        bystander.kill()
        bystander.wait()


def test_no_file_is_created_written_or_removed(tmp_path):
    existing = tmp_path / "existing.txt"
    existing.write_text("kept")
    code = (
        "import os\n"
        f"for act in (lambda: open({str(tmp_path / 'new.txt')!r}, 'w'),\n"
        f"            lambda: open({str(existing)!r}, 'a'),\n"
        f"            lambda: os.remove({str(existing)!r}),\n"
        f"            lambda: os.mkdir({str(tmp_path / 'dir')!r})):\n"
        "    try:\n"
        "        act()\n"
        "        print('done')\n"
        "    except PermissionError:\n"
        "        print('refused')\n"
        f"print(open({str(existing)!r}).read())\n"
    )
    result = confined(code)
    assert result.stdout.split() == ["refused"] * 4 + ["kept"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["existing.txt"]
    assert existing.read_text() == "kept"


def test_the_environment_is_empty():
    result = confined("", command=["/usr/bin/env"])
    assert result.returncode == 0
    assert result.stdout == ""


def test_the_limits_are_set():
    code = (
        "import resource\n"
        "for name in ('CPU', 'DATA', 'FSIZE', 'CORE', 'NOFILE'):\n"
        "    print(*resource.getrlimit(getattr(resource, 'RLIMIT_' + name)))\n"
    )
    lines = confined(code, cpu_seconds=7, memory_mb=300).stdout.splitlines()
    assert lines == ["7 8", f"{300 << 20} {300 << 20}", "0 0", "0 0", "64 64"]


def test_memory_beyond_the_cap_is_refused():
    code = "try:\n    b = bytearray(1 << 30)\nexcept MemoryError:\n    print('refused')\n"
    assert confined(code, memory_mb=200).stdout == "refused\n"


def test_cpu_time_beyond_the_limit_ends_the_process():
    result = confined("while True:\n    pass\n", cpu_seconds=1)
    assert result.returncode in (-signal.SIGXCPU, -signal.SIGKILL)


def test_a_system_without_a_filter_is_refused_rather_than_left_open():
    with pytest.raises(confine.Unsupported):
        confine.seccomp_program("riscv64", 1)


def test_the_filter_fits_the_kernels_limit():
    program = confine.seccomp_program("x86_64", 1)
    assert len(program) % 8 == 0
    assert len(program) // 8 < 4096  # BPF_MAXINSNS
