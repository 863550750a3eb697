"""A whole interview answered aloud through Chromium's microphone (livekit-server,
`runagent`, the join page), and its recording: as long as the interview, each voice on
its channel where the transcript says it spoke.

Chromium's fake microphone plays the WAV file named by
`--use-file-for-fake-audio-capture=<path>%noloop` once, from the moment a capture device
is opened, then silence; it reads the file again at each opening. So each answer is
written to that path with espeak-ng at test time, once the interviewer listens, and the
candidate then changes microphone in the page's picker: the LiveKit client reopens the
published microphone on that device, and the new opening plays the new answer.
"""

import asyncio
import os
import subprocess
import wave
from pathlib import Path

import av
import numpy as np
import pytest

from agent_worker import prompts
from interviews.models import Interview, Recording, TranscriptSegment
from interviews.models.recordings import recordings_storage
from tests.browser.conftest import chromium
from tests.e2e.test_conversation import QUESTIONS, main_questions, personal_invite
from tests.e2e.test_interview import answer, join, wait_for_caption

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Each answer's parts (said with a short pause between them, shorter than the end of a
# turn), and its key words. The tiny offline model hears espeak-ng's voice imperfectly,
# more so after Chromium's audio processing, Opus and a busy machine ("error messages"
# became "camera message", "use a queue" "view a few"): these sentences it heard best
# through Chromium's microphone, and half of each answer's key words must be heard.
ANSWERS = [
    (["First I would check the logs, then I would look at the query plan.",
      "I would measure every query and fix the slowest one first."],
     {"first", "check", "logs", "look", "query", "plan", "measure", "every", "fix", "slowest"}),
    (["A direct call is simple, but a queue is better when the work takes a long time."],
     {"direct", "call", "simple", "queue", "better", "work", "takes", "long", "time"}),
    (["My team and I wrote down both plans and chose one together."],
     {"team", "wrote", "down", "both", "plans", "chose", "together"}),
]  # fmt: skip
PAUSE_BETWEEN_PARTS_SECONDS = 1.0
AROUND_THE_INTERVIEW_SECONDS = 15

# True once the interviewer has finished saying `question` (its caption is final) and
# listens.
ASKED_AND_LISTENING = """
question => [...document.querySelectorAll('#captions .caption:not(.interim)')]
    .some(c => c.querySelector('.speaker').textContent.trim() === 'Interviewer:'
      && c.querySelector('.text').textContent.includes(question))
  && document.querySelector('#agent-state').dataset.state === 'listening'
"""


