"""The structured interviewer as a candidate meets it, end to end (livekit-server,
`runagent`, the web app): answered aloud, in natural typed sentences, and text only.

The spoken interview's candidate joins through the LiveKit Python SDK and publishes
espeak-ng speech made at test time through an `rtc.AudioSource`: Chromium's fake
microphone plays one file from the moment the page opens the microphone (at the
microphone check), so it cannot say each answer after its question.
"""

import asyncio
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from agent_worker import prompts
from interviews.models import Interview, Stage
from interviews.services.invites import NewInterview, interview_create
from tests.browser.conftest import chromium
from tests.e2e.conftest import AgentProcess
from tests.e2e.test_interview import answer, join, wait_for_caption
from tests.factories import CandidateFactory, PositionFactory, QuestionFactory
from tests.provider_protocol.candidate import Candidate
from tests.provider_protocol.openai_server import ESPEAK_SAMPLE_RATE, SAMPLE_RATE
from tests.provider_protocol.test_interviews_e2e import join_details

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUESTIONS = [
    (Stage.TECHNICAL, "How would you find a slow database query in production?"),
    (Stage.TECHNICAL, "When would you choose a queue over a direct call between services?"),
    (Stage.BEHAVIORAL, "Tell me about a time you disagreed with a teammate."),
]


def personal_invite() -> NewInterview:
    position = PositionFactory(
        title="Platform engineer", technical_questions=2, behavioral_questions=1
    )
    for order, (stage, text) in enumerate(QUESTIONS):
        QuestionFactory(position=position, stage=stage, text=text, order=order)
    candidate = CandidateFactory(name="Ada Example", position=position, experience_years=5)
    return interview_create(position=position, candidate=candidate)


