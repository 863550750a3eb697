"""A candidate in the interview room through the LiveKit Python SDK: joins with the token
the web app issues, publishes a microphone and speaks into it, types on `lk.chat`, reads
the interviewer's captions on `lk.transcription` and listens to its audio."""

import asyncio
import time

import numpy as np
from livekit import rtc

from tests.provider_protocol.openai_server import SAMPLE_RATE

FRAME_SAMPLES = SAMPLE_RATE // 100  # 10 ms
# After an utterance: enough quiet for voice activity detection to end the turn.
TRAILING_SILENCE_SECONDS = 1.5


class Candidate:
    def __init__(self, *, patience: float = 45.0) -> None:
        # Seconds to wait for what the candidate expects to see next.
        self.patience = patience
        self.room = rtc.Room()
        self.captions: dict[str, str] = {}
        self.complete: set[str] = set()  # segments whose stream has ended
        self.agent_peak = 0
        self._changed = asyncio.Event()
        self._tasks: set[asyncio.Task] = set()
        self._microphone: rtc.AudioSource | None = None

    async def join(self, url: str, token: str, *, microphone: bool = True) -> None:
        """`microphone=False`: a candidate who only types (the browser refused the
        microphone); the interviewer then has no audio to listen to."""
        self.room.register_text_stream_handler("lk.transcription", self._on_caption)
        self.room.on("track_subscribed", self._on_track)
        self.room.on("participant_attributes_changed", lambda *_: self._changed.set())
        self.room.on("participant_disconnected", lambda *_: self._changed.set())
        await self.room.connect(url, token)
        if not microphone:
            return
        self._microphone = rtc.AudioSource(SAMPLE_RATE, 1)
        track = rtc.LocalAudioTrack.create_audio_track("microphone", self._microphone)
        await self.room.local_participant.publish_track(
            track, rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
        )

    async def leave(self) -> None:
        await self.room.disconnect()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _spawn(self, coroutine) -> None:  # noqa: ANN001
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _on_caption(self, reader: rtc.TextStreamReader, _sender: str) -> None:
        segment = (reader.info.attributes or {}).get("lk.segment_id") or reader.info.stream_id

        async def read() -> None:
            async for chunk in reader:
                self.captions[segment] = self.captions.get(segment, "") + chunk
                self._changed.set()
            self.complete.add(segment)
            self._changed.set()

        self._spawn(read())

    def _on_track(self, track: rtc.Track, *_: object) -> None:
        if track.kind != rtc.TrackKind.KIND_AUDIO:
            return

        async def listen() -> None:
            async for event in rtc.AudioStream(track, sample_rate=SAMPLE_RATE, num_channels=1):
                samples = np.frombuffer(event.frame.data, dtype=np.int16)
                if len(samples) and (loudest := int(np.abs(samples).max())) > self.agent_peak:
                    self.agent_peak = loudest
                    self._changed.set()

        self._spawn(listen())

    # -- waiting on what the candidate sees --

    async def _wait(self, condition, what: str, within: float | None = None) -> None:  # noqa: ANN001
        within = self.patience if within is None else within
        deadline = time.monotonic() + within
        while not condition():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"timed out waiting for {what}; captions: {list(self.captions.values())}"
                )
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.5))
            except TimeoutError:
                pass

    def caption_count(self, text: str) -> int:
        """Captions with `text` shown in full (the interviewer's finished saying them)."""
        return sum(
            text in caption
            for segment, caption in self.captions.items()
            if segment in self.complete
        )

    async def sees(self, text: str, *, times: int = 1) -> None:
        await self._wait(lambda: self.caption_count(text) >= times, f"the caption {text!r}")

    def agent(self) -> rtc.RemoteParticipant | None:
        for participant in self.room.remote_participants.values():
            if participant.kind == rtc.ParticipantKind.PARTICIPANT_KIND_AGENT:
                return participant
        return None

    async def interviewer_listens(self) -> None:
        def listening() -> bool:
            agent = self.agent()
            return agent is not None and agent.attributes.get("lk.agent.state") == "listening"

        await self._wait(listening, "the interviewer to listen")

    async def hears_the_interviewer(self) -> None:
        await self._wait(lambda: self.agent_peak > 1000, "the interviewer's voice")

    async def interviewer_leaves(self) -> None:
        await self._wait(lambda: self.agent() is None, "the interviewer to leave", within=60)

    # -- what the candidate does --

    async def speak(self, pcm: bytes, *, then_quiet: float = TRAILING_SILENCE_SECONDS) -> None:
        """PCM16 mono at SAMPLE_RATE into the microphone, in real time, then `then_quiet`
        seconds of quiet."""
        assert self._microphone is not None
        pcm = pcm + bytes(int(then_quiet * SAMPLE_RATE) * 2)
        step = FRAME_SAMPLES * 2
        for start in range(0, len(pcm) - step + 1, step):
            frame = rtc.AudioFrame(
                data=pcm[start : start + step],
                sample_rate=SAMPLE_RATE,
                num_channels=1,
                samples_per_channel=FRAME_SAMPLES,
            )
            await self._microphone.capture_frame(frame)
        await self._microphone.wait_for_playout()

    async def type(self, text: str) -> None:
        await self.room.local_participant.send_text(text, topic="lk.chat")
