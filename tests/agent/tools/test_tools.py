"""The interviewer's tools, driven by a scripted model through a real AgentSession."""

import pytest
from asgiref.sync import async_to_sync
from django.core import mail
from django.db import OperationalError, connection
from django.utils import timezone

from agent_worker import prompts
from interviews.models import Candidate, EmailCode, Interview, InterviewQuestion, Question
from interviews.services import candidates
from interviews.services.invites import interview_create
from tests.agent.conftest import EMAILED_CODE, interviewer_session, transcript_of
from tests.agent.scripted_llm import Call, Say, ScriptedLLM
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def run_turns(interview: Interview, model: ScriptedLLM, *turns: str) -> list:
    """Greet, then send each candidate turn; return each turn's RunResult."""

    async def scenario() -> list:
        results = []
        async with interviewer_session(interview, model) as (session, _agent):
            for text in turns:
                results.append(await session.run(user_input=text))
        return results

    return async_to_sync(scenario)()


CODE = EMAILED_CODE


def verified_address(interview: Interview, email: str) -> None:
    """The candidate proved `email` with a code earlier in this interview."""
    EmailCode.objects.create(
        interview=interview,
        email=email,
        code_hash="-",
        expires_at=timezone.now(),
        verified_at=timezone.now(),
    )


def test_a_lookup_answers_the_same_for_a_known_and_an_unknown_address(
    position_with_bank, emailed_code
):
    CandidateFactory(email="jane.doe@example.com", name="Jane Doe")
    outputs = []
    for address in ("jane.doe@example.com", "nobody@example.com"):
        interview = interview_create(position=position_with_bank).interview
        model = ScriptedLLM(
            Say("Welcome."), Call("lookup_candidate", {"email": address}), Say("Ok")
        )
        run_turns(interview, model, address)
        outputs += model.tool_outputs("lookup_candidate")
        interview.refresh_from_db()
        assert interview.candidate is None
    known, unknown = outputs
    assert known == unknown
    assert known["code_sent"] is True
    assert "Jane" not in str(known)
    assert [m.to for m in mail.outbox] == [["jane.doe@example.com"], ["nobody@example.com"]]


def test_it_identifies_a_known_candidate_once_the_spoken_code_comes_back(
    open_interview, emailed_code
):
    known = CandidateFactory(email="jane.doe@example.com", name="Jane Doe")
    model = ScriptedLLM(
        Say("Welcome. What is your email address?"),
        Call("lookup_candidate", {"email": "jane dot doe at example dot com"}),
        Say(prompts.CODE_SENT_MESSAGE),
        Call("verify_email_code", {"code": "four eight one two oh three"}),
        Say("Thank you, Jane."),
    )

    first, second = run_turns(
        open_interview, model, "It's jane dot doe at example dot com", "four eight one two oh three"
    )

    first.expect.next_event().is_function_call(name="lookup_candidate")
    first.expect.next_event().is_function_call_output()
    first.expect.next_event().is_message(role="assistant")
    [lookup] = model.tool_outputs("lookup_candidate")
    assert lookup["ok"] and lookup["code_sent"] and "name" not in lookup
    [verify] = model.tool_outputs("verify_email_code")
    assert (verify["ok"], verify["identified"], verify["name"]) == (True, True, "Jane Doe")
    (message,) = mail.outbox
    assert message.to == ["jane.doe@example.com"] and CODE in message.body
    open_interview.refresh_from_db()
    assert open_interview.candidate == known


def test_a_wrong_code_identifies_no_one(open_interview, emailed_code):
    CandidateFactory(email="jane.doe@example.com", name="Jane Doe")
    model = ScriptedLLM(
        Say("Welcome."),
        Call("lookup_candidate", {"email": "jane.doe@example.com"}),
        Say(prompts.CODE_SENT_MESSAGE),
        Call("verify_email_code", {"code": "111111"}),
        Say("That code is not right."),
        Call(
            "create_candidate",
            {"name": "Eve", "email": "jane.doe@example.com", "position": "", "experience": 3},
        ),
        Say("Ok."),
    )

    run_turns(open_interview, model, "jane.doe@example.com", "111111", "Eve, 3 years")

    [verify] = model.tool_outputs("verify_email_code")
    assert (verify["ok"], verify["code"]) == (False, "code_wrong")
    assert "Jane" not in str(verify)
    [create] = model.tool_outputs("create_candidate")
    assert (create["ok"], create["code"]) == (False, "email_not_verified")
    open_interview.refresh_from_db()
    assert open_interview.candidate is None


