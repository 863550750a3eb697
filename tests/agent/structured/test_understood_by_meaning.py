"""Issue 21, through a real AgentSession with the structured interviewer: what a new
user typed on an open position link, and what must become of it."""

import pytest
from asgiref.sync import async_to_sync
from livekit.agents import llm

from agent_worker import prompts
from agent_worker.structured.interviewer import StructuredInterviewer
from interviews.models import Candidate, Interview
from tests.agent.conftest import interviewer_session, transcript_of

pytestmark = pytest.mark.django_db


def said_by_interviewer(session) -> list[str]:
    return [
        item.text_content or ""
        for item in session.history.items
        if isinstance(item, llm.ChatMessage) and item.role == "assistant"
    ]


def run(interview: Interview, *turns: str) -> list[str]:
    """The candidate's turns, one at a time; the interviewer's replies, in order."""

    async def scenario() -> list[str]:
        async with interviewer_session(interview, StructuredInterviewer()) as (session, _):
            for text in turns:
                await session.run(user_input=text)
            return said_by_interviewer(session)

    return async_to_sync(scenario)()


def answers_of(interview: Interview) -> list[tuple[str, str, bool]]:
    return [
        (q.text, q.answer, q.is_skipped)
        for q in interview.asked.filter(follow_up_to__isnull=True).order_by("sequence")
    ]


def identified(interview: Interview, emailed_code: str, *turns: str) -> list[str]:
    return run(interview, "may.chen@example.com", emailed_code, *turns)


def test_the_reply_to_the_name_question_is_the_name_and_the_experience_is_not(
    open_interview, emailed_code
):
    replies = identified(
        open_interview, emailed_code, "May Chen", "about eighteen months, mostly internships"
    )

    candidate = Candidate.objects.get(email="may.chen@example.com")
    assert (candidate.name, candidate.experience_years) == ("May Chen", 2)
    assert not any("Mostly Internships" in reply for reply in replies)
    assert "Thank you, May Chen." in replies[-1]


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("Will Smith", "Will Smith"),
        ("my name is Will Smith", "Will Smith"),
        ("may chen", "May Chen"),
        ("um, Phạm Văn Đồng", "Phạm Văn Đồng"),
        ("Oluwaseun Adeyemi, nice to meet you", "Oluwaseun Adeyemi"),
    ],
)
def test_names_are_stored_as_given(open_interview, emailed_code, said, name):
    identified(open_interview, emailed_code, said, "3 years")

    assert Candidate.objects.get(email="may.chen@example.com").name == name


def test_fresh_graduate_is_no_experience(open_interview, emailed_code):
    identified(open_interview, emailed_code, "May Chen", "fresh graduate")

    assert Candidate.objects.get(email="may.chen@example.com").experience_years == 0


def test_an_email_that_may_have_lost_a_word_is_read_back_before_a_code_is_mailed(
    open_interview, emailed_code
):
    replies = run(
        open_interview, "my email is john smith at gmail dot com", "no", "john.smith@gmail.com"
    )

    assert replies[1] == prompts.STRUCTURED_CONFIRM_EMAIL.format(email="smith@gmail.com")
    assert replies[-1] == prompts.CODE_SENT_MESSAGE
    assert list(open_interview.email_codes.values_list("email", flat=True)) == [
        "john.smith@gmail.com"
    ]


@pytest.mark.parametrize(
    "request_text",
    [
        "Hold on, my dog is barking, one second.",
        "I'm sorry, I don't understand the question.",
        "hmm, let me think for a second",
        "Hold on",
    ],
)
def test_a_request_at_the_first_question_is_never_filed_and_nothing_shifts(
    personal_interview, request_text
):
    replies = run(
        personal_interview,
        request_text,
        "I would start with the slow query log.",
        "I would put it on a queue when the caller does not need the result.",
    )

    assert [answer for _, answer, _ in answers_of(personal_interview)][:2] == [
        "I would start with the slow query log.",
        "I would put it on a queue when the caller does not need the result.",
    ]
    assert not any(request_text in answer for _, answer, _ in answers_of(personal_interview))
    assert replies[1] in (
        prompts.STRUCTURED_TAKE_YOUR_TIME,
        f"{prompts.STRUCTURED_CLARIFY_BY_STAGE['technical']} Question 1. "
        f"{personal_interview.asked.order_by('sequence').first().text}",
    )


