"""The structured interviewer as a candidate meets it, end to end (livekit-server,
`runagent`, the web app): answered aloud, in natural typed sentences, and text only.

The spoken interview here has its candidate join through the LiveKit Python SDK and
publish espeak-ng speech made at test time through an `rtc.AudioSource`, with exact
pauses between an answer's parts. The same whole interview answered through Chromium's
microphone is in test_answered_aloud_in_chromium.
"""

import asyncio
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from agent_worker import prompts
from interviews.models import Interview, Stage
from interviews.services.invites import NewInterview, interview_create
from tests.browser.conftest import chromium, db
from tests.e2e.conftest import AgentProcess
from tests.e2e.test_interview import answer, join, wait_for_caption
from tests.factories import CandidateFactory, PositionFactory, QuestionFactory
from tests.provider_protocol.candidate import TRAILING_SILENCE_SECONDS, Candidate
from tests.provider_protocol.openai_server import ESPEAK_SAMPLE_RATE, SAMPLE_RATE
from tests.provider_protocol.test_interviews_e2e import join_details

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUESTIONS = [
    (Stage.TECHNICAL, "How would you find a slow database query in production?"),
    (Stage.TECHNICAL, "When would you choose a queue over a direct call between services?"),
    (Stage.BEHAVIORAL, "Tell me about a time you disagreed with a teammate."),
]


def personal_invite(questions=QUESTIONS) -> NewInterview:  # noqa: ANN001
    technical = sum(stage == Stage.TECHNICAL for stage, _ in questions)
    position = PositionFactory(
        title="Platform engineer",
        technical_questions=technical,
        behavioral_questions=len(questions) - technical,
    )
    for order, (stage, text) in enumerate(questions):
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


CONFIRMED = "Yes, that is my answer."


async def confirm_if_asked(candidate: Candidate, next_line: str) -> None:
    """Wait for `next_line`. The small model may mishear a word ("a queue" as "a Q"), and
    the interviewer then asks whether that was the answer: the candidate says yes, typed,
    as a person would, and the interview goes on."""
    asked = prompts.STRUCTURED_ANSWER_OR_MOMENT
    before = candidate.caption_count(asked)

    def moved_on_or_asked() -> bool:
        return bool(candidate.caption_count(next_line)) or candidate.caption_count(asked) > before

    await candidate._wait(moved_on_or_asked, f"the caption {next_line!r}")
    if not candidate.caption_count(next_line):
        await candidate.type(CONFIRMED)


def test_a_whole_interview_answered_aloud_is_stored_with_its_words(live_server, agent):
    new = personal_invite()
    # Each answer's parts, spoken with a short pause between them; and the words that
    # must reach the stored answer. The tiny model mishears some words of espeak-ng's
    # voice, more so when room audio is degraded by a busy machine ("would ask" becomes
    # "will best"), so the sentences are ones it hears well enough at several speaking
    # rates, with noise and with dropped packets.
    answers = [
        (["I would look at the error messages first.", "Then I ask my team for help."],
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
            # What the interviewer says once each answer is taken.
            following = [text for _stage, text in QUESTIONS[1:]]
            following.append(prompts.STRUCTURED_ANYTHING_ELSE)
            for (_stage, question), (parts, _words), next_line in zip(
                QUESTIONS, answers, following, strict=True
            ):
                await candidate.sees(question)
                await candidate.interviewer_listens()
                for number, part in enumerate(parts, start=1):
                    # Between the sentences of one answer, the short pause people make;
                    # after the last, quiet until the interviewer replies.
                    last = number == len(parts)
                    await candidate.speak(
                        spoken_slowly(part), then_quiet=TRAILING_SILENCE_SECONDS if last else 0.8
                    )
                await confirm_if_asked(candidate, next_line)
            await candidate.sees(prompts.CLOSING_REMARKS)
            return dict(candidate.captions)
        finally:
            await candidate.leave()

    captions = agent.run(scenario())

    interview = Interview.objects.get(pk=new.interview.pk)
    said = list(interview.transcript.values_list("speaker", "text"))
    assert interview.status == Interview.Status.COMPLETED, said
    asked = main_questions(interview)
    assert [q.text for q in asked] == [text for _stage, text in QUESTIONS]
    assert len([q for q in asked if q.answer]) == 3, said
    for question, (_parts, words) in zip(asked, answers, strict=True):
        heard = set(question.answer.lower().replace(".", " ").replace(",", " ").split())
        assert len(words & heard) >= 2, [q.answer for q in asked]
    candidate_lines = [
        s.text for s in interview.transcript.filter(speaker="candidate") if s.text != CONFIRMED
    ]
    assert len(candidate_lines) == 3  # the two spoken parts of the first answer are one turn
    # The candidate sees their own words as captions.
    assert any("team" in caption.lower() for caption in captions.values()), captions


def test_a_personal_invite_in_natural_typed_sentences_with_a_repeat_a_skip_and_two_messages(
    live_server, agent
):
    # The two messages of the first answer are one turn: the worker's typed-answer pause
    # is 2 s (QUICK_CONVERSATION).
    new = personal_invite()

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

    agent.run(scenario())

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

    how = agent.run(scenario(), then_stop=True)

    assert "espeak-ng is not installed" in agent.log()
    assert "out loud" in how
    first = main_questions(Interview.objects.get(pk=new.interview.pk))[0]
    assert first.answer == "The slow query log."  # "That's it" ended it; it is not filed


# Chromium's fake microphone opens the file when the page publishes its microphone and
# plays it in a loop: a long silence first (the interviewer joins, greets and asks the
# first question meanwhile, even on a loaded machine), the answer, then a long silence
# (far longer than the end-of-turn pause, so each playing is one turn).
MICROPHONE_ANSWER = "I would read the slow query log and check the missing indexes."
MICROPHONE_KEY_WORDS = {"read", "slow", "query", "log", "check", "missing", "indexes"}
SILENCE_BEFORE_SECONDS = 12
SILENCE_AFTER_SECONDS = 15
# Key words that must be heard: the tiny model may mishear a few.
ENOUGH_KEY_WORDS = 4


def microphone_file(path: Path) -> Path:
    """espeak-ng saying MICROPHONE_ANSWER between two long silences, as a WAV file."""
    subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(path), "--", MICROPHONE_ANSWER],
        check=True,
        timeout=30,
    )
    with wave.open(str(path), "rb") as source:
        params, speech = source.getparams(), source.readframes(source.getnframes())
    second = params.sampwidth * params.nchannels * params.framerate
    with wave.open(str(path), "wb") as target:
        target.setparams(params)
        target.writeframes(
            b"\x00" * second * SILENCE_BEFORE_SECONDS
            + speech
            + b"\x00" * second * SILENCE_AFTER_SECONDS
        )
    return path


