"""Email end to end, through a real SMTP server on loopback: the invite command mails the
link and the candidate completes the interview from it; on an open link the one-time code
comes back by email and is typed."""

import asyncio
import re

import pytest
from django.core.management import call_command

from agent_worker import prompts
from interviews.models import Candidate, Interview, Stage
from tests.browser.conftest import chromium
from tests.e2e.smtp import body_of, code_in
from tests.e2e.test_interview import QUESTIONS, answer, join, wait_for_caption
from tests.factories import CandidateFactory, PositionFactory, QuestionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def data_engineer() -> None:
    position = PositionFactory(
        title="Data engineer", slug="data-engineer", technical_questions=1, behavioral_questions=1
    )
    QuestionFactory(position=position, stage=Stage.TECHNICAL, text=QUESTIONS[0][1])
    QuestionFactory(position=position, stage=Stage.BEHAVIORAL, text=QUESTIONS[2][1])
    return position


def test_the_invite_command_mails_a_link_the_candidate_completes_the_interview_from(
    live_server, agent, mail_over_smtp, settings
):
    settings.SITE_URL = live_server.url
    position = data_engineer()
    mailbox = mail_over_smtp.mailbox
    before = len(mailbox.messages())

    call_command(
        "invite",
        "--position=data-engineer",
        "--email=ada.lovelace@example.com",
        "--name=Ada Lovelace",
        "--experience=9",
    )

    message = mailbox.wait_for(to="ada.lovelace@example.com", after=before)
    body = body_of(message)
    assert "Data engineer" in message["Subject"]
    assert "kept for" in body and "accommodation" in body
    link = re.search(r"(http://\S+/interview/\S+/)", body).group(1)
    assert link.startswith(live_server.url)

    async def scenario() -> None:
        async with chromium() as page:
            await join(page, live_server.url, path=link.removeprefix(live_server.url))
            await wait_for_caption(page, QUESTIONS[0][1])
            await answer(page, "Slow query log, then explain.")
            await wait_for_caption(page, QUESTIONS[2][1])
            await answer(page, "We measured both designs.")
            await page.wait_for_selector("#step-done:not([hidden])", timeout=30_000)

    agent.run(scenario())

    interview = Interview.objects.get(position=position)
    assert interview.candidate.email == "ada.lovelace@example.com"
    assert interview.invitation_sent_at is not None
    assert interview.status == Interview.Status.COMPLETED


def test_on_an_open_link_the_code_comes_by_email_and_is_typed_back(
    live_server, agent, mail_over_smtp
):
    position = data_engineer()
    known = CandidateFactory(email="grace.hopper@example.com", name="Grace Hopper")
    mailbox = mail_over_smtp.mailbox

    async def scenario() -> str:
        async with chromium() as page:
            await join(page, live_server.url, path="/apply/data-engineer/")
            await wait_for_caption(page, prompts.STRUCTURED_ASK_EMAIL)
            before = len(mailbox.messages())
            await answer(page, "Grace.Hopper@Example.com")
            await wait_for_caption(page, prompts.CODE_SENT_MESSAGE)
            said_before_the_code = await page.inner_text("#captions")
            message = await asyncio.to_thread(
                mailbox.wait_for, to="grace.hopper@example.com", after=before
            )
            await answer(page, " ".join(code_in(message)))
            await wait_for_caption(page, QUESTIONS[0][1])
            await answer(page, "Slow query log, then explain.")
            await wait_for_caption(page, QUESTIONS[2][1])
            await answer(page, "We measured both designs.")
            await page.wait_for_selector("#step-done:not([hidden])", timeout=30_000)
            return said_before_the_code

    said_before_the_code = agent.run(scenario())

    assert "Grace Hopper" not in said_before_the_code  # the profile's name, before the code
    interview = Interview.objects.get(position=position)
    assert interview.candidate == known
    assert interview.status == Interview.Status.COMPLETED
    assert Candidate.objects.count() == 1