def spoken_slowly(text: str) -> bytes:
    """espeak-ng saying `text` a little slowly, as PCM16 mono at the candidate's rate."""
    wav = subprocess.run(
        ["espeak-ng", "--stdout", "-v", "en-us", "-s", "140", "--", text],
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout
    samples = np.frombuffer(wav[44:], dtype=np.int16)
    target = np.linspace(0, len(samples) - 1, len(samples) * SAMPLE_RATE // ESPEAK_SAMPLE_RATE)
    return np.interp(target, np.arange(len(samples)), samples).astype(np.int16).tobytes()


def start_agent(livekit, tmp_path: Path, **env: str) -> AgentProcess:
    agent = AgentProcess(livekit, tmp_path / "agent.log", env=env).start()
    agent.wait_registered()
    return agent


def main_questions(interview: Interview) -> list:
    return list(interview.asked.filter(follow_up_to__isnull=True).order_by("sequence"))


def test_a_whole_interview_answered_aloud_is_stored_with_its_words(
    live_server, livekit_settings, tmp_path
):
    new = personal_invite()
    agent = start_agent(livekit_settings, tmp_path)
    # Each answer's parts, spoken with a short pause between them; and the words that
    # must reach the stored answer (the tiny model may mishear one or two others).
    answers = [
        (["I would look at the error messages first.", "Then I would ask my team for help."],
         {"look", "error", "messages", "first", "team", "help"}),
        (["I would use a queue when the work can wait."], {"queue", "work", "wait"}),
        (["My team and I wrote down both plans and chose one together."],
         {"team", "wrote", "plans", "chose", "together"}),
    ]  # fmt: skip

    async def scenario() -> dict[str, str]:
        candidate = Candidate()
        details = await asyncio.to_thread(join_details, f"/interview/{new.invite_secret}/")
        await candidate.join(details["server_url"], details["participant_token"])
        try:
            await candidate._wait(
                lambda: (
                    (candidate.agent() is not None)
                    and candidate.agent().attributes.get("interview.hears_speech") == "true"
                ),
                "the interviewer to say it hears speech",
            )
            for (_stage, question), (parts, _words) in zip(QUESTIONS, answers, strict=True):
                await candidate.sees(question)
                await candidate.interviewer_listens()
                for part in parts:
                    await candidate.speak(spoken_slowly(part))
            await candidate.sees(prompts.CLOSING_REMARKS)
            return dict(candidate.captions)
        finally:
            await candidate.leave()

    try:
        captions = asyncio.run(scenario())
    except Exception as failure:
        raise AssertionError(f"agent log:\n{agent.log()[-6000:]}") from failure
    finally:
        agent.stop()

    interview = Interview.objects.get(pk=new.interview.pk)
    said = list(interview.transcript.values_list("speaker", "text"))
    assert interview.status == Interview.Status.COMPLETED, said
    asked = main_questions(interview)
    assert [q.text for q in asked] == [text for _stage, text in QUESTIONS]
    assert len([q for q in asked if q.answer]) == 3, said
    for question, (_parts, words) in zip(asked, answers, strict=True):
        heard = set(question.answer.lower().replace(".", " ").replace(",", " ").split())
        assert len(words & heard) >= 2, [q.answer for q in asked]
    candidate_lines = [s.text for s in interview.transcript.filter(speaker="candidate")]
    assert len(candidate_lines) == 3  # the two spoken parts of the first answer are one turn
    # The candidate sees their own words as captions.
    assert any("team" in caption.lower() for caption in captions.values()), captions


def test_a_personal_invite_in_natural_typed_sentences_with_a_repeat_a_skip_and_two_messages(
    live_server, livekit_settings, tmp_path
):
    new = personal_invite()
    agent = start_agent(livekit_settings, tmp_path, TYPED_ANSWER_PAUSE_SECONDS="2")

    async def scenario() -> None:
        async with chromium() as page:
            await join(page, live_server.url, path=f"/interview/{new.invite_secret}/")
            await wait_for_caption(page, QUESTIONS[0][1])
            await answer(page, "Sorry, could you repeat the question please?")
            await wait_for_caption(page, prompts.STRUCTURED_REPEAT_PREFIX)
            await answer(page, "I would start with the slow query log,")
            await answer(page, "then run explain on the worst query.")
            await wait_for_caption(page, QUESTIONS[1][1])
            await answer(page, "Can we skip this one?")
            await wait_for_caption(page, QUESTIONS[2][1])
            await answer(page, "We measured both designs and chose together. That's it.")
            await page.wait_for_selector("#step-done:not([hidden])", timeout=30_000)

    try:
        asyncio.run(scenario())
    except Exception as failure:
        raise AssertionError(f"agent log:\n{agent.log()[-6000:]}") from failure
    finally:
        agent.stop()

    interview = Interview.objects.get(pk=new.interview.pk)
    assert interview.status == Interview.Status.COMPLETED
    first, second, third = main_questions(interview)
    # The two messages are one answer.
    assert first.answer == (
        "I would start with the slow query log, then run explain on the worst query."
    )
    assert second.is_skipped and second.answer == ""
    assert third.answer.startswith("We measured both designs")
    candidate_lines = [s.text for s in interview.transcript.filter(speaker="candidate")]
    assert "Sorry, could you repeat the question please?" in candidate_lines
    assert not any("repeat" in q.answer for q in (first, second, third))


def test_a_text_only_interviewer_greets_the_candidate_and_asks_the_first_question(
    live_server, livekit_settings, tmp_path
):
    # No espeak-ng on PATH: the interviewer has no voice, only captions.
    new = personal_invite()
    agent = start_agent(livekit_settings, tmp_path, PATH=str(Path(sys.executable).parent))

    async def scenario() -> str:
        async with chromium() as page:
            await join(page, live_server.url, path=f"/interview/{new.invite_secret}/")
            await wait_for_caption(page, prompts.WELCOME_MESSAGE)
            await wait_for_caption(page, QUESTIONS[0][1])
            await page.wait_for_selector("#answer-how[data-hears-speech=true]", timeout=10_000)
            await answer(page, "The slow query log. That's it.")
            await wait_for_caption(page, QUESTIONS[1][1])
            return await page.inner_text("#answer-how")

    try:
        how = asyncio.run(scenario())
    except Exception as failure:
        raise AssertionError(f"agent log:\n{agent.log()[-6000:]}") from failure
    finally:
        agent.stop()

    assert "espeak-ng is not installed" in agent.log()
    assert "out loud" in how
    first = main_questions(Interview.objects.get(pk=new.interview.pk))[0]
    assert first.answer == "The slow query log. That's it."
