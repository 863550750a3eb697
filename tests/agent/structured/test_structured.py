"""The provider-free structured interviewer, through a real AgentSession, typed answers."""

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.utils import timezone

from agent_worker import prompts
from agent_worker.structured.interviewer import StructuredInterviewer
from agent_worker.voice.espeak_tts import SAMPLE_RATE, EspeakTTS, espeak_path
from interviews.models import Candidate, Interview, Position
from interviews.services.invites import interview_create
from interviews.services.lifecycle import interview_interrupt, interview_start
from interviews.services.questions import interview_next_question, interview_record_answer
from tests.agent.conftest import interviewer_session, transcript_of
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def interview_by_typing(interview: Interview, *turns: str, resuming: bool = False) -> str | None:
    async def scenario() -> str | None:
        async with interviewer_session(interview, StructuredInterviewer(), resuming=resuming) as (
            session,
            agent,
        ):
            for text in turns:
                await session.run(user_input=text)
            return agent.outcome

    return async_to_sync(scenario)()


def test_it_completes_a_whole_open_link_interview_from_typed_answers(open_interview, emailed_code):
    position = open_interview.position

    outcome = interview_by_typing(
        open_interview,
        "my email is sam dot lee at example dot com",
        "four eight one two zero three",
        "My name is Sam Lee",
        "two years",
        "I would check the logs first",
        "I would add an index",
        "We talked it through and agreed",
        "no, that's all",
    )

    assert outcome == "completed"
    open_interview.refresh_from_db()
    assert open_interview.status == Interview.Status.COMPLETED
    candidate = Candidate.objects.get(email="sam.lee@example.com")
    assert (candidate.name, candidate.position, candidate.experience_years) == (
        "Sam Lee",
        position,
        2,
    )
    assert open_interview.candidate == candidate
    asked = list(open_interview.asked.order_by("sequence").values_list("text", "answer"))
    assert asked == [
        ("T1 for all?", "I would check the logs first"),
        ("T2 junior?", "I would add an index"),
        ("B1 for all?", "We talked it through and agreed"),
    ]
    transcript = transcript_of(open_interview)
    # The link says the position: it is never asked.
    assert [speaker for speaker, _ in transcript] == ["agent", "candidate"] * 8 + ["agent"]
    assert not any(prompts.STRUCTURED_ASK_POSITION in text for _, text in transcript)
    assert transcript[0][1].startswith(prompts.WELCOME_MESSAGE)
    assert transcript[0][1].endswith(prompts.STRUCTURED_ASK_EMAIL)
    assert transcript[1] == ("candidate", "my email is sam dot lee at example dot com")
    assert transcript[2] == ("agent", prompts.CODE_SENT_MESSAGE)
    assert transcript[4] == ("agent", prompts.STRUCTURED_ASK_NAME)
    assert transcript[8][1].endswith("Question 1. T1 for all?")
    assert "Thank you, Sam Lee." in transcript[8][1]
    assert transcript[10][1].endswith("Question 2. T2 junior?")
    assert transcript[12][1].endswith("Question 3. B1 for all?")
    # Before closing: anything to add or correct?
    assert transcript[14][1].endswith(prompts.STRUCTURED_ANYTHING_ELSE)
    assert transcript[16][1].endswith(prompts.CLOSING_REMARKS)


def test_it_identifies_a_known_candidate_from_spelled_letters_and_the_code(
    open_interview, emailed_code
):
    known = CandidateFactory(email="joe@example.com", experience_years=10)

    interview_by_typing(
        open_interview, "j o e at example dot com", emailed_code, "It hashes the key into a bucket"
    )

    open_interview.refresh_from_db()
    assert open_interview.candidate == known
    transcript = transcript_of(open_interview)
    assert transcript[-3][1].endswith("Question 1. T1 for all?")
    # A senior candidate gets the senior question.
    assert transcript[-1][1].endswith("Question 2. T3 senior?")


def test_it_asks_again_for_an_email_it_cannot_read_and_writes_nothing(open_interview):
    interview_by_typing(open_interview, "I would rather not say")

    assert transcript_of(open_interview)[-1] == ("agent", prompts.STRUCTURED_EMAIL_NOT_UNDERSTOOD)
    assert not Candidate.objects.exists()
    open_interview.refresh_from_db()
    assert open_interview.candidate is None


def test_it_asks_again_for_experience_it_cannot_read(open_interview, emailed_code):
    interview_by_typing(
        open_interview,
        "kim@example.com",
        emailed_code,
        "Kim",
        "quite a lot",
    )

    assert transcript_of(open_interview)[-1][1] == prompts.STRUCTURED_EXPERIENCE_NOT_UNDERSTOOD
    assert not Candidate.objects.exists()


def test_it_starts_a_personal_invite_with_the_first_question(personal_interview):
    interview_by_typing(personal_interview)

    [(speaker, greeting)] = transcript_of(personal_interview)
    assert speaker == "agent"
    assert greeting.startswith(prompts.WELCOME_MESSAGE)
    assert greeting.endswith("Question 1. T1 for all?")