def key_words_in(text: str) -> set[str]:
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    return MICROPHONE_KEY_WORDS & set(words)


# The candidate's own spoken words, captioned under "You" (typed ones say "You (typed)").
SPOKEN_CAPTIONS = """
() => [...document.querySelectorAll('#captions .caption:not(.interim)')]
  .filter(c => c.querySelector('.speaker').textContent.trim() === 'You:')
  .map(c => c.querySelector('.text').textContent)
"""
# True once a final "You:" caption holds enough of the key words.
SPOKEN_CAPTION_HEARD = """
([words, enough]) => [...document.querySelectorAll('#captions .caption:not(.interim)')]
  .filter(c => c.querySelector('.speaker').textContent.trim() === 'You:')
  .some(c => {
    const said = c.querySelector('.text').textContent.toLowerCase().split(/[^a-z0-9]+/);
    return words.filter(w => said.includes(w)).length >= enough;
  })
"""


def test_chromiums_microphone_reaches_the_offline_speech_to_text(live_server, agent, tmp_path):
    """The candidate answers through the browser's microphone: the words show as their
    caption, land in the transcript and in the answers.

    The first question is open from the greeting on, so the first words heard answer it,
    whether they interrupt the greeting or follow the question. Only when the file played
    before the interviewer listened can that first answer be the sentence's tail; the
    next playing, heard whole, answers the next question."""
    speech = microphone_file(tmp_path / "answer.wav")
    new = personal_invite()

    def what_happened() -> str:
        interview = Interview.objects.get(pk=new.interview.pk)
        said = list(interview.transcript.order_by("sequence").values_list("speaker", "text"))
        asked = [(q.text, q.answer, q.skipped_at) for q in main_questions(interview)]
        return f"transcript: {said}\nquestions: {asked}"

    def answers() -> list[str]:
        return [q.answer for q in main_questions(Interview.objects.get(pk=new.interview.pk))]

    def spoken_answer_recorded() -> bool:
        recorded = answers()
        return bool(recorded and recorded[0]) and any(
            len(key_words_in(answer)) >= ENOUGH_KEY_WORDS for answer in recorded
        )

    async def scenario() -> list[str]:
        fake_microphone = f"--use-file-for-fake-audio-capture={speech}"
        async with chromium(extra_args=(fake_microphone,)) as page:
            await join(page, live_server.url, path=f"/interview/{new.invite_secret}/")
            await page.wait_for_selector("#answer-how[data-hears-speech=true]", timeout=60_000)
            # One playing of the file lasts about 30 s; allow several on a loaded machine.
            await page.wait_for_function(
                SPOKEN_CAPTION_HEARD,
                arg=[sorted(MICROPHONE_KEY_WORDS), ENOUGH_KEY_WORDS],
                polling=250,
                timeout=180_000,
            )
            deadline = time.monotonic() + 90
            while not await db(spoken_answer_recorded):
                if time.monotonic() > deadline:
                    raise AssertionError(f"no spoken answer recorded\n{await db(what_happened)}")
                await page.wait_for_timeout(250)
            return await page.evaluate(SPOKEN_CAPTIONS)

    captions = agent.run(scenario())

    interview = Interview.objects.get(pk=new.interview.pk)
    happened = what_happened()
    recorded = [q.answer for q in main_questions(interview)]
    candidate_lines = [s.text for s in interview.transcript.filter(speaker="candidate")]
    # The first answer is the candidate's speech, as transcribed.
    assert len(key_words_in(recorded[0])) >= 2, happened
    assert recorded[0] in candidate_lines, happened
    # A playing heard whole is an answer, a transcript line and a caption.
    assert any(len(key_words_in(a)) >= ENOUGH_KEY_WORDS for a in recorded), happened
    assert any(len(key_words_in(s)) >= ENOUGH_KEY_WORDS for s in candidate_lines), happened
    assert any(len(key_words_in(c)) >= ENOUGH_KEY_WORDS for c in captions), captions
