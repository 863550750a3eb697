"""Nobody waits in silence: a candidate whose room was dispatched while no interviewer
worker was registered (a `runagent` restarting or being deployed) is sent one again, by
the server, while they wait. Against a real livekit-server and, for the whole scenario,
Chromium and a `runagent` that registers late."""

import asyncio
import time

import pytest
from django.test import Client
from livekit import api
from playwright.async_api import expect

from interviews.models import Interview
from tests.browser.conftest import chromium
from tests.e2e.conftest import AgentProcess
from tests.e2e.test_conversation import QUESTIONS, personal_invite
from tests.e2e.test_interview import join, wait_for_caption
from tests.provider_protocol.candidate import Candidate
from tests.provider_protocol.test_interviews_e2e import join_details

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_WORKER = "not dispatching agent job since no worker is available"


def ask(client: Client) -> dict:
    response = client.post("/interview/interviewer", content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


async def dispatches(livekit, room: str) -> list:
    async with api.LiveKitAPI(livekit.url, livekit.api_key, livekit.api_secret) as lk:
        return await lk.agent_dispatch.list_dispatch(room)


async def until(condition, what: str, within: float = 30.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


def test_a_candidate_alone_in_the_room_is_sent_the_interviewer_again_once_per_interval(
    live_server, livekit_settings, settings
):
    # A name no worker is registered under: every dispatch of it finds no worker.
    settings.LIVEKIT_AGENT_NAME = "nobody-registered"
    new = personal_invite()
    browser = Client()

    async def scenario() -> tuple[list, list, list]:
        details = await asyncio.to_thread(join_details, f"/interview/{new.invite_secret}/", browser)
        before = await asyncio.to_thread(ask, browser)
        candidate = Candidate()
        await candidate.join(details["server_url"], details["participant_token"])
        try:
            answers = [await asyncio.to_thread(ask, browser) for _ in range(2)]
            sent = await dispatches(livekit_settings, new.interview.room_name)
        finally:
            await candidate.leave()
        return [before], answers, sent

    (before,), answers, sent = asyncio.run(scenario())

    # Before the candidate is in the room, there is nobody to send an interviewer to.
    assert before == {"interviewer": "not_in_room"}
    # In the room, alone: sent again; asked again at once, it is given time.
    assert answers == [{"interviewer": "sent"}, {"interviewer": "waiting"}]
    # The token's dispatch, and the one sent again, with the same interview.
    assert [d.agent_name for d in sent] == ["nobody-registered"] * 2
    assert len({d.metadata for d in sent}) == 1
    assert str(new.interview.public_id) in sent[0].metadata
    assert Interview.objects.get(pk=new.interview.pk).interviewer_sent_at is not None


def test_a_candidate_who_joined_before_the_worker_registered_is_interviewed(
    live_server, livekit_settings, mail_over_smtp, settings, tmp_path, monkeypatch
):
    """The issue's scenario: the token is issued and the room started while no worker is
    registered; LiveKit drops the room's one dispatch. The worker registers afterwards;
    the page, still waiting, asks the server, which sends the interviewer again."""
    from interviews.services import interviewer_dispatch
    from interviews.web import views

    # The page asks and the server sends again sooner than in production, so the test
    # waits less for the same sequence of events.
    monkeypatch.setattr(views, "ASK_INTERVIEWER_EVERY_SECONDS", 1)
    monkeypatch.setattr(
        interviewer_dispatch, "RESEND_AFTER", interviewer_dispatch.timedelta(seconds=2)
    )
    settings.LIVEKIT_AGENT_NAME = "late-interviewer"
    new = personal_invite()
    worker = AgentProcess(
        livekit_settings,
        tmp_path / "agent.log",
        env=mail_over_smtp.settings_env(),
        agent_name="late-interviewer",
    )
    server_log = livekit_settings.log_path

    async def scenario() -> None:
        async with chromium() as page:
            await join(page, live_server.url, path=f"/interview/{new.invite_secret}/")
            state = page.locator("#agent-state")
            await expect(state).to_have_text("Connecting you to the interviewer…")
            await until(
                lambda: NO_WORKER in server_log.read_text(errors="replace"),
                "LiveKit to drop the room's dispatch",
            )
            worker.start()
            await asyncio.to_thread(worker.wait_registered)
            # Nobody touches the page: it asks, the server sends the interviewer again.
            await wait_for_caption(page, QUESTIONS[0][1])
            await expect(state).not_to_have_text("Connecting you to the interviewer…")
            await expect(page.get_by_role("alert")).to_be_hidden()

    try:
        worker.run(scenario())
    finally:
        worker.stop()
    interview = Interview.objects.get(pk=new.interview.pk)
    assert interview.asked.first().text == QUESTIONS[0][1]
    assert interview.started_at is not None


def test_the_page_says_when_the_interviewer_is_slow_and_keeps_asking(
    live_server, livekit_settings, settings, monkeypatch
):
    """No worker at all: the candidate is told, after a while, what is happening and that
    they may start again; the page keeps asking meanwhile (each ask is one more dispatch
    once the interval has passed)."""
    from interviews.services import interviewer_dispatch
    from interviews.web import views

    settings.LIVEKIT_AGENT_NAME = "nobody-registered"
    monkeypatch.setattr(views, "AGENT_JOIN_TIMEOUT_SECONDS", 2)
    monkeypatch.setattr(views, "ASK_INTERVIEWER_EVERY_SECONDS", 0.5)
    monkeypatch.setattr(interviewer_dispatch, "RESEND_AFTER", interviewer_dispatch.timedelta(0))
    new = personal_invite()

    async def scenario() -> None:
        async with chromium() as page:
            await join(page, live_server.url, path=f"/interview/{new.invite_secret}/")
            await expect(page.locator("#agent-state")).to_have_text(
                "Connecting you to the interviewer…"
            )
            alert = page.get_by_role("alert")
            await expect(alert).to_contain_text("taking longer than usual", timeout=15_000)
            await expect(page.get_by_role("button", name="Try again")).to_be_visible()
            room = new.interview.room_name
            await until_async(lambda: dispatches(livekit_settings, room), at_least=3)

    asyncio.run(scenario())
    # What the candidate agreed to stays: starting again needs no new consent.
    assert Interview.objects.get(pk=new.interview.pk).consent_at is not None


async def until_async(read, *, at_least: int, within: float = 30.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + within
    while len(await read()) < at_least:
        if time.monotonic() > deadline:
            raise AssertionError(f"fewer than {at_least} dispatches")
        await asyncio.sleep(0.2)