def test_it_resumes_an_interrupted_interview_at_the_next_unanswered_question(
    personal_interview,
):
    interview_start(interview=personal_interview, ai_mode="structured")
    first = interview_next_question(interview=personal_interview)
    interview_record_answer(interview=personal_interview, answer="Before the crash")
    second = interview_next_question(interview=personal_interview)
    interview_interrupt(interview=personal_interview, at=timezone.now())

    outcome = interview_by_typing(
        personal_interview,
        "I would add an index",
        "We talked it through and agreed",
        "nothing to add, thanks",
        resuming=True,
    )

    assert outcome == "completed"
    transcript = transcript_of(personal_interview)
    assert transcript[0][1].startswith(prompts.RESUME_MESSAGE)
    assert transcript[0][1].endswith(f"Question 2. {second.text}")
    asked = list(personal_interview.asked.order_by("sequence").values_list("pk", "answer"))
    assert asked == [
        (first.pk, "Before the crash"),
        (second.pk, "I would add an index"),
        (asked[2][0], "We talked it through and agreed"),
    ]
    personal_interview.refresh_from_db()
    assert personal_interview.status == Interview.Status.COMPLETED


def test_an_open_link_interview_in_natural_sentences_loses_nothing(default_bank, emailed_code):
    position = Position.objects.get(slug="software-engineer")
    interview = interview_create(position=position).interview

    async def scenario() -> list[str]:
        async with interviewer_session(interview, StructuredInterviewer()) as (session, agent):
            for text in (
                "I'm applying for the backend role.",
                "It's priya dot n at example dot com",
                "The code is " + " ".join(emailed_code),
                "Priya Natarajan",
            ):
                await session.run(user_input=text)
            if "Which position" in last_reply(session):
                # The tools did not say the position: the flow asks, and matches loosely.
                await session.run(user_input="I am applying for Software Engineer")
            await session.run(user_input="about five years")
            await session.run(user_input="Sorry, could you repeat the question please?")
            answers = []
            while agent.outcome is None and len(answers) < 10:
                if last_reply(session).endswith(prompts.STRUCTURED_ANYTHING_ELSE):
                    await session.run(user_input="No, that's everything.")
                    continue
                answers.append(f"I would approach it in {len(answers) + 1} steps.")
                await session.run(user_input=answers[-1])
            return answers

    answers = async_to_sync(scenario)()

    candidate = Candidate.objects.get(email="priya.n@example.com")
    assert (candidate.name, candidate.position, candidate.experience_years) == (
        "Priya Natarajan",
        position,
        5,
    )
    interview.refresh_from_db()
    assert interview.status == Interview.Status.COMPLETED
    recorded = list(interview.asked.order_by("sequence").values_list("answer", flat=True))
    assert recorded == answers
    agent_lines = [text for speaker, text in transcript_of(interview) if speaker == "agent"]
    assert not any("I do not know that position" in line for line in agent_lines)
    assert not any("priya.n@example.com" in line for line in agent_lines)
    assert any(line.startswith(prompts.STRUCTURED_REPEAT_PREFIX) for line in agent_lines)


def last_reply(session) -> str:
    said = [
        item.text_content or ""
        for item in session.history.items
        if getattr(item, "role", None) == "assistant"
    ]
    return said[-1] if said else ""


def speech_seconds(text: str) -> float:
    async def synthesize() -> list:
        voice = EspeakTTS(voice=settings.ESPEAK_VOICE)
        return [event.frame async for event in voice.synthesize(text)]

    frames = async_to_sync(synthesize)()
    return sum(f.samples_per_channel for f in frames) / SAMPLE_RATE


@pytest.mark.parametrize("hint", [prompts.STRUCTURED_TYPING_HINT, ""])
def test_the_first_question_is_asked_within_8_seconds_of_speech(hint):
    assert espeak_path(), "espeak-ng is not installed; `make system` installs it"
    opening = f"{prompts.WELCOME_MESSAGE} {hint}".strip()

    resuming = f"{prompts.RESUME_MESSAGE} {hint}".strip()

    assert speech_seconds(f"{opening} {prompts.STRUCTURED_ASK_EMAIL}") <= 8.0
    assert speech_seconds(f"{opening} Question 1.") <= 8.0
    assert speech_seconds(f"{resuming} Question 1.") <= 8.0


def test_an_answer_is_stored_and_the_next_question_picked_in_one_tool_call(personal_interview):
    async def scenario() -> tuple[list[str], str]:
        async with interviewer_session(personal_interview, StructuredInterviewer()) as (
            session,
            _,
        ):
            result = await session.run(user_input="I would check the logs first")
            calls = [e.item.name for e in result.events if e.type == "function_call"]
            replies = [e.item.text_content for e in result.events if e.type == "message"]
            return calls, replies[-1]

    calls, reply = async_to_sync(scenario)()

    assert calls == ["record_answer"]
    asked = list(personal_interview.asked.order_by("sequence").values_list("text", "answer"))
    assert asked[0] == ("T1 for all?", "I would check the logs first")
    assert len(asked) == 2
    assert reply.endswith(f"Question 2. {asked[1][0]}")
