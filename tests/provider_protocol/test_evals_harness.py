"""The opt-in evals' harness (tests/evals) works without a real model: against the local
server, its interviewer and judge are built from settings, the interviewer's tools change
the database, and the judge's verdict decides the check. A real model's judgement is what
only `pytest -m evals` can show."""

import pytest
from asgiref.sync import async_to_sync

from agent_worker import prompts
from tests.evals.harness import NO_MODEL_MESSAGE, eval_interview, require_a_model
from tests.provider_protocol.interviewer_model import InterviewerModel
from tests.provider_protocol.openai_server import Call, Conversation

pytestmark = [pytest.mark.provider_protocol, pytest.mark.django_db]


class InterviewerAndJudge:
    """Plays the interviewer, and the judge when asked for a verdict (check_intent)."""

    def __init__(self) -> None:
        self.interviewer = InterviewerModel()
        self.verdict = True
        self.judged: list[str] = []

    def __call__(self, conversation: Conversation):  # noqa: ANN204
        if "check_intent" in conversation.tools:
            self.judged.append(conversation.user_messages()[-1])
            return Call("check_intent", {"success": self.verdict, "reason": "scripted"})
        return self.interviewer(conversation)


def test_the_evals_reach_the_interviewer_and_the_judge_configured_in_settings(
    ai_settings, openai_server, personal_interview
):
    openai_server.policy = policy = InterviewerAndJudge()

    async def scenario() -> None:
        async with eval_interview(personal_interview) as chat:
            await chat.greeting.expect.contains_message(role="assistant").judge(
                chat.judge, intent="Says that the interviewer is automated."
            )
            answered = await chat.say("The slow query log.")
            answered.expect.contains_function_call(name="record_answer")
            policy.verdict = False
            with pytest.raises(AssertionError, match="Judgement failed"):
                await answered.expect.contains_message(role="assistant").judge(
                    chat.judge, intent="Asks for the candidate's shoe size."
                )

    async_to_sync(scenario)()

    first = personal_interview.asked.order_by("sequence").first()
    assert first.answer == "The slow query log."
    greeting, verdict_refused = policy.judged
    assert "Says that the interviewer is automated." in greeting
    assert f"{prompts.WELCOME_MESSAGE} {first.text}" in greeting
    assert "shoe size" in verdict_refused
    judge_requests = [
        r.body
        for r in openai_server.requests_to("chat")
        if [t["function"]["name"] for t in r.body.get("tools", [])] == ["check_intent"]
    ]
    assert [r["model"] for r in judge_requests] == [ai_settings.PIPELINE_LLM_MODEL] * 2
    assert {r["tool_choice"] for r in judge_requests} == {"required"}


def test_without_a_key_the_evals_fail_and_say_what_to_set(settings):
    settings.OPENAI_API_KEY = ""

    with pytest.raises(pytest.fail.Exception) as failed:
        require_a_model()

    assert str(failed.value) == NO_MODEL_MESSAGE
    assert "OPENAI_API_KEY" in NO_MODEL_MESSAGE
    assert "pytest -m evals" in NO_MODEL_MESSAGE
