"""A whole open-link interview in Chromium, typed the way people write (livekit-server,
`runagent`, the web app, the one-time code through a real SMTP server on loopback)."""

import asyncio

import pytest

from agent_worker import prompts
from interviews.models import Candidate, Interview, Stage
from tests.browser.conftest import chromium
from tests.e2e.smtp import code_in
from tests.e2e.test_interview import answer, join, wait_for_caption
from tests.factories import PositionFactory, QuestionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUESTIONS = [
    (Stage.TECHNICAL, "How would you find a slow database query in production?"),
    (Stage.TECHNICAL, "When would you choose a queue over a direct call between services?"),
    (Stage.BEHAVIORAL, "Tell me about a time you disagreed with a teammate."),
]
ANSWERS = [
    "I'd start with the slow query log, then run EXPLAIN on the worst offenders "
    "and check whether they're missing an index.",
    "Honestly, whenever the caller doesn't need the result right away, or the work has "
    "to survive a crash, I'd put it on a queue.",
    "A teammate wanted to rewrite our billing service from scratch; I thought it was too "
    "risky, so we wrote both plans down, measured them and agreed on a gradual migration.",
]
REPEAT_REQUEST = "sorry, could you repeat the question?"


def data_engineer():
    position = PositionFactory(
        title="Data engineer", slug="data-engineer", technical_questions=2, behavioral_questions=1
    )
    for order, (stage, text) in enumerate(QUESTIONS):
        QuestionFactory(position=position, stage=stage, text=text, order=order)
    return position


def test_a_whole_open_link_interview_typed_in_natural_sentences(live_server, agent, mail_over_smtp):
    position = data_engineer()
    mailbox = mail_over_smtp.mailbox

    async def scenario() -> None:
        async with chromium() as page:
            await join(page, live_server.url, path="/apply/data-engineer/")
            await wait_for_caption(page, prompts.STRUCTURED_ASK_EMAIL)
            # Introduced first: the name is kept, and the address is asked again.
            await answer(page, "Hi! I'm Grace Hopper.")
            await wait_for_caption(page, prompts.STRUCTURED_ASK_EMAIL, times=2)
            before = len(mailbox.messages())
            await answer(page, "sure, it's grace.hopper@example.com")
            await wait_for_caption(page, prompts.CODE_SENT_MESSAGE)
            message = await asyncio.to_thread(
                mailbox.wait_for, to="grace.hopper@example.com", after=before
            )
            code = code_in(message)
            await answer(page, f"oh sorry, the code is {code[:3]} {code[3:]}")
            # The name was given and the link says the position: only experience is asked.
            await wait_for_caption(page, prompts.STRUCTURED_ASK_EXPERIENCE)
            await answer(page, "I've been doing this for about seven years")
            await wait_for_caption(page, QUESTIONS[0][1])
            await answer(page, ANSWERS[0])
            await wait_for_caption(page, QUESTIONS[1][1])
            await answer(page, REPEAT_REQUEST)
            await wait_for_caption(page, QUESTIONS[1][1], times=2)
            await answer(page, ANSWERS[1])
            await wait_for_caption(page, QUESTIONS[2][1])
            await answer(page, ANSWERS[2])
            await page.wait_for_selector("#step-done:not([hidden])", timeout=30_000)
            captions = await page.inner_text("#captions")
            assert prompts.STRUCTURED_ASK_NAME not in captions
            assert prompts.STRUCTURED_ASK_NAME_AGAIN not in captions

    agent.run(scenario())

    grace = Candidate.objects.get()
    assert (grace.name, grace.email, grace.experience_years, grace.position) == (
        "Grace Hopper",
        "grace.hopper@example.com",
        7,
        position,
    )
    interview = Interview.objects.get(position=position)
    assert interview.candidate == grace
    assert interview.status == Interview.Status.COMPLETED
    asked = list(interview.asked.filter(follow_up_to__isnull=True).order_by("sequence"))
    assert [q.text for q in asked] == [text for _stage, text in QUESTIONS]
    assert [q.answer for q in asked] == ANSWERS
    assert not any(q.is_skipped for q in asked)
    candidate_lines = [s.text for s in interview.transcript.filter(speaker="candidate")]
    # Said, kept in the transcript, and never filed as an answer.
    assert REPEAT_REQUEST in candidate_lines
    assert not any("repeat" in q.answer for q in asked)
