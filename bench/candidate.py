"""A simulated candidate: the invite link, consent and the token endpoint over HTTP with a
cookie jar, then the LiveKit Python SDK in the room — a microphone track fed from a WAV
made with espeak-ng, answers typed on `lk.chat`, captions read from `lk.transcription`.
"""

import asyncio
import subprocess
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import numpy as np
from livekit import rtc

from agent_worker import prompts

FRAME_MS = 100
CAPTION_TIMEOUT = 60.0  # the first caption (a job process may have to start)
REPLY_TIMEOUT = 20.0  # a reply slower than this counts as a stalled interview
REMINDER_TIMEOUT = 8.0  # the sentence is 3 s long; the reminder follows its end
# A candidate in line asks as the join page does, every few seconds, until it is their turn.
ASK_INTERVIEWER_EVERY_S = 3.0
LINE_TIMEOUT = 600.0


def loopback_address(index: int) -> str:
    """One of 250 loopback addresses (Linux answers on all of 127.0.0.0/8)."""
    return f"127.0.{1 + index // 250}.{2 + index % 250}"


def make_wav(path: Path) -> Path:
    """A short spoken sentence, the candidate's microphone check."""
    subprocess.run(
        ["espeak-ng", "-w", str(path), "Hello, can you hear me? I will type my answers."],
        check=True,
    )
    return path


def read_wav(path: Path) -> tuple[int, np.ndarray]:
    with wave.open(str(path)) as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
        return wav.getframerate(), np.frombuffer(wav.readframes(wav.getnframes()), np.int16)


@dataclass
class Caption:
    opened_at: float
    text: asyncio.Future


@dataclass
class Outcome:
    ok: bool = False
    error: str = ""
    stalled: bool = False
    token_ms: float | None = None
    first_caption_s: float | None = None  # from the token request
    first_audio_frame_s: float | None = None
    first_audible_frame_s: float | None = None
    # Until the caption that asks question 1 is complete (said in full).
    first_question_s: float | None = None
    reply_latencies_s: list[float] = field(default_factory=list)
    # Every interviewer busy: the place the token gave, and when (from the token request)
    # the turn came; 0 for a candidate admitted at once.
    place: int | None = None
    admitted_s: float | None = None


def _cookie(session: aiohttp.ClientSession, name: str) -> str:
    for cookie in session.cookie_jar:
        if cookie.key == name:
            return cookie.value
    raise RuntimeError(f"no {name} cookie")


async def request_token(session: aiohttp.ClientSession, base_url: str, invite: str) -> dict:
    """Open the invite link, consent, and ask the token endpoint; returns its JSON and
    sets `_requested_at` to when the token request was sent."""
    async with session.get(f"{base_url}/interview/{invite}/") as response:
        if response.status != 200:
            raise RuntimeError(f"invite link answered {response.status}")
    headers = {"X-CSRFToken": _cookie(session, "csrftoken")}
    async with session.post(
        f"{base_url}/interview/consent",
        json={"choice": "consent", "consent": True},
        headers=headers,
    ) as response:
        if response.status != 200:
            raise RuntimeError(f"consent answered {response.status}: {await response.text()}")
    requested_at = time.perf_counter()
    async with session.post(f"{base_url}/interview/token", json={}, headers=headers) as response:
        if response.status != 201:
            raise RuntimeError(f"token answered {response.status}: {await response.text()}")
        data = await response.json()
    data["_requested_at"] = requested_at
    data["_token_ms"] = (time.perf_counter() - requested_at) * 1000
    return data


async def wait_for_turn(
    session: aiohttp.ClientSession, base_url: str, token: dict, outcome: Outcome
) -> None:
    """In line: ask the web app every few seconds, as the join page does, until the
    interviewer is sent; sets `admitted_s`."""
    since = token["_requested_at"]
    queue = token.get("queue")
    if not queue:
        outcome.admitted_s = 0.0
        return
    outcome.place = queue["place"]
    headers = {"X-CSRFToken": _cookie(session, "csrftoken")}
    deadline = time.perf_counter() + LINE_TIMEOUT
    while time.perf_counter() < deadline:
        await asyncio.sleep(ASK_INTERVIEWER_EVERY_S)
        async with session.post(
            f"{base_url}/interview/interviewer", json={}, headers=headers
        ) as response:
            answer = (await response.json()).get("interviewer") if response.ok else None
        if answer and answer != "queued":
            outcome.admitted_s = time.perf_counter() - since
            return
    raise TimeoutError("never admitted")


