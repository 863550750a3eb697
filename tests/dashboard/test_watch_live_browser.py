"""Watching live against a real livekit-server: a recruiter's page joins the room hidden
and subscribe-only, shows the captions, plays the audio, and the candidate never sees it."""

import asyncio
import math
from array import array

import pytest
from django.contrib.auth.models import User
from livekit import rtc
from playwright.async_api import expect

from devtools.livekit_server import LiveKitServer
from interviews import livekit_tokens
from interviews.services.invites import interview_create
from interviews.services.lifecycle import interview_start
from tests.browser.conftest import chromium
from tests.dashboard.conftest import session_cookie
from tests.factories import PositionFactory

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAMPLE_RATE = 48_000


async def publish_tone(room: rtc.Room) -> tuple[rtc.AudioSource, asyncio.Task]:
    source = rtc.AudioSource(SAMPLE_RATE, 1)
    track = rtc.LocalAudioTrack.create_audio_track("microphone", source)
    options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
    await room.local_participant.publish_track(track, options)

    async def play() -> None:
        samples = SAMPLE_RATE // 100  # 10 ms of a 440 Hz tone
        tone = array(
            "h", (int(8000 * math.sin(2 * math.pi * 440 * i / SAMPLE_RATE)) for i in range(samples))
        )
        while True:
            frame = rtc.AudioFrame(tone.tobytes(), SAMPLE_RATE, 1, samples)
            await source.capture_frame(frame)

    return source, asyncio.create_task(play())


def test_a_recruiter_watches_hidden_and_follows_the_captions(live_server, settings, tmp_path):
    server = LiveKitServer(
        port=0,
        webhook_url=f"{live_server.url}/livekit/webhook",
        log_path=tmp_path / "livekit.log",
    )
    recruiter = User.objects.create_superuser("watcher", password="not-used-0")
    cookie = session_cookie(recruiter).split("=", 1)[1]
    opened = interview_create(position=PositionFactory()).interview
    interview = interview_start(interview=opened, ai_mode="structured")

    async def flow():
        candidate = rtc.Room()
        await candidate.connect(server.url, livekit_tokens.candidate_token(interview))
        _, tone = await publish_tone(candidate)
        try:
            async with chromium() as page:
                await page.context.add_cookies(
                    [{"name": "sessionid", "value": cookie, "url": live_server.url}]
                )
                await page.goto(
                    f"{live_server.url}/admin/interviews/interview/{interview.pk}/watch/"
                )
                await page.wait_for_selector("body[data-ready=true]")
                await page.get_by_role("button", name="Watch and listen").click()
                await expect(page.locator("#watch-state")).to_have_attribute(
                    "data-state", "connected", timeout=15_000
                )
                # The room's audio is subscribed and attached to the page.
                await expect(page.locator("#audio-sink audio")).to_have_count(1, timeout=10_000)

                await candidate.local_participant.send_text(
                    "I would start with the database indexes.", topic="lk.transcription"
                )
                await expect(page.locator("#captions")).to_contain_text(
                    "Candidate: I would start with the database indexes.", timeout=10_000
                )
                # Hidden: the candidate's room never lists the observer.
                await asyncio.sleep(0.5)
                assert not any(
                    identity.startswith("observer-") for identity in candidate.remote_participants
                )
                await page.get_by_role("button", name="Stop").click()
                await expect(page.locator("#watch-state")).to_have_text("Stopped watching.")
        finally:
            tone.cancel()
            await candidate.disconnect()

    with server:
        settings.LIVEKIT_PUBLIC_URL = server.url
        settings.LIVEKIT_API_KEY = server.api_key
        settings.LIVEKIT_API_SECRET = server.api_secret
        asyncio.run(flow())
