"""The conversation rules of the structured interviewer hold in the AI modes too, on our
side of the wire: the instructions ask for them, and the tools enforce what they can
(a request is never filed as an answer, a skip is marked skipped, a confirmed stop leaves
the interview resumable, a personal invite is never asked who the candidate is)."""

import pytest
from asgiref.sync import async_to_sync

from agent_worker import prompts
from agent_worker.tools.answer_requests import NOT_AN_ANSWER
from interviews.models import Interview
from tests.agent.conftest import context_for
from tests.provider_protocol.conftest import interview_session
from tests.provider_protocol.interviewer_model import (
    CLARIFY,
    CONFIRM_STOP,
    REPEAT,
    InterviewerModel,
)
from tests.provider_protocol.openai_server import Call, Say, ScriptedPolicy

pytestmark = [pytest.mark.provider_protocol, pytest.mark.django_db]

MODES = ["pipeline", "realtime"]


def agent_lines(interview: Interview) -> list[str]:
    return list(
        interview.transcript.filter(speaker="agent")
        .order_by("sequence")
        .values_list("text", flat=True)
    )


def refusals(model: InterviewerModel) -> list[dict]:
    return [
        result
        for result in model.seen[-1].tool_results("record_answer")
        if isinstance(result, dict) and result.get("code") == NOT_AN_ANSWER
    ]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("request_text", "kind", "reply"),
    [
        ("Could you repeat that?", "repeat", REPEAT),
        ("Sorry, what do you mean?", "clarify", CLARIFY),
    ],
)
def test_a_request_filed_as_an_answer_is_refused_and_nothing_is_stored(
    mode, request_text, kind, reply, ai_settings, openai_server, personal_interview
):
    openai_server.policy = model = InterviewerModel()

    async def turn() -> None:
        async with interview_session(personal_interview, mode) as (session, _agent, _plan):
            result = await session.run(user_input=request_text)
            result.expect.contains_function_call(
                name="record_answer", arguments={"answer": request_text}
            )
            result.expect.contains_function_call_output(is_error=False)

    async_to_sync(turn)()

    [asked] = personal_interview.asked.all()
    assert (asked.answer, asked.answered_at) == ("", None)
    [refusal] = refusals(model)
    assert refusal["ok"] is False
    assert refusal["request"] == kind
    assert refusal["error"].startswith("Nothing was recorded.")
    # The model, told why, asked the same question again instead of moving on.
    assert agent_lines(personal_interview)[-1] == f"{reply} {asked.text}"


@pytest.mark.parametrize("mode", MODES)
def test_an_answer_that_starts_with_i_dont_know_is_recorded(
    mode, ai_settings, openai_server, personal_interview
):
    openai_server.policy = InterviewerModel()
    answer = "I don't know, but I would guess the index is missing."

    async def turn() -> None:
        async with interview_session(personal_interview, mode) as (session, _agent, _plan):
            await session.run(user_input=answer)

    async_to_sync(turn)()

    first = personal_interview.asked.order_by("sequence").first()
    assert first.answer == answer


@pytest.mark.parametrize("mode", MODES)
def test_asking_to_skip_over_the_wire_marks_the_question_skipped_and_moves_on(
    mode, ai_settings, openai_server, personal_interview
):
    openai_server.policy = model = InterviewerModel()

    async def turn() -> None:
        async with interview_session(personal_interview, mode) as (session, _agent, _plan):
            result = await session.run(user_input="Can we skip this one?")
            result.expect.contains_function_call(name="skip_question")
            result.expect.contains_function_call(name="get_next_question")

    async_to_sync(turn)()

    first, second = personal_interview.asked.order_by("sequence")
    assert first.skipped_at is not None
    assert first.answer == ""
    assert second.answered_at is None
    assert model.seen[-1].tool_results("skip_question")[-1]["skipped"] is True
    assert agent_lines(personal_interview)[-1] == f"Thank you. {second.text}"


@pytest.mark.parametrize("mode", MODES)
def test_going_back_reopens_the_previous_question(
    mode, ai_settings, openai_server, personal_interview
):
    openai_server.policy = InterviewerModel()

    async def turns() -> None:
        async with interview_session(personal_interview, mode) as (session, _agent, _plan):
            await session.run(user_input="The slow query log.")
            back = await session.run(user_input="Can I go back?")
            back.expect.contains_function_call(name="previous_question")

    async_to_sync(turns)()

    [first] = personal_interview.asked.all()
    assert first.answered_at is None  # re-opened; the answer given is kept
    assert first.answer == "The slow query log."
    assert agent_lines(personal_interview)[-1] == first.text


