"""The web server as deployment runs it (`manage.py serve`), on loopback, against the
test database: for what only the real server shows (its logs, the peer address)."""

import os
import subprocess
import sys
from pathlib import Path

import requests

from devtools.processes import free_port, stop_process, wait_for_port
from tests.e2e.conftest import database_url
from tests.test_settings import ROOT


class ServedApp:
    def __init__(self, log_path: Path, **env: str) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.env = env
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "ServedApp":
        env = {
            **os.environ,
            "ENV_FILE": os.devnull,
            "DEBUG": "True",
            "DATABASE_URL": database_url(),
            "LOG_LEVEL": "INFO",
            **self.env,
        }
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        command = [sys.executable, "manage.py", "serve", "-b", "127.0.0.1", "-p", str(self.port)]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        if not wait_for_port(self.port, timeout=60, process=self.process):
            stop_process(self.process)
            raise AssertionError(f"the server did not listen:\n{self.log()[-3000:]}")
        return self

    def __exit__(self, *exc: object) -> None:
        stop_process(self.process)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def open_link_consent(app: ServedApp, slug: str, **headers: str) -> requests.Response:
    """A new browser opens an open position link and agrees: its interview is created."""
    browser = requests.Session()
    browser.get(f"{app.url}/apply/{slug}/", headers=headers, timeout=30)
    browser.get(f"{app.url}/interview/", headers=headers, timeout=30)
    return browser.post(
        f"{app.url}/interview/consent",
        json={"choice": "consent", "consent": True},
        headers={"X-CSRFToken": browser.cookies["csrftoken"], **headers},
        timeout=30,
    )