def write_spoken(path: Path, parts: list[str]) -> None:
    """espeak-ng saying `parts` with a pause between them, written to `path` at once (a
    rename), so Chromium never opens half a file."""
    pieces, params = [], None
    for index, text in enumerate(parts):
        part = path.with_suffix(f".{index}.wav")
        subprocess.run(
            ["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(part), "--", text],
            check=True,
            timeout=30,
        )
        with wave.open(str(part), "rb") as source:
            params = source.getparams()
            pieces.append(source.readframes(source.getnframes()))
        part.unlink()
    second = params.sampwidth * params.nchannels * params.framerate
    pause = b"\x00" * int(second * PAUSE_BETWEEN_PARTS_SECONDS)
    written = path.with_suffix(".new.wav")
    with wave.open(str(written), "wb") as target:
        target.setparams(params)
        target.writeframes(pause.join(pieces))
    os.replace(written, path)


def write_silence(path: Path, *, seconds: float = 0.5, rate: int = 22050) -> None:
    with wave.open(str(path), "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(rate)
        target.writeframes(b"\x00\x00" * int(rate * seconds))


async def change_microphone(page) -> None:
    """Pick another microphone in the picker shown during the interview."""
    picker = page.locator("#call-mic-select")
    choices = await picker.locator("option").evaluate_all("options => options.map(o => o.value)")
    current = await picker.input_value()
    others = [choice for choice in choices if choice != current]
    assert others, f"only one microphone to choose from: {choices}"
    await picker.select_option(others[0])


async def what_the_page_shows(page) -> str:
    captions = await page.locator("#captions .caption").all_inner_texts()
    state = await page.get_attribute("#agent-state", "data-state")
    microphone = await page.locator("#call-mic-select").input_value()
    return f"interviewer: {state}, microphone: {microphone}, captions: {captions}"


# The interviewer asked whether the last message was the answer (and has not moved on).
ASKED_TO_CONFIRM = """
asked => {
  const said = [...document.querySelectorAll('#captions .caption:not(.interim)')]
    .filter(c => c.querySelector('.speaker').textContent.trim() === 'Interviewer:');
  const last = said.length ? said[said.length - 1].querySelector('.text').textContent : '';
  return last.includes(asked);
}
"""
CONFIRMED = "Yes, that is my answer."


async def confirm_if_asked(page) -> None:
    """The small model may mishear a word on a busy machine, and the interviewer then asks
    whether that was the answer (it never guesses into the record): the candidate says
    yes, typed, as a person would. Otherwise nothing to do: the next question comes."""
    asked = prompts.STRUCTURED_ANSWER_OR_MOMENT
    state = "() => document.querySelector('#agent-state').dataset.state"
    # Wait until the interviewer has replied to the answer (it speaks, then listens).
    await page.wait_for_function(f"() => ({state})() !== 'listening'", polling=100, timeout=60_000)
    await page.wait_for_function(f"() => ({state})() === 'listening'", polling=100, timeout=60_000)
    if await page.evaluate(ASKED_TO_CONFIRM, asked):
        await answer(page, CONFIRMED)


# A transcript line's first seconds in the recording, and how loud speech is there at
# least (root mean square, full scale 1): digital silence encodes to about 0.
SPOKEN_WINDOW_SECONDS = 2.0
SPEECH_RMS = 0.01


def recorded_channels(recording: Recording) -> np.ndarray:
    """The recording decoded: row 0 the candidate, row 1 the interviewer, at 48 kHz."""
    with recordings_storage().open(recording.file.name, "rb") as stored:
        with av.open(stored) as container:
            frames = [frame.to_ndarray() for frame in container.decode(audio=0)]
    return np.concatenate(frames, axis=1)


def loudness_where_said(recording: Recording, channels: np.ndarray) -> list[tuple]:
    """(speaker, text, loudness on the speaker's channel) for each line said aloud."""
    rows = []
    for segment in recording.interview.transcript.order_by("sequence"):
        if segment.text == CONFIRMED:
            continue  # typed
        at = recording.offset_of(segment.spoken_at)
        assert at is not None, (segment.text, segment.spoken_at, recording.parts)
        channel = 1 if segment.speaker == TranscriptSegment.Speaker.AGENT else 0
        start = int(at * 48_000)
        window = channels[channel, start : start + int(SPOKEN_WINDOW_SECONDS * 48_000)]
        rows.append((segment.speaker, segment.text, float(np.sqrt(np.mean(window**2)))))
    return rows


def key_words_heard(answer: str, words: set[str]) -> set[str]:
    return words & set("".join(c if c.isalnum() else " " for c in answer.lower()).split())


def test_a_whole_interview_answered_aloud_through_chromiums_microphone(
    live_server, agent, tmp_path
):
    new = personal_invite()
    microphone = tmp_path / "microphone.wav"
    # Silence while the microphone check and the interview open it.
    write_silence(microphone)

    async def scenario() -> list[str]:
        fake_microphone = f"--use-file-for-fake-audio-capture={microphone}%noloop"
        async with chromium(extra_args=(fake_microphone,)) as page:
            await join(page, live_server.url, path=f"/interview/{new.invite_secret}/")
            await page.wait_for_selector("#answer-how[data-hears-speech=true]", timeout=60_000)
            await page.wait_for_selector("#call-mic:not([hidden])")
            try:
                for (_stage, question), (parts, _words) in zip(QUESTIONS, ANSWERS, strict=True):
                    await page.wait_for_function(
                        ASKED_AND_LISTENING, arg=question, polling=100, timeout=60_000
                    )
                    await asyncio.to_thread(write_spoken, microphone, parts)
                    await change_microphone(page)
                    await confirm_if_asked(page)
                await wait_for_caption(page, prompts.CLOSING_REMARKS)
                await page.wait_for_selector("#step-done:not([hidden])", timeout=30_000)
            except Exception as failure:
                raise AssertionError(await what_the_page_shows(page)) from failure
            return await page.locator("#captions .caption").all_inner_texts()

    captions = agent.run(scenario())

    interview = Interview.objects.get(pk=new.interview.pk)
    said = list(interview.transcript.order_by("sequence").values_list("speaker", "text"))
    assert interview.status == Interview.Status.COMPLETED, said
    asked = main_questions(interview)
    assert [q.text for q in asked] == [text for _stage, text in QUESTIONS]
    # Each answer holds its own words: each opening of the microphone played the file
    # written for that question.
    for question, (_parts, words) in zip(asked, ANSWERS, strict=True):
        heard = key_words_heard(question.answer, words)
        assert len(heard) >= len(words) / 2, [q.answer for q in asked]
        assert not question.is_skipped
    candidate_lines = [
        text for speaker, text in said if speaker == "candidate" and text != CONFIRMED
    ]
    # The first answer's two parts are one turn.
    assert candidate_lines == [q.answer for q in asked], said
    # The candidate saw their spoken words captioned as theirs.
    spoken = " ".join(c for c in captions if c.startswith("You:"))
    for _parts, words in ANSWERS:
        assert len(key_words_heard(spoken, words)) >= len(words) / 2, captions

    # The recording, stored once the interviewer's job has ended.
    agent.wait_idle()
    recording = Recording.objects.select_related("interview").get(interview=interview)
    assert recording.status == Recording.Status.RECORDED, recording.reason
    lasted = (interview.ended_at - interview.started_at).total_seconds()
    # The whole interview is in it, and within 10 % of its length beyond it, plus the
    # moments around it that do not scale with its length: the recording begins when the
    # interviewer joins, before the interview's start is written, and ends once it has
    # left, 2 s after its last words (longer on a busy machine).
    assert recording.duration_seconds >= lasted - 1, recording.parts
    assert recording.duration_seconds <= lasted * 1.1 + AROUND_THE_INTERVIEW_SECONDS, (
        recording.parts
    )
    channels = recorded_channels(recording)
    assert channels.shape[1] / 48_000 == pytest.approx(recording.duration_seconds, rel=0.02)
    # Both voices, each where the transcript says it was said.
    loudness = loudness_where_said(recording, channels)
    assert {speaker for speaker, _text, _rms in loudness} == {"agent", "candidate"}
    assert all(rms > SPEECH_RMS for _speaker, _text, rms in loudness), loudness