async def _publish_microphone(
    room: rtc.Room, rate: int, samples: np.ndarray, speak: asyncio.Event, stop: asyncio.Event
) -> None:
    """Silence, and the WAV once `speak` is set: the microphone of a candidate who says a
    sentence, then types. The agent receives, decodes and runs voice detection on all of
    it."""
    source = rtc.AudioSource(rate, 1)
    track = rtc.LocalAudioTrack.create_audio_track("microphone", source)
    options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
    await room.local_participant.publish_track(track, options)
    per_frame = rate * FRAME_MS // 1000
    silence = np.zeros(per_frame, np.int16)
    position, next_at = 0, time.perf_counter()
    while not stop.is_set():
        chunk = silence
        if speak.is_set() and position < len(samples):
            chunk = samples[position : position + per_frame]
            position += per_frame
            if len(chunk) < per_frame:
                chunk = np.concatenate([chunk, silence[: per_frame - len(chunk)]])
        await source.capture_frame(rtc.AudioFrame(chunk.tobytes(), rate, 1, per_frame))
        next_at += FRAME_MS / 1000
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))


async def _watch_agent_audio(track: rtc.Track, outcome: Outcome, since: float) -> None:
    stream = rtc.AudioStream(track)
    try:
        async for event in stream:
            now = time.perf_counter()
            if outcome.first_audio_frame_s is None:
                outcome.first_audio_frame_s = now - since
            if np.abs(np.frombuffer(event.frame.data, np.int16)).max(initial=0) > 300:
                outcome.first_audible_frame_s = now - since
                return
    finally:
        await stream.aclose()


