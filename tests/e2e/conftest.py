"""End to end: a real livekit-server, the real `runagent` and the web app on loopback.

The agent runs as a separate process, so it must share the test database: a file for
SQLite (see settings), the throwaway server for PostgreSQL.
"""

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.db import connection

from devtools.livekit_server import LiveKitServer
from devtools.processes import stop_process
from tests.e2e.smtp import SmtpServer

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def livekit_server(live_server, tmp_path_factory) -> Iterator[LiveKitServer]:
    log = tmp_path_factory.mktemp("livekit") / "server.log"
    server = LiveKitServer(
        port=0,
        webhook_url=f"{live_server.url}/livekit/webhook",
        log_path=log,
        # A room left by everyone closes at once (LiveKit waits 20 s): a candidate who
        # reconnects after a crash gets a new room, and its interviewer, without the wait.
        departure_timeout=1,
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


# Where speech itself is not what a test proves, the interviewer speaks at espeak-ng's
# fastest (450 words a minute; 165 in the product), takes a typed answer 2 s after the
# candidate's last message (4 s) and a 2 s silence after "anything to add?" as no (5 s):
# the conversation is the same, in half the time.
QUICK_CONVERSATION = {
    "ESPEAK_WORDS_PER_MINUTE": "450",
    "TYPED_ANSWER_PAUSE_SECONDS": "2",
    "ANYTHING_ELSE_SILENCE_SECONDS": "2",
}


class AgentProcess:
    """`python manage.py runagent start` against the test server and database."""

    def __init__(
        self,
        livekit: LiveKitServer,
        log_path: Path,
        *,
        env: dict[str, str] | None = None,
        agent_name: str = "interviewer",
    ) -> None:
        self.livekit = livekit
        self.log_path = log_path
        # The name tokens dispatch (settings.LIVEKIT_AGENT_NAME): LiveKit hands a room to
        # any worker registered under it, so each kind of worker has its own.
        self.agent_name = agent_name
        # Overrides, e.g. another INTERVIEW_AI and its provider's address.
        self.env = env or {}
        # The interviews it records are stored beside its log, not in the checkout.
        self.recordings = log_path.parent / "recordings"
        self.process: subprocess.Popen | None = None
        # Where the current test's part of the log begins (a worker may serve several).
        self._log_start = 0

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
            "LIVEKIT_AGENT_NAME": self.agent_name,
            **QUICK_CONVERSATION,
            "RECORDING_STORAGE_OPTIONS": json.dumps({"location": str(self.recordings)}),
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

    def whole_log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log(self) -> str:
        """What the worker logged since `begin_test()`."""
        with open(self.log_path, "rb") as log:
            log.seek(self._log_start)
            return log.read().decode(errors="replace")

    def begin_test(self) -> "AgentProcess":
        """A test takes over this worker, idle: its log starts here."""
        self.wait_idle()
        self._log_start = self.log_path.stat().st_size
        return self

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_registered(self, timeout: float = 180.0) -> None:
        # A loaded machine takes a minute or more to load the models before registering.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "registered worker" in self.whole_log():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"runagent exited early:\n{self.log()[-3000:]}")
            time.sleep(0.2)
        raise AssertionError(f"runagent did not register in time:\n{self.log()[-3000:]}")

    def active_interviews(self) -> int:
        """How many jobs the worker runs now, from its own HTTP server's /worker."""
        port = re.search(r"HTTP server listening on 127\.0\.0\.1:(\d+)", self.whole_log())
        assert port, f"runagent has no HTTP server:\n{self.whole_log()[-3000:]}"
        with urllib.request.urlopen(f"http://127.0.0.1:{port[1]}/worker", timeout=5) as reply:  # noqa: S310 - loopback
            # Protobuf JSON leaves out a zero.
            return int(json.load(reply).get("active_jobs", 0))

    def wait_idle(self, timeout: float = 60.0) -> None:
        """Until every interview job has ended (its last writes made), so that the next
        test starts on an empty database and a free worker."""
        deadline = time.monotonic() + timeout
        while self.active_interviews():
            if time.monotonic() > deadline:
                raise AssertionError(f"runagent still runs an interview:\n{self.log()[-3000:]}")
            time.sleep(0.2)

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


@pytest.fixture(scope="session")
def shared_agent(
    django_db_setup, livekit_server, smtp_server, tmp_path_factory
) -> Iterator[AgentProcess]:
    """One structured worker for every test that needs nothing else of it (starting one
    takes 10-15 s); its mail goes to the loopback SMTP server. After the test database
    exists: the worker opens it by name."""
    log = tmp_path_factory.mktemp("shared-agent") / "agent.log"
    process = AgentProcess(
        livekit_server, log, env=smtp_server.settings_env(), agent_name="shared-interviewer"
    ).start()
    process.wait_registered()
    yield process
    process.stop()


@pytest.fixture
def agent(shared_agent, livekit_settings, mail_over_smtp, settings) -> Iterator[AgentProcess]:
    """The shared worker, idle before and after the test; the test's tokens dispatch it."""
    settings.LIVEKIT_AGENT_NAME = shared_agent.agent_name
    settings.STORAGES = {
        **settings.STORAGES,
        "recordings": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(shared_agent.recordings)},
        },
    }
    if not shared_agent.is_running():
        raise AssertionError(f"the shared runagent exited:\n{shared_agent.whole_log()[-3000:]}")
    yield shared_agent.begin_test()
    shared_agent.wait_idle()
