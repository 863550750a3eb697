import asyncio
from datetime import timedelta

import pytest
from django.utils import timezone
from livekit import api
from playwright.async_api import expect

from interviews.models import Interview
from interviews.services.consent import interview_record_consent
from interviews.services.invites import NewInterview, interview_create
from tests.browser.conftest import capture, chromium, db
from tests.factories import CandidateFactory, PositionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

API_KEY = "browser-test-key"
API_SECRET = "browser-test-secret-long-enough-for-hs256"


@pytest.fixture
def livekit(settings):
    settings.LIVEKIT_API_KEY = API_KEY
    settings.LIVEKIT_API_SECRET = API_SECRET
    settings.INTERVIEW_AI = "structured"
    return settings


@pytest.fixture
def invited(transactional_db) -> NewInterview:
    position = PositionFactory(
        title="Backend engineer",
        slug="backend-engineer-browser",
        technical_questions=3,
        behavioral_questions=2,
    )
    candidate = CandidateFactory(name="Ada Example", position=position)
    return interview_create(position=position, candidate=candidate)


async def open_invite(page, live_server, invited: NewInterview) -> None:
    response = await page.goto(f"{live_server.url}/interview/{invited.invite_secret}/")
    assert response.status == 200
    assert page.url == f"{live_server.url}/interview/"  # the secret left the address bar
    await page.wait_for_selector("body[data-ready=true]")


def reload(interview: Interview) -> Interview:
    return Interview.objects.get(pk=interview.pk)


def test_consent_microphone_check_start_and_end(live_server, invited, livekit, silent_server):
    livekit.LIVEKIT_PUBLIC_URL = f"ws://127.0.0.1:{silent_server}"

    async def flow():
        async with chromium() as page:
            await open_invite(page, live_server, invited)
            heading = page.get_by_role("heading", name="Your interview for Backend engineer")
            await expect(heading).to_be_visible()
            await expect(page.get_by_text("It is not an AI", exact=False)).to_be_visible()
            await capture(page, "01-consent")

            # Agreeing needs the box ticked, and it all works from the keyboard.
            await page.get_by_role("button", name="Agree and continue").focus()
            await page.keyboard.press("Enter")
            await expect(page.get_by_text("Tick the box to agree")).to_be_visible()
            assert (await db(reload, invited.interview)).consent_at is None
            await page.get_by_label("I understand the above").focus()
            await page.keyboard.press("Space")
            await page.keyboard.press("Tab")
            await page.keyboard.press("Enter")

            check = page.get_by_role("heading", name="Check your microphone")
            await expect(check).to_be_visible()
            assert (await db(reload, invited.interview)).consent_at is not None
            # The fake microphone plays a tone: the level meter moves.
            await page.wait_for_function(
                "() => document.getElementById('mic-level').value > 0.01", timeout=8_000
            )
            await expect(page.get_by_text("We can hear you.")).to_be_visible()
            await expect(page.get_by_label("Microphone", exact=True)).to_be_enabled()
            assert await page.locator("#mic-select option").count() >= 1
            await capture(page, "02-microphone-check")

            async with page.expect_response("**/interview/token") as token_response:
                await page.get_by_role("button", name="Start the interview").click()
            response = await token_response.value
            assert response.status == 201
            body = await response.json()
            assert body["server_url"] == f"ws://127.0.0.1:{silent_server}"
            claims = api.TokenVerifier(API_KEY, API_SECRET).verify(body["participant_token"])
            assert claims.video.room == invited.interview.room_name
            assert claims.identity == f"candidate-{invited.interview.public_id}"

            await expect(page.locator("#connection-state")).to_have_text("Connecting…")
            await expect(page.locator("#agent-state")).to_have_text("Not here yet")
            await expect(page.get_by_role("log")).to_be_visible()
            await expect(page.get_by_label("Type a message or an answer")).to_be_visible()
            await capture(page, "03-connecting")

            # Ending asks for confirmation first; Escape keeps the interview going.
            await page.get_by_role("button", name="End the interview").click()
            await expect(page.get_by_role("dialog", name="End the interview now?")).to_be_visible()
            await capture(page, "04-end-confirmation")
            await page.keyboard.press("Escape")
            await expect(page.get_by_role("dialog")).to_be_hidden()
            await page.get_by_role("button", name="End the interview").click()
            await page.get_by_role("button", name="Yes, end the interview").click()
            done = page.get_by_role("heading", name="Thank you, the interview has ended")
            await expect(done).to_be_visible()
            await expect(page.get_by_text("You ended the interview.")).to_be_visible()
            await capture(page, "05-ended")

    asyncio.run(flow())