def test_waiting_says_take_your_time_once_and_keeps_the_question_open(personal_interview):
    replies = run(personal_interview, "Hold on", "one second please", "Logs first, then metrics.")

    assert replies[1:2] == [prompts.STRUCTURED_TAKE_YOUR_TIME]
    assert replies.count(prompts.STRUCTURED_TAKE_YOUR_TIME) == 1
    assert answers_of(personal_interview)[0][1] == "Logs first, then metrics."


def test_i_m_done_with_nothing_said_is_not_an_answer(personal_interview):
    replies = run(personal_interview, "Yeah, no, I think I'm done")

    assert replies[-1].startswith(prompts.STRUCTURED_STILL_OPEN)
    assert answers_of(personal_interview)[0][1] == ""


def test_not_really_sure_is_don_t_know_and_skips(personal_interview):
    replies = run(personal_interview, "I'm not really sure")

    assert answers_of(personal_interview)[0] == (
        answers_of(personal_interview)[0][0],
        "",
        True,
    )
    assert replies[-1].startswith(prompts.STRUCTURED_SKIPPED_DONT_KNOW)


def test_going_back_in_a_sentence_reopens_the_question_and_replaces_its_answer(
    personal_interview,
):
    run(
        personal_interview,
        "Slow query log.",
        "wait, that wasn't my answer, can I go back to the previous question?",
        "EXPLAIN on the worst queries, then an index.",
    )

    first = answers_of(personal_interview)[0]
    assert first[1] == "EXPLAIN on the worst queries, then an index."
    candidate_lines = [t for s, t in transcript_of(personal_interview) if s == "candidate"]
    assert "Slow query log." in candidate_lines  # the earlier words stay in the transcript


def test_thinking_at_the_last_question_does_not_close_the_interview(personal_interview):
    replies = run(
        personal_interview,
        "Logs first.",
        "A queue.",
        "hmm, let me think for a second",
        "We wrote both plans down and agreed on one.",
    )

    assert replies[-2] == prompts.STRUCTURED_TAKE_YOUR_TIME or replies[-1].endswith(
        prompts.STRUCTURED_ANYTHING_ELSE
    )
    assert replies[-1].endswith(prompts.STRUCTURED_ANYTHING_ELSE)
    assert answers_of(personal_interview)[-1][1] == "We wrote both plans down and agreed on one."
    personal_interview.refresh_from_db()
    assert personal_interview.status == Interview.Status.IN_PROGRESS


def test_the_close_asks_for_anything_to_add_and_a_correction_replaces_the_answer(
    personal_interview,
):
    replies = run(
        personal_interview,
        "Logs first.",
        "A queue.",
        "We agreed on one plan.",
        "yes, can I change my answer to the last question?",
        "We measured both plans and chose the gradual one.",
        "no, that's all",
    )

    assert answers_of(personal_interview)[-1][1] == (
        "We measured both plans and chose the gradual one."
    )
    assert replies[-1].endswith(prompts.CLOSING_REMARKS)
    personal_interview.refresh_from_db()
    assert personal_interview.status == Interview.Status.COMPLETED


def test_unsure_between_an_answer_and_a_request_asks_and_files_only_when_confirmed(
    personal_interview,
):
    replies = run(personal_interview, "Third answer", "yes, take it")

    assert replies[1] == prompts.STRUCTURED_ANSWER_OR_MOMENT
    assert answers_of(personal_interview)[0][1] == "Third answer"


def test_unsure_and_not_the_answer_files_nothing_and_waits(personal_interview):
    replies = run(personal_interview, "Third answer", "no, I need a moment")

    assert replies[1:] == [prompts.STRUCTURED_ANSWER_OR_MOMENT, prompts.STRUCTURED_TAKE_YOUR_TIME]
    assert answers_of(personal_interview)[0][1] == ""
