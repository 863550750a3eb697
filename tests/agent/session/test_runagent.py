"""`manage.py runagent` fails loudly: a supervisor must see a non-zero exit."""

import os
import socket
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def runagent(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "manage.py", "runagent", *args],
        cwd=Path(settings.BASE_DIR),
        env={**os.environ, "INTERVIEW_AI": "structured", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_exits_non_zero_when_livekit_cannot_be_reached():
    result = runagent(
        "start",
        "--max-retry",
        "1",
        "--health-port",
        "0",
        LIVEKIT_URL=f"ws://127.0.0.1:{closed_port()}",
    )

    assert result.returncode != 0
    assert "failed to connect to livekit after 1 attempts" in result.stderr


def test_it_exits_non_zero_when_the_realtime_interviewer_has_no_key():
    result = runagent("start", INTERVIEW_AI="realtime", OPENAI_API_KEY="")

    assert result.returncode != 0
    assert "INTERVIEW_AI=realtime needs OPENAI_API_KEY" in result.stderr
    # It stopped before starting a worker.
    assert "starting worker" not in result.stderr


def test_it_exits_non_zero_without_a_livekit_address():
    result = runagent("dev", LIVEKIT_URL="")

    assert result.returncode != 0
    assert "LIVEKIT_URL must be the LiveKit server's address" in result.stderr


def test_connect_needs_a_room():
    result = runagent("connect")

    assert result.returncode != 0
    assert "connect needs --room" in result.stderr
