"""The tools at a coding exercise, called by a scripted model as an AI mode would:
give_hint climbs the exercise's ladder, and the exercise's answer waits for its
submission."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from agent_worker import prompts
from agent_worker.coding_round import NO_GOING_BACK, NOT_SUBMITTED
from agent_worker.session.coding_news import CodingNews
from interviews.errors import ErrorCode
from interviews.models import CodeRun, CodingHint, Interview, Stage
from tests.agent.coding.conftest import HINTS, open_the_exercise, record_run, work_of
from tests.agent.conftest import interviewer_session
from tests.agent.scripted_llm import Call, Say, ScriptedLLM

pytestmark = pytest.mark.django_db


def play(interview: Interview, model: ScriptedLLM, *turns: str, submit_after: int = -1) -> None:
    """A session with the scripted model; the candidate's turns, and the job telling the
    interviewer about a submission after turn `submit_after` (counted from 0)."""

    async def scenario() -> None:
        async with interviewer_session(interview, model) as (session, agent):
            news = CodingNews(session=session, agent=agent, interview_pk=interview.pk)
            for number, text in enumerate(turns):
                await session.run(user_input=text)
                if number == submit_after:
                    run = await _submission(interview)
                    await news.tell(run.pk)
                    if news.last_reply is not None:
                        await news.last_reply
            await news.aclose()

    async_to_sync(scenario)()


async def _submission(interview: Interview) -> CodeRun:
    work = await sync_to_async(work_of)(interview)
    return await sync_to_async(record_run)(
        work, kind=CodeRun.Kind.SUBMIT, outcome=CodeRun.Outcome.PASSED, visible=(1, 1)
    )


def test_get_next_question_says_the_question_is_a_coding_exercise(coding_interview):
    open_the_exercise(coding_interview)
    model = ScriptedLLM(Call("get_next_question"), Say("The exercise."))

    play(coding_interview, model)

    [output] = model.tool_outputs("get_next_question")
    assert output["stage"] == Stage.CODING
    assert output["coding"] == {"submitted": False}
    assert output["instruction"] == prompts.CODING_QUESTION_INSTRUCTION


def test_give_hint_climbs_the_ladder_then_says_none_is_left(coding_interview):
    open_the_exercise(coding_interview)
    model = ScriptedLLM(
        Call("get_next_question"),
        Say("The exercise."),
        *[step for _ in range(3) for step in (Call("give_hint"), Say("A hint."))],
    )

    play(coding_interview, model, "a hint please", "another one", "and another")

    outputs = model.tool_outputs("give_hint")
    assert [(o["ok"], o.get("level"), o["hint"]) for o in outputs] == [
        (True, 1, HINTS[0]),
        (True, 2, HINTS[1]),
        (True, None, None),
    ]
    assert "no more hints" in outputs[-1]["instruction"]
    assert list(CodingHint.objects.values_list("level", "text")) == [
        (1, HINTS[0]),
        (2, HINTS[1]),
    ]


def test_give_hint_away_from_a_coding_exercise_gives_nothing(coding_interview):
    model = ScriptedLLM(Call("get_next_question"), Say("Question 1."), Call("give_hint"), Say(""))

    play(coding_interview, model, "can I get a hint?")

    [output] = model.tool_outputs("give_hint")
    assert (output["ok"], output["code"]) == (False, ErrorCode.NO_CODING_QUESTION)
    assert not CodingHint.objects.exists()


def test_the_answer_waits_for_the_submission_then_takes_the_explanation(coding_interview):
    open_the_exercise(coding_interview)
    model = ScriptedLLM(
        Call("get_next_question"),
        Say("The exercise."),
        Call("record_answer", {"answer": "I will use a dictionary"}),
        Say("Take your time."),
        # The job's note about the submission asks for a reply.
        Say("Thank you. Walk me through your approach."),
        Call("record_answer", {"answer": "Count, then scan: linear time."}),
        Say("Thank you."),
    )

    play(
        coding_interview,
        model,
        "I will use a dictionary",
        "Count, then scan: linear time.",
        submit_after=0,
    )

    refused, recorded = model.tool_outputs("record_answer")
    assert (refused["ok"], refused["code"]) == (False, NOT_SUBMITTED)
    assert recorded["ok"] is True
    asked = coding_interview.asked.get(stage=Stage.CODING)
    assert asked.answer == "Count, then scan: linear time."


def test_going_back_from_the_exercise_is_refused_and_its_work_kept(coding_interview):
    work = open_the_exercise(coding_interview)
    record_run(work)
    model = ScriptedLLM(
        Call("get_next_question"), Say("The exercise."), Call("previous_question"), Say("")
    )

    play(coding_interview, model, "can I go back to the first question?")

    [output] = model.tool_outputs("previous_question")
    assert (output["ok"], output["code"]) == (False, NO_GOING_BACK)
    work.refresh_from_db()
    assert work.runs.count() == 1
    assert coding_interview.asked.get(stage=Stage.CODING).answered_at is None
