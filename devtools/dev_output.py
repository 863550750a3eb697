"""What `make dev` prints for the person running it: the children's log lines, minus the
known-harmless ones a newcomer would take for problems, and the banner they look for.

Every line still goes, unfiltered, to DEV_LOG.
"""

import threading
from pathlib import Path
from typing import IO

# Always harmless here: Daphne's note that it serves HTTP/1.1 only, which is all the
# development server needs.
HARMLESS = (b"HTTP/2 support not enabled",)
# Harmless while the agent starts: loading the speech and understanding models blocks its
# event loop before any interview runs. Once the agent has registered, the same warning
# means an interview's audio was held up, and is shown.
HARMLESS_AT_START_UP = (b"event loop blocked",)


def is_shown(line: bytes, *, starting: bool) -> bool:
    """Whether the console shows this log line."""
    if any(marker in line for marker in HARMLESS):
        return False
    return not (starting and any(marker in line for marker in HARMLESS_AT_START_UP))


class Console:
    """Where the children's output goes: every line to the log file, the shown ones to
    our stderr. One lock keeps lines from two children whole."""

    def __init__(self, *, log: IO[bytes], echo: IO[bytes]) -> None:
        self.started = threading.Event()  # set once the agent has registered
        self._log = log
        self._echo = echo
        self._lock = threading.Lock()

    def write(self, line: bytes) -> None:
        with self._lock:
            self._log.write(line)
            self._log.flush()
            if is_shown(line, starting=not self.started.is_set()):
                self._echo.write(line)
                self._echo.flush()

    def forward(self, stream: IO[bytes], *, ready_line: bytes | None = None) -> None:
        """Copy a child's output line by line; `ready_line` (the agent's registration)
        ends the start-up."""
        for line in iter(stream.readline, b""):
            self.write(line)
            if ready_line is not None and ready_line in line:
                self.started.set()


def banner(
    *,
    web_port: int,
    invite: str,
    open_link: str,
    interview_ai: str,
    admin_username: str,
    admin_password: str | None,
    emails_folder: str | None,
    logs: list[tuple[str, str]],
) -> str:
    """The lines printed once everything runs: where to go, how to log in, where the logs
    are. `admin_password` is the one generated on this run (None: the admin existed)."""
    base = f"http://127.0.0.1:{web_port}"
    if admin_password is None:
        login = (
            f"{admin_username} (password set earlier; to change it: "
            f"python manage.py changepassword {admin_username})"
        )
    else:
        login = f"{admin_username} / {admin_password}  (shown only now: keep it)"
    lines = [
        f"Back office (admin): {base}/admin/",
        f"Admin login:         {login}",
        f"A personal invite:   {invite}",
        f"An open position:    {open_link}",
        f"Interviewer mode:    {interview_ai}",
    ]
    if emails_folder is not None:
        lines.append(f"Emails sent:         {emails_folder}/")
        lines.append(f"Read them (admins):  {base}/admin/outbox/")
    lines += [f"{name + ':':<21}{path}" for name, path in logs]
    lines.append("Ctrl-C stops everything.")
    return "\n" + "".join(f"  {line}\n" for line in lines)


def open_log(path: Path) -> IO[bytes]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("ab")
