"""Every interviewer busy: the next candidate waits in line, told their place on the page,
and is interviewed when a slot frees. A real livekit-server, a `runagent` that holds one
interview at a time (AGENT_MAX_INTERVIEWS=1) and reports it, a candidate through the
LiveKit SDK, the next one in Chromium."""

import asyncio

import pytest
from playwright.async_api import expect

from interviews.models import Interview, InterviewerWorker
from tests.browser.conftest import chromium
from tests.e2e.conftest import AgentProcess
from tests.e2e.test_conversation import personal_invite
from tests.e2e.test_interview import join, wait_for_caption
from tests.e2e.test_rolling_restart import PLAN, answer_the_rest
from tests.provider_protocol.candidate import Candidate
from tests.provider_protocol.test_interviews_e2e import join_details

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def reported_capacity() -> list[tuple[int, int]]:
    """What the workers of this test's agent name report (the suite's shared worker,
    under another name, reports too)."""
    workers = InterviewerWorker.objects.filter(agent_name="one-at-a-time")
    return list(workers.values_list("capacity", "in_use"))


async def until_reported(expected: list[tuple[int, int]], what: str) -> None:
    deadline = asyncio.get_running_loop().time() + 60
    while await asyncio.to_thread(reported_capacity) != expected:
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)


def test_the_next_candidate_waits_in_line_and_is_interviewed_when_a_slot_frees(
    live_server, livekit_settings, mail_over_smtp, settings, tmp_path
):
    settings.LIVEKIT_AGENT_NAME = "one-at-a-time"
    worker = AgentProcess(
        livekit_settings,
        tmp_path / "agent.log",
        env={**mail_over_smtp.settings_env(), "AGENT_MAX_INTERVIEWS": "1"},
        agent_name="one-at-a-time",
    )
    first, second = personal_invite(PLAN), personal_invite(PLAN)

    async def scenario() -> None:
        await until_reported([(1, 0)], "the worker to report")
        candidate = Candidate()
        try:
            details = await asyncio.to_thread(join_details, f"/interview/{first.invite_secret}/")
            assert details["queue"] is None
            await candidate.join(
                details["server_url"], details["participant_token"], microphone=False
            )
            await candidate.sees(PLAN[0][1])
            await until_reported([(1, 1)], "the slot to be in use")

            async with chromium() as page:
                await join(page, live_server.url, path=f"/interview/{second.invite_secret}/")
                state = page.locator("#agent-state")
                await expect(state).to_have_attribute("data-state", "queued")
                await expect(state).to_contain_text("You are number 1 in line")
                waiting = await asyncio.to_thread(Interview.objects.get, pk=second.interview.pk)
                assert waiting.queued_at is not None

                await answer_the_rest(candidate, from_question=0)
                # The slot frees when the first interview ends: the page, still asking,
                # is admitted and the interviewer is sent to it.
                await wait_for_caption(page, PLAN[0][1])
                await expect(state).not_to_have_attribute("data-state", "queued")
                await expect(page.get_by_role("alert")).to_be_hidden()
        finally:
            await candidate.leave()

    worker.start().wait_registered()
    try:
        worker.run(scenario())
    finally:
        worker.stop()

    assert Interview.objects.get(pk=first.interview.pk).status == Interview.Status.COMPLETED
    waited = Interview.objects.get(pk=second.interview.pk)
    assert waited.asked.first().text == PLAN[0][1]
    assert waited.queued_at is None and waited.admitted_at is not None