async def interview(
    base_url: str,
    invite: str,
    answers: list[str],
    wav: tuple[int, np.ndarray],
    *,
    watch_audio: bool = False,
    greeting_only: bool = False,
    local_address: str | None = None,
) -> Outcome:
    """One candidate from the invite link to the closing remarks (or just the greeting)."""
    outcome = Outcome()
    captions: asyncio.Queue[Caption] = asyncio.Queue()
    tasks: set[asyncio.Task] = set()
    stop, speak = asyncio.Event(), asyncio.Event()
    room = rtc.Room()

    async def read_caption(reader: rtc.TextStreamReader, caption: Caption) -> None:
        try:
            caption.text.set_result(await reader.read_all())
        except Exception as error:  # noqa: BLE001 - reported through the future
            caption.text.set_exception(error)

    def on_caption(reader: rtc.TextStreamReader, identity: str) -> None:
        if not identity.startswith("agent-"):
            return
        caption = Caption(time.perf_counter(), asyncio.get_running_loop().create_future())
        tasks.add(asyncio.create_task(read_caption(reader, caption)))
        captions.put_nowait(caption)

    async def next_reply(answer: str) -> tuple[Caption, str]:
        """The next agent caption that is not our own words."""
        while True:
            caption = await captions.get()
            text = (await asyncio.wait_for(caption.text, REPLY_TIMEOUT)).strip()
            if text and text != answer:
                return caption, text

    async def reply_containing(expected: tuple[str, ...], answer: str) -> tuple[Caption, str]:
        """The next agent caption with one of `expected` in it, past any other (the
        candidate's own words, an acknowledgement said on its own)."""
        while True:
            caption, text = await next_reply(answer)
            if any(part in text for part in expected):
                return caption, text

    states: list[tuple[float, str]] = []

    def on_attributes(changed: dict[str, str], participant: rtc.Participant) -> None:
        if "lk.agent.state" in changed:
            states.append((time.perf_counter(), changed["lk.agent.state"]))

    async def agent_listening(after: float) -> None:
        """Until the interviewer has finished speaking what it began at `after`: a
        candidate answers after the question, not over it."""
        deadline = time.perf_counter() + REPLY_TIMEOUT * 2
        while time.perf_counter() < deadline:
            if any(at > after and state == "listening" for at, state in states):
                return
            await asyncio.sleep(0.02)
        raise TimeoutError("the interviewer never finished speaking")

    room.on("participant_attributes_changed", on_attributes)
    room.register_text_stream_handler("lk.transcription", on_caption)
    # Each candidate from an address of its own, as on the internet: the token endpoint
    # limits requests per address.
    connector = aiohttp.TCPConnector(local_addr=(local_address, 0)) if local_address else None
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar, connector=connector) as http:
        try:
            token = await request_token(http, base_url, invite)
            since = token["_requested_at"]
            outcome.token_ms = round(token["_token_ms"], 2)
            if watch_audio:

                def on_track(track: rtc.Track, *_: object) -> None:
                    if track.kind == rtc.TrackKind.KIND_AUDIO:
                        tasks.add(asyncio.create_task(_watch_agent_audio(track, outcome, since)))

                room.on("track_subscribed", on_track)
            await room.connect(token["server_url"], token["participant_token"])
            tasks.add(asyncio.create_task(_publish_microphone(room, *wav, speak, stop)))
            await wait_for_turn(http, base_url, token, outcome)
            caption = await asyncio.wait_for(captions.get(), CAPTION_TIMEOUT)
            outcome.first_caption_s = caption.opened_at - since
            if greeting_only:
                opening = await asyncio.wait_for(caption.text, REPLY_TIMEOUT * 2)
                if "Question 1." in opening:
                    outcome.first_question_s = time.perf_counter() - since
                if watch_audio:
                    deadline = time.perf_counter() + 10
                    while outcome.first_audible_frame_s is None and time.perf_counter() < deadline:  # noqa: ASYNC110
                        await asyncio.sleep(0.05)
                outcome.ok = True
                return outcome
            greeting = await asyncio.wait_for(caption.text, REPLY_TIMEOUT * 2)
            if "Question 1." not in greeting:
                raise RuntimeError(f"unexpected greeting: {greeting[:120]!r}")
            # The candidate says a sentence; the interviewer, which cannot transcribe it,
            # asks them to type (unless its voice detection is off). Then they type.
            await agent_listening(after=caption.opened_at)
            speak.set()
            # An interviewer that hears it says "I am here" and asks question 1 again
            # (after the candidate's words as a caption); one that cannot asks them to type.
            first_typed = 2
            try:
                opened = await asyncio.wait_for(captions.get(), REMINDER_TIMEOUT)
            except TimeoutError:
                opened = None  # voice detection off: no reply to the sentence
            if opened is not None:
                caption = opened
                reminder = (await asyncio.wait_for(caption.text, REPLY_TIMEOUT)).strip()
                replies = ("Question 1.", "Question 2.", prompts.TYPE_IN_CHAT_MESSAGE)
                if not any(reply in reminder for reply in replies):
                    caption, reminder = await asyncio.wait_for(
                        reply_containing(replies, ""), REPLY_TIMEOUT
                    )
                if "Question 2." in reminder:
                    # The interviewer took the sentence as the answer to question 1.
                    first_typed = 3
            typed = answers[first_typed - 2 :]
            for number, answer in enumerate(typed, start=first_typed):
                await agent_listening(after=caption.opened_at)
                sent_at = time.perf_counter()
                await room.local_participant.send_text(answer, topic="lk.chat")
                last = number > len(answers)  # the last answer closes the interview
                expected = prompts.CLOSING_REMARKS[:40] if last else f"Question {number}."
                try:
                    caption, text = await asyncio.wait_for(next_reply(answer), REPLY_TIMEOUT)
                    outcome.reply_latencies_s.append(caption.opened_at - sent_at)
                    if expected not in text:
                        # An acknowledgement first ("Noted, thank you."), then the question.
                        caption, text = await asyncio.wait_for(
                            reply_containing((expected,), answer), REPLY_TIMEOUT
                        )
                except TimeoutError:
                    outcome.stalled = True
                    raise
            outcome.ok = True
        except Exception as error:  # noqa: BLE001 - a failed interview is a result
            outcome.error = f"{type(error).__name__}: {error}"[:300]
        finally:
            stop.set()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await room.disconnect()
    return outcome