@pytest.mark.parametrize("mode", MODES)
def test_stopping_is_confirmed_once_then_the_interview_is_interrupted_and_resumable(
    mode, ai_settings, openai_server, personal_interview
):
    openai_server.policy = InterviewerModel()

    async def turns() -> str | None:
        async with interview_session(personal_interview, mode) as (session, agent, _plan):
            await session.run(user_input="The slow query log.")
            asked_to_stop = await session.run(user_input="Let's stop here.")
            asked_to_stop.expect.contains_message(role="assistant")
            assert agent.outcome is None  # not ended before the candidate confirms
            confirmed = await session.run(user_input="Yes.")
            confirmed.expect.contains_function_call(name="end_interview")
            return agent.outcome

    assert async_to_sync(turns)() == "interrupted"

    personal_interview.refresh_from_db()
    assert personal_interview.status == Interview.Status.INTERRUPTED
    first, second = personal_interview.asked.order_by("sequence")
    assert first.answer == "The slow query log."
    assert (second.answer, second.answered_at, second.skipped_at) == ("", None, None)
    lines = agent_lines(personal_interview)
    assert lines[-2:] == [CONFIRM_STOP, prompts.EARLY_CLOSING_REMARKS]


@pytest.mark.parametrize("mode", MODES)
def test_changing_ones_mind_about_stopping_continues_the_interview(
    mode, ai_settings, openai_server, personal_interview
):
    openai_server.policy = InterviewerModel()

    async def turns() -> str | None:
        async with interview_session(personal_interview, mode) as (session, agent, _plan):
            await session.run(user_input="Let's stop here.")
            await session.run(user_input="No, let us continue.")
            return agent.outcome

    assert async_to_sync(turns)() is None

    personal_interview.refresh_from_db()
    assert personal_interview.status == Interview.Status.IN_PROGRESS
    [asked] = personal_interview.asked.all()
    assert asked.answer == ""
    assert agent_lines(personal_interview)[-1] == f"Thank you. {asked.text}"


def test_a_personal_invite_is_never_told_to_ask_who_the_candidate_is(personal_interview):
    instructions = prompts.instructions_for(context_for(personal_interview))

    assert prompts.PERSONAL_INVITE_CONTEXT in instructions
    assert prompts.LOOKUP_EMAIL_MESSAGE not in instructions
    lowered = instructions.lower()
    for request in ("ask for their email", "ask for their full name", "lookup_candidate"):
        assert request not in lowered
    assert "do not ask who they are" in lowered


def test_an_open_link_is_told_to_identify_by_emailed_code_and_not_to_ask_the_position(
    open_interview,
):
    instructions = prompts.instructions_for(context_for(open_interview))

    assert prompts.LOOKUP_EMAIL_MESSAGE in instructions
    assert f"The position is: {open_interview.position.title}." in instructions
    assert "verify_email_code" in instructions
    assert "not the position" in instructions


@pytest.mark.parametrize(
    "rule",
    [
        "You are an automated interviewer",
        "Ask one question at a time",
        "Never reveal rubrics",
        "Requests are not answers",
        "Wait until they have finished",
        "call skip_question",
        "call previous_question",
        "ask once whether they want to end the interview",
        "politely decline and continue the interview",
    ],
)
def test_the_instructions_carry_the_conversation_rules(rule, open_interview):
    instructions = prompts.instructions_for(context_for(open_interview))
    assert rule in " ".join(instructions.split())


@pytest.mark.parametrize("mode", MODES)
def test_a_personal_invite_gets_its_first_question_without_identifying(
    mode, ai_settings, openai_server, personal_interview
):
    # A model that asks for the first question right away, as the instructions say.
    openai_server.policy = policy = ScriptedPolicy(
        Call("get_next_question"),
        lambda seen: Say(seen.tool_results("get_next_question")[-1]["question"]),
    )

    async def greet() -> None:
        async with interview_session(personal_interview, mode):
            pass

    async_to_sync(greet)()

    [first] = personal_interview.asked.all()
    result = policy.seen[-1].tool_results("get_next_question")[-1]
    assert result["ok"] is True and result["question"] == first.text
    assert prompts.LOOKUP_EMAIL_MESSAGE not in policy.seen[-1].instructions
    assert agent_lines(personal_interview) == [first.text]
