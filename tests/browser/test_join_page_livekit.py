"""The join page against a real livekit-server (no interviewer agent running): it connects,
publishes the microphone, LiveKit's signed webhooks move the interview, and a candidate
whose interviewer never arrives is told so."""

import asyncio

import pytest
from playwright.async_api import expect

from devtools.livekit_server import LiveKitServer
from interviews.models import Interview, RoomEvent
from interviews.services.consent import interview_record_consent
from interviews.services.invites import interview_create
from interviews.web import views as web_views
from tests.browser.conftest import capture, chromium, db
from tests.factories import CandidateFactory, PositionFactory

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


async def status_becomes(interview: Interview, status: str) -> str:
    """The interview status once it is `status`, or after 10 s whatever it is then."""
    current = ""
    for _ in range(40):
        current = (await db(Interview.objects.get, pk=interview.pk)).status
        if current == status:
            break
        await asyncio.sleep(0.25)
    return current


def events_of(interview: Interview) -> set[tuple[str, str]]:
    return set(
        RoomEvent.objects.filter(room_name=interview.room_name).values_list("event", "outcome")
    )


def test_a_candidate_joins_a_real_room_and_is_told_when_no_interviewer_comes(
    live_server, settings, monkeypatch, tmp_path
):
    monkeypatch.setattr(web_views, "AGENT_JOIN_TIMEOUT_SECONDS", 3)
    server = LiveKitServer(
        port=0,
        webhook_url=f"{live_server.url}/livekit/webhook",
        log_path=tmp_path / "livekit.log",
    )
    position = PositionFactory(title="Site reliability engineer", slug="sre-browser")
    invited = interview_create(position=position, candidate=CandidateFactory(position=position))
    interview_record_consent(interview=invited.interview)

    async def flow():
        async with chromium() as page:
            await page.goto(f"{live_server.url}/interview/{invited.invite_secret}/")
            await page.get_by_role("button", name="Start the interview").click()

            await expect(page.locator("#connection-state")).to_have_text(
                "Connected", timeout=15_000
            )
            assert await status_becomes(invited.interview, "in_progress") == "in_progress"
            alert = page.get_by_role("alert")
            await expect(alert).to_contain_text("taking longer than usual", timeout=10_000)
            await capture(page, "10-interviewer-did-not-join")

            # Typing works over the room's chat topic, from the keyboard.
            await page.get_by_label("Type a message or an answer").fill("Hello, I am here.")
            await page.keyboard.press("Enter")
            await expect(page.get_by_role("log")).to_contain_text("You (typed): Hello, I am here.")
            await expect(page.get_by_label("Type a message or an answer")).to_have_value("")

            await page.get_by_role("button", name="End the interview").click()
            await page.get_by_role("button", name="Yes, end the interview").click()
            await expect(page.get_by_text("You ended the interview.")).to_be_visible()
            assert await status_becomes(invited.interview, "interrupted") == "interrupted"

    with server:
        settings.LIVEKIT_PUBLIC_URL = server.url
        settings.LIVEKIT_API_KEY = server.api_key
        settings.LIVEKIT_API_SECRET = server.api_secret
        asyncio.run(flow())

    events = events_of(invited.interview)
    assert ("participant_joined", "applied") in events
    assert ("track_published", "ignored") in events  # the microphone went out
    assert ("participant_left", "applied") in events
