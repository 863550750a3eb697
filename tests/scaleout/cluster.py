"""The product as a cluster on loopback: LiveKit nodes in multi-node mode sharing one
Redis, web processes under daphne, `runagent` workers, and recruiters' dashboards as
websocket clients. Every process binds 127.0.0.1 on free ports and is stopped by the
context manager that started it."""

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from devtools.livekit_server import LiveKitServer
from devtools.processes import free_port, stop_process, wait_for_port

ROOT = Path(__file__).resolve().parents[2]


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveKitNode(LiveKitServer):
    """One node of a LiveKit cluster: the nodes share rooms, agent workers and routing
    through Redis (LiveKit's multi-node mode); each has its own signalling, ICE/TCP and
    media ports."""

    redis_address: str = ""
    tcp_port: int = field(default_factory=free_port)
    udp_port: int = field(default_factory=free_udp_port)

    def config(self) -> str:
        key, secret = json.dumps(self.api_key), json.dumps(self.api_secret)
        webhook = (
            f"webhook:\n  api_key: {key}\n  urls:\n    - {json.dumps(self.webhook_url)}\n"
            if self.webhook_url
            else ""
        )
        return (
            f"port: {self.port}\n"
            "bind_addresses:\n  - 127.0.0.1\n"
            f"redis:\n  address: {json.dumps(self.redis_address)}\n"
            "rtc:\n"
            f"  tcp_port: {self.tcp_port}\n"
            f"  udp_port: {self.udp_port}\n"
            "  use_external_ip: false\n"
            "  node_ip: 127.0.0.1\n"
            f"keys:\n  {key}: {secret}\n"
            f"{webhook}"
            "logging:\n  level: info\n"
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""


def wait_until(condition: Callable[[], bool], what: str, *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


class Child:
    """A child process in a session of its own, its output in a log file."""

    def __init__(self, command: list[str], env: dict[str, str], log_path: Path) -> None:
        self.command, self.env, self.log_path = command, env, log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> "Child":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own commands
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 20.0) -> None:
        stop_process(self.process, timeout=timeout, group=True)


def django_env(database_url: str, redis_url: str, node: LiveKitNode, **extra: str) -> dict:
    """A web process or worker of the cluster: the shared database and Redis (channel
    layer and cache), and its own LiveKit node."""
    return {
        **os.environ,
        "ENV_FILE": os.devnull,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "LIVEKIT_URL": node.url,
        "LIVEKIT_PUBLIC_URL": node.url,
        "LIVEKIT_API_KEY": node.api_key,
        "LIVEKIT_API_SECRET": node.api_secret,
        "INTERVIEW_AI": "structured",
        "OPENAI_API_KEY": "",
        "LOG_LEVEL": "INFO",
        **extra,
    }


class WebProcess(Child):
    """The ASGI app (pages, token endpoint, webhooks, dashboard websockets) under daphne."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port)]
        super().__init__([*command, "hiring.asgi:application"], env, log_path)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "WebProcess":
        super().start()
        if not wait_for_port(self.port, timeout=60, process=self.process):
            raise AssertionError(f"the web process did not listen:\n{self.log()[-3000:]}")
        return self


class Worker(Child):
    """`manage.py runagent start` on its own node, with its own health check port."""

    def __init__(self, env: dict[str, str], log_path: Path, *args: str) -> None:
        self.health_port = free_port()
        command = [sys.executable, "manage.py", "runagent", "start"]
        super().__init__([*command, "--health-port", str(self.health_port), *args], env, log_path)

    def start(self) -> "Worker":
        super().start()
        wait_until(
            lambda: "registered worker" in self.log() or not self.running(),
            "the worker to register",
        )
        if not self.running():
            raise AssertionError(f"runagent exited:\n{self.log()[-3000:]}")
        return self

    def kill(self) -> None:
        """SIGKILL the worker and every process it started: a crash, not a drain."""
        if self.running():
            os.killpg(self.process.pid, 9)
            self.process.wait()


class Dashboard:
    """A recruiter's live dashboard: the websocket to one web process, every message kept."""

    def __init__(self, web: WebProcess, session_cookie: str) -> None:
        self.web = web
        self.cookie = session_cookie
        self.messages: list[dict] = []
        self._http: aiohttp.ClientSession | None = None
        self._socket: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task | None = None
        self.closed = False

    async def __aenter__(self) -> "Dashboard":
        self._http = aiohttp.ClientSession()
        self._socket = await self._http.ws_connect(
            f"ws://127.0.0.1:{self.web.port}/ws/dashboard/",
            headers={"Origin": self.web.url, "Cookie": self.cookie},
        )
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        async for message in self._socket:
            if message.type == aiohttp.WSMsgType.TEXT:
                self.messages.append(json.loads(message.data))
        self.closed = True

    def statuses(self, interview_id: str) -> list[str]:
        return [
            m["interview"]["status"]
            for m in self.messages
            if m.get("type") == "interview.changed" and m["interview"]["id"] == interview_id
        ]

    async def __aexit__(self, *exc) -> None:
        await self._socket.close()
        self._reader.cancel()
        await asyncio.gather(self._reader, return_exceptions=True)
        await self._http.close()
