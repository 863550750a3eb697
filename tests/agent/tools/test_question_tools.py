"""The question tools a patient interviewer needs: skip, go back, and what
get_next_question tells the script (whether speech is heard, the link's position)."""

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from agent_worker.tools.identification import (
    FLAG_EXPERIENCE_UNKNOWN,
    FLAG_NAME_UNCONFIRMED,
    FLAG_POSITION_UNCONFIRMED,
)
from interviews.models import Candidate, EmailCode, Interview
from tests.agent.conftest import interviewer_session
from tests.agent.scripted_llm import Call, Say, ScriptedLLM
from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db


def run_turns(interview: Interview, model: ScriptedLLM, *turns: str) -> None:
    async def scenario() -> None:
        async with interviewer_session(interview, model) as (session, _agent):
            for text in turns:
                await session.run(user_input=text)

    async_to_sync(scenario)()


def test_an_unidentified_candidate_is_refused_with_the_links_position_and_the_open_ones(
    open_interview,
):
    PositionFactory(title="Another role")
    model = ScriptedLLM(Call("get_next_question"), Say("What is your email?"))
    run_turns(open_interview, model)
    (refused,) = model.tool_outputs("get_next_question")
    assert refused["code"] == "candidate_unknown"
    assert refused["position"] == open_interview.position.title
    assert {open_interview.position.title, "Another role"} <= set(refused["positions"])
    assert refused["hears_speech"] is False


def test_a_skipped_question_is_recorded_as_skipped_and_the_next_one_follows(personal_interview):
    model = ScriptedLLM(
        Call("get_next_question"),
        Say("Question 1."),
        Call("skip_question"),
        Call("get_next_question"),
        Say("Question 2."),
    )
    run_turns(personal_interview, model, "Can we skip this one?")
    skipped, asked = model.tool_outputs("skip_question"), model.tool_outputs("get_next_question")
    assert skipped == [{"ok": True, "skipped": True, "instruction": skipped[0]["instruction"]}]
    assert [output["number"] for output in asked] == [1, 2]
    first = personal_interview.asked.order_by("sequence").first()
    assert first.is_skipped and first.answer == ""


def test_going_back_reopens_the_previous_question_and_the_new_answer_replaces_it(
    personal_interview,
):
    model = ScriptedLLM(
        Call("get_next_question"),
        Say("Question 1."),
        Call("record_answer", {"answer": "Logs."}),
        Call("get_next_question"),
        Say("Question 2."),
        Call("previous_question"),
        Say("Question 1 again."),
        Call("record_answer", {"answer": "And metrics."}),
        Say("Thanks."),
    )
    run_turns(personal_interview, model, "Logs.", "Can I go back?", "And metrics.")
    (back,) = model.tool_outputs("previous_question")
    first = personal_interview.asked.order_by("sequence").first()
    assert (back["number"], back["question"]) == (1, first.text)
    assert first.answer == "And metrics."  # "Logs." stays in the transcript


def test_there_is_no_previous_question_at_the_first(personal_interview):
    model = ScriptedLLM(
        Call("get_next_question"), Say("Question 1."), Call("previous_question"), Say("No.")
    )
    run_turns(personal_interview, model, "Can I go back?")
    (refused,) = model.tool_outputs("previous_question")
    assert refused["code"].startswith("no_previous")


def test_an_experience_not_given_is_stored_unknown_and_flagged(open_interview):
    EmailCode.objects.create(
        interview=open_interview,
        email="new@example.com",
        code_hash="-",
        expires_at=timezone.now(),
        verified_at=timezone.now(),
    )
    model = ScriptedLLM(
        Call(
            "create_candidate",
            {"name": "Nia New", "email": "new@example.com", "position": "", "experience": ""},
        ),
        Say("Thank you."),
    )
    run_turns(open_interview, model)
    (created,) = model.tool_outputs("create_candidate")
    assert created["ok"], created
    assert Candidate.objects.get(email="new@example.com").experience_years is None
    open_interview.refresh_from_db()
    assert open_interview.flags == [FLAG_EXPERIENCE_UNKNOWN]


def test_fields_taken_as_given_are_flagged_for_the_recruiter(open_interview):
    EmailCode.objects.create(
        interview=open_interview,
        email="new@example.com",
        code_hash="-",
        expires_at=timezone.now(),
        verified_at=timezone.now(),
    )
    arguments = {
        "name": "Nia New",
        "email": "new@example.com",
        "position": "",
        "experience": 3,
        "unconfirmed": "name, position, shoe size",
    }
    model = ScriptedLLM(Call("create_candidate", arguments), Say("Thank you."))
    run_turns(open_interview, model)
    (created,) = model.tool_outputs("create_candidate")
    assert created["ok"], created
    open_interview.refresh_from_db()
    assert open_interview.flags == [FLAG_NAME_UNCONFIRMED, FLAG_POSITION_UNCONFIRMED]


@pytest.mark.parametrize(
    ("said", "stored"),
    [
        ("I would check the logs and that's it", "I would check the logs"),
        ("Logs first.\nThen metrics. That's all.", "Logs first.\nThen metrics."),
        ("A hash map, that is it, that's all", "A hash map"),
    ],
)
def test_the_words_that_end_an_answer_are_not_recorded_with_it(personal_interview, said, stored):
    model = ScriptedLLM(
        Call("get_next_question"),
        Say("Question 1."),
        Call("record_answer", {"answer": said}),
        Say("Thanks."),
    )
    run_turns(personal_interview, model, said)
    (recorded,) = model.tool_outputs("record_answer")
    assert recorded["ok"], recorded
    assert personal_interview.asked.order_by("sequence").first().answer == stored
