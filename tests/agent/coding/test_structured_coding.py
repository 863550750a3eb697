"""The structured interviewer through a coding exercise: a real AgentSession with the
Interviewer's tools and the database, the runs told by the job's coding news as the room's
data packets would."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from livekit.agents import AgentSession, llm

from agent_worker import prompts
from agent_worker.interviewer import Interviewer
from agent_worker.session.coding_news import CodingNews
from agent_worker.structured.interviewer import StructuredInterviewer
from interviews.models import CodeRun, CodingHint, Interview, InterviewQuestion, Stage
from tests.agent.coding.conftest import BEHAVIORAL, HINTS, STATEMENT, TECHNICAL, record_run, work_of
from tests.agent.conftest import interviewer_session

pytestmark = pytest.mark.django_db

EXPLANATION = (
    "I count every character in a dictionary, then walk the string again and return the "
    "first one counted once. Linear time, and space for the alphabet."
)


def said(agent: Interviewer) -> list[str]:
    return [
        item.text_content or ""
        for item in agent.chat_ctx.items
        if isinstance(item, llm.ChatMessage) and item.role == "assistant"
    ]


def coding_question(interview: Interview) -> InterviewQuestion:
    return interview.asked.get(stage=Stage.CODING)


def hints_given(interview: Interview) -> list[tuple[int, str]]:
    return list(
        CodingHint.objects.filter(work__asked__interview=interview).values_list("level", "text")
    )


@asynccontextmanager
async def at_the_exercise(
    interview: Interview,
) -> AsyncIterator[tuple[AgentSession, Interviewer, CodingNews]]:
    """A structured session past the technical question: the exercise is asked."""
    async with interviewer_session(interview, StructuredInterviewer()) as (session, agent):
        news = CodingNews(session=session, agent=agent, interview_pk=interview.pk)
        news.attach(None)
        assert said(agent)[-1].endswith(f"Question 1. {TECHNICAL}")
        await session.run(user_input="Buckets, and the key's hash picks one.")
        try:
            yield session, agent, news
        finally:
            await news.aclose()


async def told(news: CodingNews, run: CodeRun) -> None:
    """The job tells the interviewer about `run`; returns once any reply is said."""
    await news.tell(run.pk)
    if news.last_reply is not None:
        await news.last_reply


def test_a_coding_question_from_its_introduction_to_the_recorded_explanation(coding_interview):
    seen: dict[str, object] = {}

    async def scenario() -> None:
        async with at_the_exercise(coding_interview) as (session, agent, news):
            seen["intro"] = said(agent)[-1]
            await session.run(user_input="Can I get a hint?")
            seen["hint"] = said(agent)[-1]
            await session.run(user_input="OK so I'll count the characters with a dictionary")
            seen["thinking"] = said(agent)[-1]
            asked = await sync_to_async(coding_question)(coding_interview)
            seen["answer while coding"] = (asked.answer, asked.answered_at)
            work = await sync_to_async(work_of)(coding_interview)
            submission = await sync_to_async(record_run)(
                work,
                kind=CodeRun.Kind.SUBMIT,
                outcome=CodeRun.Outcome.FAILED,
                visible=(1, 1),
                hidden=(0, 1),
            )
            await told(news, submission)
            seen["after submission"] = said(agent)[-1]
            await session.run(user_input=EXPLANATION)
            seen["next"] = said(agent)[-1]

    async_to_sync(scenario)()

    assert str(seen["intro"]).endswith(f"{prompts.STRUCTURED_CODING_INTRO} Question 2. {STATEMENT}")
    assert seen["hint"] == f"Here is a hint: {HINTS[0]}"
    assert hints_given(coding_interview) == [(1, HINTS[0])]
    # Thinking aloud while coding is acknowledged, never filed as the answer.
    assert seen["thinking"] == prompts.STRUCTURED_CODING_GO_ON
    assert seen["answer while coding"] == ("", None)
    assert seen["after submission"] == " ".join(
        [
            prompts.STRUCTURED_CODING_SUBMITTED,
            "The server's tests: 1 of 2 passed.",
            prompts.STRUCTURED_CODING_WALK_THROUGH,
        ]
    )
    asked = coding_question(coding_interview)
    assert asked.answer == EXPLANATION
    assert asked.answered_at is not None
    assert str(seen["next"]).endswith(f"Question 3. {BEHAVIORAL}")


def test_the_task_is_repeated_and_nothing_said_while_coding_is_recorded(coding_interview):
    replies: list[str] = []

    async def scenario() -> None:
        async with at_the_exercise(coding_interview) as (session, agent, _news):
            for text in (
                "Sorry, can you repeat the task?",
                "I'm done, that's my answer",
                "hmm let me think",
                "first I loop over the string and count",
            ):
                before = len(said(agent))
                await session.run(user_input=text)
                replies.append(said(agent)[-1] if len(said(agent)) > before else "")

    async_to_sync(scenario)()

    assert replies == [
        f"{prompts.STRUCTURED_REPEAT_PREFIX} Question 2. {STATEMENT}",
        prompts.STRUCTURED_CODING_SUBMIT_FIRST,
        prompts.STRUCTURED_CODING_GO_ON,
        "",  # acknowledged once already: thinking aloud is left alone
    ]
    asked = coding_question(coding_interview)
    assert (asked.answer, asked.answered_at) == ("", None)


def test_when_every_hint_is_given_the_interviewer_says_so(coding_interview):
    replies: list[str] = []

    async def scenario() -> None:
        async with at_the_exercise(coding_interview) as (session, agent, _news):
            for text in ("can I get a hint", "another hint please", "another hint please"):
                await session.run(user_input=text)
                replies.append(said(agent)[-1])

    async_to_sync(scenario)()

    assert replies == [
        f"Here is a hint: {HINTS[0]}",
        f"Here is a hint: {HINTS[1]}",
        prompts.STRUCTURED_CODING_NO_HINT_LEFT,
    ]
    assert hints_given(coding_interview) == [(1, HINTS[0]), (2, HINTS[1])]


def test_the_third_failing_run_in_a_row_gets_a_hint_offered(coding_interview):
    replies: list[str] = []

    async def scenario() -> None:
        async with at_the_exercise(coding_interview) as (session, agent, news):
            work = await sync_to_async(work_of)(coding_interview)
            for _ in range(3):
                count = len(said(agent))
                await told(news, await sync_to_async(record_run)(work))
                replies.append(said(agent)[-1] if len(said(agent)) > count else "")
            await session.run(user_input="yes please")
            replies.append(said(agent)[-1])

    async_to_sync(scenario)()

    # The first two runs are only noted; the third offers, and "yes" gets the hint.
    assert replies == [
        "",
        "",
        prompts.STRUCTURED_CODING_OFFER_HINT,
        f"Here is a hint: {HINTS[0]}",
    ]
    assert hints_given(coding_interview) == [(1, HINTS[0])]


def test_a_submission_the_room_was_not_told_of_is_found_when_the_candidate_speaks(
    coding_interview,
):
    seen: list[str] = []

    async def scenario() -> None:
        async with at_the_exercise(coding_interview) as (session, agent, news):
            work = await sync_to_async(work_of)(coding_interview)
            # Recorded, but the web app could not reach the room.
            await sync_to_async(record_run)(
                work, kind=CodeRun.Kind.SUBMIT, outcome=CodeRun.Outcome.PASSED, visible=(1, 1)
            )
            await session.run(user_input="OK, I pressed Submit")
            await news.idle()
            if news.last_reply is not None:
                await news.last_reply
            seen.append(said(agent)[-1])
            await session.run(user_input=EXPLANATION)

    async_to_sync(scenario)()

    assert seen == [
        " ".join(
            [
                prompts.STRUCTURED_CODING_SUBMITTED,
                "All the server's tests passed: 1 of 1.",
                prompts.STRUCTURED_CODING_WALK_THROUGH,
            ]
        )
    ]
    assert coding_question(coding_interview).answer == EXPLANATION
