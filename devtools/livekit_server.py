"""Find, build and run a LiveKit media server on loopback.

`livekit-server` on PATH wins. Otherwise the server is built with the Go toolchain from its
Go module at a pinned release into `.tools/bin/` (reused between runs). Nothing downloads a
prebuilt binary.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS_BIN = ROOT / ".tools" / "bin"
LIVEKIT_MODULE = "github.com/livekit/livekit-server/cmd/server"
LIVEKIT_VERSION = "v1.13.5"


class LiveKitServerUnavailable(RuntimeError):
    pass


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveKitServer:
    """A livekit-server process bound to 127.0.0.1, with its webhook pointed at us."""

    api_key: str = "devkey"
    api_secret: str = "secret"  # noqa: S105 - the well-known development key pair
    port: int = 7880
    webhook_url: str | None = None
    log_path: Path | None = None
    process: subprocess.Popen | None = field(default=None, init=False)
    _workdir: tempfile.TemporaryDirectory | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def config(self) -> str:
        webhook = (
            f"webhook:\n  api_key: {self.api_key}\n  urls:\n    - {self.webhook_url}\n"
            if self.webhook_url
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
            f"keys:\n  {self.api_key}: {self.api_secret}\n"
            f"{webhook}"
            "logging:\n  level: info\n"
        )

    def start(self, timeout: float = 30.0) -> "LiveKitServer":
        binary = find_or_build_livekit_server()
        self._workdir = tempfile.TemporaryDirectory(prefix="livekit-")
        config_path = Path(self._workdir.name) / "livekit.yaml"
        config_path.write_text(self.config())
        log = open(self.log_path or Path(self._workdir.name) / "server.log", "wb")
        self.process = subprocess.Popen(
            [str(binary), "--config", str(config_path)], stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LiveKitServerUnavailable(
                    f"livekit-server exited with {self.process.returncode}; see {log.name}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise LiveKitServerUnavailable(f"livekit-server did not listen on {self.port} in time")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._workdir:
            self._workdir.cleanup()
            self._workdir = None

    def __enter__(self) -> "LiveKitServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
