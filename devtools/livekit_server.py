"""Find, build and run a LiveKit media server on loopback.

`livekit-server` on PATH wins. Otherwise the server is built with the Go toolchain from its
Go module at a pinned release into `.tools/bin/` (reused between runs). Nothing downloads a
prebuilt binary.
"""

import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from devtools.processes import LOOPBACK, free_port, stop_process, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
TOOLS_BIN = ROOT / ".tools" / "bin"
LIVEKIT_MODULE = "github.com/livekit/livekit-server/cmd/server"
LIVEKIT_VERSION = "v1.13.5"


class LiveKitServerUnavailable(RuntimeError):
    def __init__(self, message: str, *, port_taken: bool = False) -> None:
        super().__init__(message)
        # Another process held one of the server's ports.
        self.port_taken = port_taken


def find_or_build_livekit_server() -> Path:
    on_path = shutil.which("livekit-server")
    if on_path:
        return Path(on_path)
    local = TOOLS_BIN / "livekit-server"
    if local.exists():
        return local
    go = shutil.which("go") or (
        "/usr/local/go/bin/go" if Path("/usr/local/go/bin/go").exists() else None
    )
    if go is None:
        raise LiveKitServerUnavailable(
            "livekit-server is not installed and no Go toolchain was found to build it. "
            "Install Go (1.26 or newer) or put livekit-server on PATH, then run again."
        )
    TOOLS_BIN.mkdir(parents=True, exist_ok=True)
    print(f"Building livekit-server {LIVEKIT_VERSION} with Go (once; a few minutes)...", flush=True)
    result = subprocess.run(
        [go, "install", f"{LIVEKIT_MODULE}@{LIVEKIT_VERSION}"],
        env={**os.environ, "GOBIN": str(TOOLS_BIN)},
        capture_output=True,
        text=True,
    )
    built = TOOLS_BIN / "server"
    if result.returncode != 0 or not built.exists():
        raise LiveKitServerUnavailable(
            f"Building livekit-server failed:\n{result.stderr[-2000:]}\n"
            "Put livekit-server on PATH to skip the build."
        )
    built.rename(local)
    return local


__all__ = [
    "LiveKitServer",
    "LiveKitServerUnavailable",
    "find_or_build_livekit_server",
    "free_port",
    "generate_api_secret",
]


# Where a server asked to choose its own ports (port=0) takes them: below Linux's
# ephemeral range (32768 and up), so that no outgoing connection holds one. Another
# listener may still take one first: the server then starts again on others.
PICKED_PORTS = range(20000, 32000, 2)
PORT_ATTEMPTS = 5


def _tcp_port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def _free_port_pair() -> int:
    """A port P with P and P + 1 free for TCP on loopback right now."""
    while True:
        port = random.choice(PICKED_PORTS)  # noqa: S311 - a port, not a secret
        if _tcp_port_free(port) and _tcp_port_free(port + 1):
            return port


def generate_api_secret() -> str:
    """A random API secret of 43 characters: JWT signing keys under 32 bytes are weak,
    and PyJWT warns about every token signed with one."""
    return secrets.token_urlsafe(32)


@dataclass
class LiveKitServer:
    """A livekit-server process bound to 127.0.0.1, with its webhook pointed at us."""

    api_key: str = "devkey"
    api_secret: str = field(default_factory=generate_api_secret)
    # 0: the server takes free ports when it starts (read `port` and `url` after).
    port: int = 7880
    webhook_url: str | None = None
    log_path: Path | None = None
    # In a process group of its own, Ctrl-C in a terminal reaches only whoever started it.
    new_session: bool = False
    # Seconds a room stays open after its last participant left (LiveKit's default: 20).
    departure_timeout: int | None = None
    process: subprocess.Popen | None = field(default=None, init=False)
    _workdir: tempfile.TemporaryDirectory | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def config(self) -> str:
        # JSON strings are YAML strings: a secret is never read as a number or a flag.
        key, secret = json.dumps(self.api_key), json.dumps(self.api_secret)
        webhook = (
            f"webhook:\n  api_key: {key}\n  urls:\n    - {json.dumps(self.webhook_url)}\n"
            if self.webhook_url
            else ""
        )
        room = (
            f"room:\n  departure_timeout: {self.departure_timeout}\n"
            if self.departure_timeout is not None
            else ""
        )
        return (
            f"port: {self.port}\n"
            "bind_addresses:\n  - 127.0.0.1\n"
            "rtc:\n"
            f"  tcp_port: {self.port + 1}\n"
            f"  port_range_start: {self.port + 2}\n"
            f"  port_range_end: {self.port + 202}\n"
            "  use_external_ip: false\n"
            "  node_ip: 127.0.0.1\n"
            f"keys:\n  {key}: {secret}\n"
            f"{webhook}"
            f"{room}"
            "logging:\n  level: info\n"
        )

    def start(self, timeout: float = 30.0) -> "LiveKitServer":
        """Start and wait until it listens. With port=0 it takes free ports itself (its
        port and the next one), and other ports again if another process took one first."""
        choose = self.port == 0
        for attempt in range(1, PORT_ATTEMPTS + 1):
            if choose:
                self.port = _free_port_pair()
            try:
                return self._start_once(timeout)
            except LiveKitServerUnavailable as error:
                if not (choose and error.port_taken and attempt < PORT_ATTEMPTS):
                    raise
        raise AssertionError("unreachable")  # the last attempt returned or raised

    def _start_once(self, timeout: float) -> "LiveKitServer":
        binary = find_or_build_livekit_server()
        self._workdir = tempfile.TemporaryDirectory(prefix="livekit-")
        config_path = Path(self._workdir.name) / "livekit.yaml"
        config_path.write_text(self.config())
        log_path = self.log_path or Path(self._workdir.name) / "server.log"
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                [str(binary), "--config", str(config_path)],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=self.new_session,
            )
        if wait_for_port(self.port, timeout=timeout, process=self.process):
            return self
        exited = self.process.poll()
        said = log_path.read_text(errors="replace")[-2000:]
        self.stop()
        if exited is not None:
            raise LiveKitServerUnavailable(
                f"livekit-server exited with {exited}; see {log_path}:\n{said}",
                port_taken="address already in use" in said,
            )
        raise LiveKitServerUnavailable(f"livekit-server did not listen on {self.port} in time")

    def stop(self) -> None:
        stop_process(self.process)
        if self._workdir:
            self._workdir.cleanup()
            self._workdir = None

    def __enter__(self) -> "LiveKitServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
