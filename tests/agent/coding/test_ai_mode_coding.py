"""The coding exercise in an AI mode, against the local server that speaks the provider's
protocol with the scripted interviewer model: the hint it asks give_hint for is recorded,
nothing said before the submission is filed as the answer, and the explanation after the
job's note about the submission is.

The notes about runs reach the model as system messages: with its instructions in Chat
Completions, and from the conversation's items in Realtime."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from agent_worker.session.coding_news import CodingNews
from interviews.models import CodeRun, CodingHint, Stage
from tests.agent.coding.conftest import HINTS, open_the_exercise, record_run, work_of
from tests.provider_protocol.conftest import interview_session
from tests.provider_protocol.interviewer_model import (
    HINT_SAID,
    TAKE_YOUR_TIME,
    WALK_THROUGH,
    InterviewerModel,
)

pytestmark = [pytest.mark.provider_protocol, pytest.mark.django_db]

EXPLANATION = "I count each character, then scan for the first single one: linear time."


def agent_lines(interview) -> list[str]:
    return list(
        interview.transcript.filter(speaker="agent")
        .order_by("sequence")
        .values_list("text", flat=True)
    )


@pytest.mark.parametrize("mode", ["pipeline", "realtime"])
def test_an_ai_mode_gives_a_hint_and_records_the_explanation_after_the_submission(
    mode, ai_settings, openai_server, coding_interview
):
    open_the_exercise(coding_interview)
    openai_server.policy = InterviewerModel()

    async def scenario() -> None:
        async with interview_session(coding_interview, mode) as (session, agent, _plan):
            news = CodingNews(session=session, agent=agent, interview_pk=coding_interview.pk)
            result = await session.run(user_input="Could I have a hint?")
            result.expect.contains_function_call(name="give_hint")
            await session.run(user_input="I think I will use a dictionary")
            work = await sync_to_async(work_of)(coding_interview)
            submission = await sync_to_async(record_run)(
                work, kind=CodeRun.Kind.SUBMIT, outcome=CodeRun.Outcome.PASSED, visible=(1, 1)
            )
            await news.tell(submission.pk)
            assert news.last_reply is not None
            await news.last_reply
            await session.run(user_input=EXPLANATION)
            await news.aclose()

    async_to_sync(scenario)()

    assert list(CodingHint.objects.values_list("level", "text")) == [(1, HINTS[0])]
    lines = agent_lines(coding_interview)
    assert HINT_SAID.format(hint=HINTS[0]) in lines
    assert TAKE_YOUR_TIME in lines  # record_answer refused the message before the submission
    assert WALK_THROUGH in lines
    asked = coding_interview.asked.get(stage=Stage.CODING)
    assert asked.answer == EXPLANATION
    assert asked.answered_at is not None
