"""The dashboard in Chromium, served by `manage.py runserver` (Daphne) with the in-memory
layer: a signed LiveKit webhook changes an interview in the server process and the open
page shows it within 2 seconds, without a reload."""

import asyncio
import base64
import hashlib
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import timedelta

import pytest
from google.protobuf.json_format import MessageToJson
from livekit import api
from livekit.protocol.models import ParticipantInfo, Room
from livekit.protocol.webhook import WebhookEvent
from playwright.async_api import expect

from interviews.models import Interview
from interviews.services.interview_queue import worker_report
from tests.browser.conftest import ROOT, chromium
from tests.dashboard.conftest import LIVEKIT_KEY, LIVEKIT_SECRET, session_cookie
from tests.dashboard.redis_process import free_port
from tests.e2e.conftest import database_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def web_server(recruiter, invited, tmp_path) -> Iterator[str]:
    """`manage.py runserver` (Daphne: HTTP and websockets) on the test database, with the
    in-memory channel layer, as on one machine. Its fallback poll is pushed far away, so
    only the websocket can bring a change within the test's 2 seconds."""
    port = free_port()
    env = {
        **os.environ,
        "ENV_FILE": os.devnull,
        "DEBUG": "True",
        "DATABASE_URL": database_url(),
        "REDIS_URL": "",
        "LIVEKIT_API_KEY": LIVEKIT_KEY,
        "LIVEKIT_API_SECRET": LIVEKIT_SECRET,
        "DASHBOARD_POLL_SECONDS": "600",
    }
    log = tmp_path / "web.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base_url}/admin/login/", timeout=1):  # noqa: S310
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"runserver did not start:\n{log.read_text()}") from None
                time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def participant_joined(interview: Interview) -> tuple[bytes, str]:
    event = WebhookEvent(
        event="participant_joined",
        id=f"EV_{interview.public_id.hex[:12]}",
        created_at=int(time.time()),
        room=Room(name=interview.room_name, sid="RM_x"),
    )
    event.participant.CopyFrom(ParticipantInfo(identity=interview.participant_identity, sid="PA_x"))
    body = MessageToJson(event)
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    signed = (
        api.AccessToken(LIVEKIT_KEY, LIVEKIT_SECRET)
        .with_sha256(digest)
        .with_ttl(timedelta(minutes=5))
        .to_jwt()
    )
    return body.encode(), signed


def deliver_webhook(base_url: str, interview: Interview) -> int:
    body, signed = participant_joined(interview)
    request = urllib.request.Request(  # noqa: S310 - our own loopback server
        f"{base_url}/livekit/webhook",
        data=body,
        headers={"Authorization": signed, "Content-Type": "application/webhook+json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status


async def our_accessibility_violations(page) -> list[str]:
    """axe-core's serious and critical findings in the dashboard itself (the admin's own
    breadcrumbs are Django's)."""
    results = await page.evaluate(
        "() => axe.run('#dashboard', {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help})))"
    )
    return [f"{v['id']}: {v['help']}" for v in results if v["impact"] in ("serious", "critical")]


def test_a_status_change_appears_on_the_open_dashboard_within_two_seconds(
    web_server, recruiter, invited
):
    cookie = session_cookie(recruiter).split("=", 1)[1]
    row = f'tr[data-id="{invited.public_id}"]'
    worker_report(worker_id="worker-1", capacity=8, in_use=3, draining=False)

    async def flow():
        async with chromium() as page:
            await page.context.add_cookies(
                [{"name": "sessionid", "value": cookie, "url": web_server}]
            )
            response = await page.goto(f"{web_server}/admin/interviews/interview/dashboard/")
            assert response.status == 200
            await page.wait_for_selector("body[data-ready=true]")
            await expect(page.locator("#live-state")).to_have_attribute("data-state", "live")
            await expect(page.locator(f"#waiting {row} td.status")).to_have_text("Invited")
            await expect(page.locator("#in-progress-count")).to_have_text("0")
            # What the interviewer workers can take and hold.
            await expect(page.locator("#interviewers-capacity")).to_have_text("8")
            await expect(page.locator("#interviewers-in-use")).to_have_text("3")
            await expect(page.locator("#interviewers-workers")).to_have_text("1")
            assert await our_accessibility_violations(page) == []
            await page.evaluate("() => { window.notReloaded = true; }")

            status = await asyncio.to_thread(deliver_webhook, web_server, invited)
            assert status == 200
            changed = page.locator(f"#in-progress {row} td.status")
            await expect(changed).to_have_text("In progress", timeout=2_000)
            await expect(page.locator("#in-progress-count")).to_have_text("1", timeout=2_000)
            await expect(page.locator(f"#in-progress {row}")).to_contain_text("Watch live")
            assert await page.evaluate("() => window.notReloaded === true")

    asyncio.run(flow())
    assert Interview.objects.get(pk=invited.pk).status == Interview.Status.IN_PROGRESS