def test_it_creates_a_new_candidate_then_asks_the_first_question(open_interview, emailed_code):
    position = open_interview.position
    model = ScriptedLLM(
        Say("Welcome. What is your email address?"),
        Call("lookup_candidate", {"email": "new.person@example.com"}),
        Say(prompts.CODE_SENT_MESSAGE),
        Call("verify_email_code", {"code": CODE}),
        Say("What is your name?"),
        Call(
            "create_candidate",
            {
                "name": "New Person",
                "email": "new.person@example.com",
                "position": position.title.upper(),
                "experience": "five years",
            },
        ),
        Call("get_next_question"),
        Say("First question."),
    )

    run_turns(open_interview, model, "new.person@example.com", CODE, "New Person, five years")

    [verify] = model.tool_outputs("verify_email_code")
    assert (verify["verified"], verify["identified"]) == (True, False)
    assert model.tool_outputs("create_candidate") == [
        {"ok": True, "created": True, "name": "New Person"}
    ]
    question = model.tool_outputs("get_next_question")[0]
    assert question["question"] == "T1 for all?"
    assert "rubric" not in question
    candidate = Candidate.objects.get(email="new.person@example.com")
    assert (candidate.name, candidate.position, candidate.experience_years) == (
        "New Person",
        position,
        5,
    )
    open_interview.refresh_from_db()
    assert open_interview.candidate == candidate


def test_it_keeps_the_invited_candidate_when_another_email_is_given(personal_interview):
    other = CandidateFactory(email="someone.else@example.com")
    invited = personal_interview.candidate
    model = ScriptedLLM(
        Say("Welcome."),
        Call("lookup_candidate", {"email": "someone.else@example.com"}),
        Call(
            "create_candidate",
            {"name": "Mallory", "email": "mallory@example.com", "position": "", "experience": 3},
        ),
        Say("This invitation is for another address."),
    )

    run_turns(personal_interview, model, "Actually I am someone.else@example.com")

    [lookup] = model.tool_outputs("lookup_candidate")
    [create] = model.tool_outputs("create_candidate")
    assert (lookup["ok"], lookup["code"]) == (False, "candidate_fixed")
    assert "name" not in lookup  # nothing about the other candidate leaks
    assert (create["ok"], create["code"]) == (False, "candidate_fixed")
    assert create["error"] == candidates.ALREADY_IDENTIFIED
    personal_interview.refresh_from_db()
    assert personal_interview.candidate == invited != other
    assert not Candidate.objects.filter(email="mallory@example.com").exists()


def test_it_runs_a_personal_invite_from_first_question_to_completion(personal_interview):
    model = ScriptedLLM(
        Call("get_next_question"),
        Say("Hello Ivy. First question: T1."),
        Call("record_answer", {"answer": "Answer one"}),
        Call("add_interview_question", {"question": "Why that choice?", "rubric": "Trade-offs"}),
        Say("Why that choice?"),
        Call("record_answer", {"answer": "Because it is simpler"}),
        Call("get_next_question"),
        Say("Second question."),
        Call("record_answer", {"answer": "Answer two"}),
        Call("get_next_question"),
        Say("Third question."),
        Call("record_answer", {"answer": "Answer three"}),
        Call("get_next_question"),
        Call("end_interview"),
        Say("Thank you. Goodbye."),
    )

    async def scenario() -> str | None:
        async with interviewer_session(personal_interview, model) as (session, agent):
            for text in ("Answer one", "Because it is simpler", "Answer two", "Answer three"):
                await session.run(user_input=text)
            return agent.outcome

    outcome = async_to_sync(scenario)()

    assert outcome == "completed"
    assert model.remaining == 0
    assert model.tool_outputs("get_next_question")[-1]["done"] is True
    personal_interview.refresh_from_db()
    assert personal_interview.status == Interview.Status.COMPLETED
    assert hasattr(personal_interview, "evaluation")
    asked = list(personal_interview.asked.order_by("sequence"))
    assert [(q.text, q.answer) for q in asked] == [
        ("T1 for all?", "Answer one"),
        ("Why that choice?", "Because it is simpler"),
        ("T2 junior?", "Answer two"),
        ("B1 for all?", "Answer three"),
    ]
    assert asked[1].follow_up_to == asked[0]
    suggestion = Question.objects.get(text="Why that choice?")
    assert (suggestion.is_active, suggestion.origin) == (False, Question.Origin.AGENT)
    transcript = transcript_of(personal_interview)
    assert transcript[0] == ("agent", "Hello Ivy. First question: T1.")
    assert transcript[1] == ("candidate", "Answer one")
    assert transcript[-1] == ("agent", "Thank you. Goodbye.")
    assert [speaker for speaker, _ in transcript] == ["agent", "candidate"] * 4 + ["agent"]


def test_ending_before_the_plan_is_done_leaves_the_interview_resumable(personal_interview):
    model = ScriptedLLM(
        Call("get_next_question"),
        Say("First question."),
        Call("end_interview"),
        Say("Goodbye for now."),
    )

    run_turns(personal_interview, model, "I need to stop, sorry")

    [ended] = model.tool_outputs("end_interview")
    assert ended["status"] == "interrupted"
    personal_interview.refresh_from_db()
    assert personal_interview.status == Interview.Status.INTERRUPTED


