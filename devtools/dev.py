"""`make dev`: the whole product on one machine, supervised.

Starts livekit-server (webhook pointed at us), the web server and the interviewer agent;
prints the admin address, a personal invite link and an open position link. Ctrl-C stops
everything; a child that dies is reported and takes the others down with it, so nothing
runs half-broken without anyone noticing.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
WEB_PORT = int(os.environ.get("DEV_WEB_PORT", "8000"))
LIVEKIT_PORT = int(os.environ.get("DEV_LIVEKIT_PORT", "7880"))
DEMO_EMAIL = "demo.candidate@example.com"


def wait_for_port(port: int, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def demo_links() -> tuple[str, str]:
    from interviews import selectors, services
    from interviews.models import Position

    position = Position.objects.filter(is_active=True).order_by("pk").first()
    candidate = selectors.candidate_by_email(email=DEMO_EMAIL) or services.candidate_create(
        email=DEMO_EMAIL, name="Demo Candidate", position=position, experience_years=2
    )
    invite = services.interview_create(position=candidate.position, candidate=candidate)
    base = f"http://127.0.0.1:{WEB_PORT}"
    return f"{base}/interview/{invite.invite_secret}/", f"{base}/apply/{position.slug}/"


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiring.settings")
    os.environ.setdefault("LIVEKIT_URL", f"ws://127.0.0.1:{LIVEKIT_PORT}")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from devtools.livekit_server import LiveKitServer

    call_command("ensure_admin")
    livekit = LiveKitServer(
        api_key=settings.LIVEKIT_API_KEY,
        api_secret=settings.LIVEKIT_API_SECRET,
        port=LIVEKIT_PORT,
        webhook_url=f"http://127.0.0.1:{WEB_PORT}/livekit/webhook",
        log_path=ROOT / ".tools" / "livekit-server.log",
    ).start()
    python = sys.executable
    children: dict[str, subprocess.Popen] = {"livekit-server": livekit.process}
    children["web"] = subprocess.Popen(
        [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{WEB_PORT}"], cwd=ROOT
    )
    children["agent"] = subprocess.Popen([python, "manage.py", "runagent", "start"], cwd=ROOT)

    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    exit_code = 0
    if wait_for_port(WEB_PORT):
        invite, open_link = demo_links()
        print(
            "\n"
            f"  Back office (admin): http://127.0.0.1:{WEB_PORT}/admin/\n"
            f"  A personal invite:   {invite}\n"
            f"  An open position:    {open_link}\n"
            f"  Interviewer mode:    {settings.INTERVIEW_AI}\n"
            "  Ctrl-C stops everything.\n",
            flush=True,
        )
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                print(f"\n{name} stopped unexpectedly (exit {child.returncode}).", file=sys.stderr)
                exit_code = 1
                stopping = True
                break
        time.sleep(0.5)

    for name, child in children.items():
        if name != "livekit-server" and child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for name, child in children.items():
        if name != "livekit-server":
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
    livekit.stop()
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
