"""`make dev`: the whole product on one machine, supervised.

Starts livekit-server (webhook pointed at us), the web server and the interviewer agent;
once the agent has registered, prints the admin address and login (the password generated
on the first run), a personal invite link and an open position link. The children's log
goes to the console without the known-harmless lines (devtools/dev_output.py) and whole to
.tools/dev.log. Ctrl-C stops the agent, then the web server, then livekit-server; a
child that dies is reported and takes the others down with it, so nothing runs
half-broken without anyone noticing.

The children run in their own process groups, so Ctrl-C reaches only this supervisor and
everything stops in that order (livekit-server going first would make the agent log
reconnection attempts while it drains).
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import django
from django.conf import settings

from devtools.dev_output import Console, open_log
from devtools.dev_output import banner as dev_banner
from devtools.processes import (
    is_listening,
    kill_process_group,
    stop_process,
    stop_processes,
    wait_for_port,
)

ROOT = Path(__file__).resolve().parent.parent
WEB_PORT = int(os.environ.get("DEV_WEB_PORT", "8000"))
LIVEKIT_PORT = int(os.environ.get("DEV_LIVEKIT_PORT", "7880"))
DEMO_EMAIL = "demo.candidate@example.com"
# Kept between runs (git-ignored), so a browser tab or a worker started by hand with
# these values keeps working after a restart.
DEV_KEYS_FILE = ROOT / ".tools" / "dev-livekit-keys.json"
LIVEKIT_LOG = ROOT / ".tools" / "livekit-server.log"
# The web server's and the agent's output, every line (the console leaves some out).
DEV_LOG = ROOT / ".tools" / "dev.log"
ADMIN_USERNAME = "admin"
# What the agent logs once LiveKit accepted it: from then on interviews can start.
AGENT_READY_LINE = "registered worker"
AGENT_READY_TIMEOUT = 60.0
# Interviews still running at Ctrl-C get this long to end before the agent stops them.
AGENT_DRAIN_SECONDS = 5


def dev_livekit_keys() -> tuple[str, str]:
    """The development livekit-server's API key and secret: generated on first use, with
    a secret long enough for JWT signing (PyJWT warns about keys under 32 bytes)."""
    from devtools.livekit_server import generate_api_secret

    try:
        stored = json.loads(DEV_KEYS_FILE.read_text())
        return stored["api_key"], stored["api_secret"]
    except (OSError, ValueError, KeyError):
        pass
    keys = {"api_key": "devkey", "api_secret": generate_api_secret()}
    DEV_KEYS_FILE.parent.mkdir(parents=True, exist_ok=True)
    DEV_KEYS_FILE.touch(mode=0o600)
    DEV_KEYS_FILE.write_text(json.dumps(keys) + "\n")
    return keys["api_key"], keys["api_secret"]


def livekit_keys() -> tuple[str, str]:
    """The keys from the environment (or .env) when set there, else the generated pair."""
    if settings.LIVEKIT_API_SECRET and settings.LIVEKIT_API_SECRET != (
        settings.DEV_LIVEKIT_API_SECRET
    ):
        return settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET
    return dev_livekit_keys()


def demo_links() -> tuple[str, str]:
    from interviews.links import apply_url, invite_url
    from interviews.models import Position
    from interviews.selectors.candidates import candidate_by_email
    from interviews.services.candidates import candidate_create
    from interviews.services.invites import interview_create

    position = Position.objects.filter(is_active=True).order_by("pk").first()
    if position is None:
        raise RuntimeError("No open position: open one in the admin, then run make dev again.")
    candidate = candidate_by_email(email=DEMO_EMAIL) or candidate_create(
        email=DEMO_EMAIL, name="Demo Candidate", position=position, experience_years=2
    )
    invite = interview_create(position=candidate.position, candidate=candidate)
    if invite.invite_secret is None:  # a personal invite always has one
        raise RuntimeError("The demo interview has no invite link.")
    base = f"http://127.0.0.1:{WEB_PORT}"
    return invite_url(base, invite.invite_secret), apply_url(base, position)


def _shown(path: str | Path) -> str:
    path = Path(path)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def banner(invite: str, open_link: str, *, admin_password: str | None) -> str:
    emails = settings.EMAIL_BACKEND.endswith("filebased.EmailBackend")
    return dev_banner(
        web_port=WEB_PORT,
        invite=invite,
        open_link=open_link,
        interview_ai=settings.INTERVIEW_AI,
        admin_username=ADMIN_USERNAME,
        admin_password=admin_password,
        emails_folder=_shown(settings.EMAIL_FILE_PATH) if emails else None,
        logs=[("Full log", _shown(DEV_LOG)), ("livekit-server log", _shown(LIVEKIT_LOG))],
    )


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiring.settings")
    # A development machine: the settings refuse to start without an explicit DEBUG.
    os.environ.setdefault("DEBUG", "True")
    os.environ.setdefault("LIVEKIT_URL", f"ws://127.0.0.1:{LIVEKIT_PORT}")
    django.setup()
    from devtools.livekit_server import LiveKitServer
    from interviews.services.staff import admin_user_ensure

    for port, variable in ((WEB_PORT, "DEV_WEB_PORT"), (LIVEKIT_PORT, "DEV_LIVEKIT_PORT")):
        if is_listening(port):
            print(f"Port {port} is in use: stop what runs there, or set {variable}.")
            return 1
    # Shown in the banner, at the end of the start-up output where it is read; the log
    # lines above it would scroll it away.
    admin_password = admin_user_ensure(username=ADMIN_USERNAME)
    password_shown = False
    api_key, api_secret = livekit_keys()
    # The web server and the agent read them from the environment they inherit.
    os.environ["LIVEKIT_API_KEY"], os.environ["LIVEKIT_API_SECRET"] = api_key, api_secret

    stopping = threading.Event()
    children: dict[str, subprocess.Popen] = {}

    def stop(*_args: object) -> None:
        if stopping.is_set():  # a second Ctrl-C: no more waiting
            stop_processes(children.values(), timeout=0, group=True, sig=signal.SIGKILL)
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    livekit = LiveKitServer(
        api_key=api_key,
        api_secret=api_secret,
        port=LIVEKIT_PORT,
        webhook_url=f"http://127.0.0.1:{WEB_PORT}/livekit/webhook",
        log_path=LIVEKIT_LOG,
        new_session=True,
    ).start()
    exit_code = 0
    log = open_log(DEV_LOG)
    console = Console(log=log, echo=sys.stderr.buffer)
    try:
        python = sys.executable
        # The web server's stdout holds only runserver's banner; its logs go to stderr.
        children["web"] = subprocess.Popen(
            [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{WEB_PORT}"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        threading.Thread(
            target=console.forward, args=(children["web"].stderr,), daemon=True
        ).start()
        children["agent"] = subprocess.Popen(
            [python, "manage.py", "runagent", "start"]
            + ["--drain-timeout", str(AGENT_DRAIN_SECONDS)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        threading.Thread(
            target=console.forward,
            args=(children["agent"].stdout,),
            kwargs={"ready_line": AGENT_READY_LINE.encode()},
            daemon=True,
        ).start()
        if livekit.process is not None:
            children["livekit-server"] = livekit.process

        if wait_for_port(WEB_PORT, process=children["web"]):
            invite, open_link = demo_links()
            deadline = time.monotonic() + AGENT_READY_TIMEOUT
            while not (console.started.is_set() or stopping.is_set()) and (
                time.monotonic() < deadline
            ):
                if children["agent"].poll() is not None:
                    break
                console.started.wait(0.2)
            console.started.set()  # registered or not, what follows is no longer start-up
            if not stopping.is_set():
                print(banner(invite, open_link, admin_password=admin_password), flush=True)
                password_shown = True
        while not stopping.is_set():
            for name, child in children.items():
                if child.poll() is not None:
                    print(
                        f"\n{name} stopped unexpectedly (exit {child.returncode}).",
                        file=sys.stderr,
                    )
                    exit_code = 1
                    stopping.set()
                    break
            stopping.wait(0.5)
    finally:
        # The agent first (it drains, and needs livekit-server for that), then the web
        # server (which receives livekit-server's last webhooks), then livekit-server.
        # The agent stops its job processes itself; what a killed agent leaves is swept.
        stop_process(children.get("agent"), timeout=AGENT_DRAIN_SECONDS + 15)
        kill_process_group(children.get("agent"))
        stop_process(children.get("web"), timeout=10)
        livekit.stop()
        log.close()
        if admin_password is not None and not password_shown:
            print(
                f"\nThe admin user was created: {ADMIN_USERNAME} / {admin_password} "
                "(shown only now: keep it).",
                flush=True,
            )
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
