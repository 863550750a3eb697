"""Issue 21 end to end (livekit-server, `runagent`, Chromium, the code through a real SMTP
server on loopback): an open-link candidate who asks to wait, does not understand the
question, thinks aloud (at the last question too) and goes back before answering, and
gives a name and an experience in ordinary phrasing. Every answer ends under its own
question, and nothing else is filed as an answer."""

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
    (Stage.BEHAVIORAL, "Tell me about a time you disagreed with a teammate."),
]
FIRST_TRY = "I would restart the database server."
ANSWERS = [
    "I'd start with the slow query log, then run EXPLAIN on the worst offenders.",
    "We disagreed about a rewrite, so we wrote both plans down and chose a gradual one.",
]
DOG = "Hold on, my dog is barking, one second."
LOST = "I'm sorry, I don't understand the question."
THINKING = "hmm, let me think for a second"
GO_BACK = "wait, that wasn't my answer, can I go back?"


def platform_engineer():
    position = PositionFactory(
        title="Platform engineer",
        slug="platform-engineer",
        technical_questions=1,
        behavioral_questions=1,
    )
    for order, (stage, text) in enumerate(QUESTIONS):
        QuestionFactory(position=position, stage=stage, text=text, order=order)
    return position


def test_requests_are_never_filed_and_every_answer_lands_under_its_question(
    live_server, agent, mail_over_smtp
):
    position = platform_engineer()
    mailbox = mail_over_smtp.mailbox
    first, second = (text for _stage, text in QUESTIONS)

    async def scenario() -> None:
        async with chromium() as page:
            await join(page, live_server.url, path="/apply/platform-engineer/")
            await wait_for_caption(page, prompts.STRUCTURED_ASK_EMAIL)
            before = len(mailbox.messages())
            await answer(page, "hi, it's may.chen@example.com")
            await wait_for_caption(page, prompts.CODE_SENT_MESSAGE)
            message = await asyncio.to_thread(
                mailbox.wait_for, to="may.chen@example.com", after=before
            )
            await answer(page, code_in(message))
            await wait_for_caption(page, prompts.STRUCTURED_ASK_NAME)
            await answer(page, "May Chen")
            await wait_for_caption(page, prompts.STRUCTURED_ASK_EXPERIENCE)
            await answer(page, "about eighteen months, mostly internships")
            await wait_for_caption(page, first)

            await answer(page, DOG)
            await wait_for_caption(page, prompts.STRUCTURED_TAKE_YOUR_TIME)
            await answer(page, LOST)
            await wait_for_caption(page, first, times=2)
            await answer(page, THINKING)
            await wait_for_caption(page, prompts.STRUCTURED_TAKE_YOUR_TIME, times=2)
            await answer(page, FIRST_TRY)
            await wait_for_caption(page, second)

            await answer(page, GO_BACK)
            await wait_for_caption(page, prompts.STRUCTURED_GOING_BACK)
            await answer(page, ANSWERS[0])
            await wait_for_caption(page, second, times=2)
            await answer(page, THINKING)
            await wait_for_caption(page, prompts.STRUCTURED_TAKE_YOUR_TIME, times=3)
            await answer(page, ANSWERS[1])
            await wait_for_caption(page, prompts.STRUCTURED_ANYTHING_ELSE)
            await answer(page, "no, that's all, thank you")
            await page.wait_for_selector("#step-done:not([hidden])", timeout=30_000)
            captions = await page.inner_text("#captions")
            assert "Mostly Internships" not in captions

    agent.run(scenario())

    may = Candidate.objects.get()
    assert (may.name, may.email, may.experience_years) == ("May Chen", "may.chen@example.com", 2)
    interview = Interview.objects.get(position=position)
    assert interview.status == Interview.Status.COMPLETED
    asked = list(interview.asked.filter(follow_up_to__isnull=True).order_by("sequence"))
    assert [(q.text, q.answer, q.is_skipped) for q in asked] == [
        (first, ANSWERS[0], False),
        (second, ANSWERS[1], False),
    ]
    candidate_lines = [s.text for s in interview.transcript.filter(speaker="candidate")]
    for said in (DOG, LOST, THINKING, GO_BACK, FIRST_TRY):
        assert said in candidate_lines  # in the transcript, never filed as an answer
        assert not any(said in q.answer for q in asked)