@pytest.mark.parametrize(
    ("tool", "arguments", "code", "hint"),
    [
        ("lookup_candidate", {"email": "jane"}, "email_invalid", "no @ sign"),
        ("lookup_candidate", {"email": ""}, "email_missing", "email"),
        ("lookup_candidate", {"email": "a@b." + "c" * 400}, "email_invalid", "spell"),
        ("create_candidate", {"experience": "lots"}, "experience_invalid", "years"),
        ("create_candidate", {"experience": 99}, "experience_invalid", "0 to 60"),
        ("create_candidate", {"name": " "}, "name_missing", "name"),
        ("create_candidate", {"name": "x" * 500}, "name_too_long", "name"),
        ("create_candidate", {"position": "astronaut"}, "position_unknown", "Role"),
        ("create_candidate", {"email": "not an address"}, "email_invalid", "@"),
        ("get_next_question", {}, "candidate_unknown", "email"),
        ("record_answer", {"answer": "  "}, "empty", "answer"),
        ("record_answer", {"answer": "x" * 20_001}, "answer_too_long", "summary"),
        ("add_interview_question", {"question": ""}, "empty", "empty"),
        ("add_interview_question", {"question": "Why?" * 300}, "question_too_long", "short"),
    ],
)
def test_a_tool_refuses_bad_arguments_with_an_instruction(
    open_interview, tool, arguments, code, hint
):
    if tool == "create_candidate":
        arguments = {
            "name": "Pat Doe",
            "email": "pat@example.com",
            "position": "",
            "experience": 2,
            **arguments,
        }
    model = ScriptedLLM(Say("Welcome."), Call(tool, arguments), Say("Let me ask again."))

    run_turns(open_interview, model, "something")

    [output] = model.tool_outputs(tool)
    assert output["ok"] is False
    assert output["code"] == code
    assert hint.lower() in output["error"].lower()
    assert not Candidate.objects.exists()
    assert not InterviewQuestion.objects.exists()
    open_interview.refresh_from_db()
    assert open_interview.candidate is None


def test_recording_an_answer_before_any_question_is_refused(personal_interview):
    model = ScriptedLLM(Say("Welcome."), Call("record_answer", {"answer": "Early"}), Say("Ok."))

    run_turns(personal_interview, model, "Early")

    [output] = model.tool_outputs("record_answer")
    assert (output["ok"], output["code"]) == (False, "no_open_question")
    assert "get the next question" in output["error"]


class FailingStatements:
    """Once armed, fails SQL statements that start with `prefix`, `times` times.

    Installed on the test thread's connection, where the tools' queries run."""

    def __init__(self, prefix: str, times: int) -> None:
        self.prefix, self.remaining, self.failed = prefix, times, 0
        self.armed = False

    def __call__(self, execute, sql, params, many, context):
        matches = sql.lstrip().upper().startswith(self.prefix)
        if self.armed and matches and self.remaining > 0:
            self.remaining -= 1
            self.failed += 1
            raise OperationalError("database is unavailable")
        return execute(sql, params, many, context)


def create_new_candidate_script(times: int = 1) -> ScriptedLLM:
    arguments = {
        "name": "Dee Bee",
        "email": "dee@example.com",
        "position": "",
        "experience": "3",
    }
    steps = [Say("Welcome.")]
    for _ in range(times):
        steps += [Call("create_candidate", arguments), Say("One moment.")]
    return ScriptedLLM(*steps)


def test_a_database_error_that_persists_writes_nothing_and_the_agent_recovers(open_interview):
    verified_address(open_interview, "dee@example.com")
    # The candidate row is inserted, then tying it to the interview fails, every time.
    failing = FailingStatements('UPDATE "INTERVIEWS_INTERVIEW"', times=3)
    model = create_new_candidate_script(times=2)

    async def scenario() -> None:
        async with interviewer_session(open_interview, model) as (session, _agent):
            failing.armed = True
            await session.run(user_input="I am Dee, dee@example.com, 3 years")
            failing.armed = False
            await session.run(user_input="Please try again")

    with connection.execute_wrapper(failing):
        async_to_sync(scenario)()

    assert failing.failed == 3
    first, second = model.tool_outputs("create_candidate")
    assert (first["ok"], first["code"]) == (False, "save_failed")
    assert "apologise" in first["error"].lower()
    assert second == {"ok": True, "created": True, "name": "Dee Bee"}
    # The failed attempts left no stray profile behind: exactly one, tied to the interview.
    assert Candidate.objects.filter(email="dee@example.com").count() == 1
    open_interview.refresh_from_db()
    assert open_interview.candidate.email == "dee@example.com"


def test_a_passing_database_error_is_retried(open_interview):
    verified_address(open_interview, "dee@example.com")
    failing = FailingStatements('UPDATE "INTERVIEWS_INTERVIEW"', times=1)
    model = create_new_candidate_script()

    async def scenario() -> None:
        async with interviewer_session(open_interview, model) as (session, _agent):
            failing.armed = True
            await session.run(user_input="I am Dee, dee@example.com, 3 years")

    with connection.execute_wrapper(failing):
        async_to_sync(scenario)()

    assert failing.failed == 1
    assert model.tool_outputs("create_candidate")[0]["ok"] is True
    assert Candidate.objects.filter(email="dee@example.com").count() == 1