def test_an_unreachable_server_gets_a_clear_message_and_a_retry(
    live_server, invited, livekit, closed_port
):
    livekit.LIVEKIT_PUBLIC_URL = f"ws://127.0.0.1:{closed_port}"
    interview_record_consent(interview=invited.interview)
    token_requests: list[str] = []

    async def flow():
        async with chromium() as page:
            page.on(
                "request",
                lambda r: token_requests.append(r.url) if "/interview/token" in r.url else None,
            )
            await open_invite(page, live_server, invited)
            await expect(page.get_by_role("heading", name="Check your microphone")).to_be_visible()

            await page.get_by_role("button", name="Start the interview").click()

            alert = page.get_by_role("alert")
            message = "We could not reach the interview server"
            await expect(alert).to_contain_text(message, timeout=20_000)
            await expect(page.get_by_role("button", name="Try again")).to_be_focused()
            await capture(page, "06-server-unreachable")
            assert len(token_requests) == 1

            # Trying again asks for a new token and connects again (its "Connecting…" may
            # last a moment only: the port refuses at once), and is told the same.
            async with page.expect_request("**/interview/token"):
                await page.keyboard.press("Enter")
            await expect(alert).to_contain_text(message, timeout=20_000)
            await expect(page.locator("#connection-state")).to_have_text("Disconnected")
            assert len(token_requests) == 2

    asyncio.run(flow())
    assert reload(invited.interview).status == Interview.Status.INVITED


def test_a_denied_microphone_offers_typing(live_server, invited, livekit):
    async def flow():
        async with chromium(microphone=False) as page:
            await open_invite(page, live_server, invited)
            await page.get_by_label("I understand the above").check()
            await page.get_by_role("button", name="Agree and continue").click()

            await expect(page.get_by_text("Microphone access was not allowed")).to_be_visible()
            typing = page.get_by_text("You can still take the interview by typing")
            await expect(typing).to_be_visible()
            start = page.get_by_role("button", name="Start the interview by typing")
            await expect(start).to_be_enabled()
            await capture(page, "07-microphone-denied")

    asyncio.run(flow())
    assert reload(invited.interview).consent_at is not None


def test_an_accommodation_request_is_sent_from_the_page(live_server, invited, livekit):
    async def flow():
        async with chromium() as page:
            await open_invite(page, live_server, invited)

            await page.get_by_text("Request an alternative or an accommodation").click()
            await page.get_by_label("What would help? (optional)").fill("Extra time, please.")
            await page.get_by_role("button", name="Send the request").click()

            sent = page.get_by_text("A recruiter will follow up with you. You may still")
            await expect(sent).to_be_visible()
            await capture(page, "08-accommodation-requested")

    asyncio.run(flow())
    interview = reload(invited.interview)
    assert interview.accommodation_requested_at is not None
    assert interview.accommodation_note == "Extra time, please."
    assert interview.consent_at is None


def test_an_expired_link_shows_the_410_page(live_server, invited, livekit):
    Interview.objects.filter(pk=invited.interview.pk).update(
        invite_expires_at=timezone.now() - timedelta(minutes=1)
    )

    async def flow():
        async with chromium() as page:
            response = await page.goto(f"{live_server.url}/interview/{invited.invite_secret}/")

            assert response.status == 410
            heading = page.get_by_role("heading", name="This interview link has expired")
            await expect(heading).to_be_visible()
            await capture(page, "09-link-expired")

    asyncio.run(flow())
    assert reload(invited.interview).status == Interview.Status.INVITED


def test_an_open_position_link_leads_to_the_join_page_once(live_server, livekit):
    PositionFactory(title="Data engineer", slug="data-engineer-browser")

    async def flow():
        async with chromium() as page:
            await page.goto(f"{live_server.url}/apply/data-engineer-browser/")
            await page.goto(f"{live_server.url}/apply/data-engineer-browser/")

            assert page.url == f"{live_server.url}/interview/"
            heading = page.get_by_role("heading", name="Your interview for Data engineer")
            await expect(heading).to_be_visible()
            await expect(page.get_by_text("It will first ask for your email")).to_be_visible()
            # Opening the link wrote nothing; agreeing starts the interview.
            assert await db(open_interviews) == 0
            await page.get_by_label("I understand the above").check()
            await page.get_by_role("button", name="Agree and continue").click()
            await expect(page.get_by_role("heading", name="Check your microphone")).to_be_visible()

    asyncio.run(flow())
    assert open_interviews() == 1


def open_interviews() -> int:
    return Interview.objects.filter(position__slug="data-engineer-browser").count()
