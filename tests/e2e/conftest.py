"""End to end: a real livekit-server, the real `runagent` and the web app on loopback.

The agent runs as a separate process, so it must share the test database: a file for
SQLite (see settings), the throwaway server for PostgreSQL.
"""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.db import connection

from devtools.livekit_server import LiveKitServer, free_port
from devtools.processes import stop_process
from tests.e2e.smtp import SmtpServer

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def livekit_server(live_server, tmp_path_factory) -> Iterator[LiveKitServer]:
    log = tmp_path_factory.mktemp("livekit") / "server.log"
    server = LiveKitServer(
        port=free_port(), webhook_url=f"{live_server.url}/livekit/webhook", log_path=log
    )
    with server:
        yield server


@pytest.fixture
def livekit_settings(settings, livekit_server: LiveKitServer) -> LiveKitServer:
    settings.LIVEKIT_URL = livekit_server.url
    settings.LIVEKIT_PUBLIC_URL = livekit_server.url
    settings.LIVEKIT_API_KEY = livekit_server.api_key
    settings.LIVEKIT_API_SECRET = livekit_server.api_secret
    return livekit_server


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class AgentProcess:
    """`python manage.py runagent start` against the test server and database."""

    def __init__(
        self, livekit: LiveKitServer, log_path: Path, *, env: dict[str, str] | None = None
    ) -> None:
        self.livekit = livekit
        self.log_path = log_path
        # Overrides, e.g. another INTERVIEW_AI and its provider's address.
        self.env = env or {}
        self.process: subprocess.Popen | None = None

    def start(self) -> "AgentProcess":
        env = {
            **os.environ,
            "ENV_FILE": os.devnull,
            "DATABASE_URL": database_url(),
            "LIVEKIT_URL": self.livekit.url,
            "LIVEKIT_API_KEY": self.livekit.api_key,
            "LIVEKIT_API_SECRET": self.livekit.api_secret,
            "INTERVIEW_AI": "structured",
            "OPENAI_API_KEY": "",
            **self.env,
        }
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "runagent",
                "start",
                # One worker on a busy 2-core machine: take every job, free health port.
                "--load-threshold",
                "inf",
                "--health-port",
                "0",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_registered(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "registered worker" in self.log():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"runagent exited early:\n{self.log()[-3000:]}")
            time.sleep(0.2)
        raise AssertionError(f"runagent did not register in time:\n{self.log()[-3000:]}")

    def kill(self) -> None:
        """Kill the whole process group, job processes included: a crash, not a drain."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        stop_process(self.process, timeout=20, group=True)

    def run(self, scenario: Coroutine[Any, Any, T], *, then_stop: bool = False) -> T:
        """Run a test's scenario against this worker: a failure carries the worker's log;
        `then_stop` stops the worker afterwards, whatever happened."""
        try:
            return asyncio.run(scenario)
        except Exception as failure:
            raise AssertionError(f"agent log:\n{self.log()[-6000:]}") from failure
        finally:
            if then_stop:
                self.stop()


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    """A mail server on loopback: the web app and the agent send it every email."""
    with SmtpServer() as server:
        yield server


@pytest.fixture
def mail_over_smtp(settings, smtp_server: SmtpServer) -> SmtpServer:
    smtp_server.configure(settings)
    return smtp_server


@pytest.fixture
def agent(livekit_settings, mail_over_smtp, tmp_path) -> Iterator[AgentProcess]:
    process = AgentProcess(
        livekit_settings, tmp_path / "agent.log", env=mail_over_smtp.settings_env()
    ).start()
    process.wait_registered()
    yield process
    process.stop()
