"""The interviewer's sentences, synthesized once per process.

The structured interviewer says the same sentences to every candidate: the greeting, the
acknowledgements, each position's questions, the closing remarks. livekit-agents hands a
non-streaming text-to-speech one sentence at a time (its stream adapter cuts the reply
into sentences), so `CachedSpeech` keeps the audio of each sentence it has synthesized,
keyed by the voice and the text, and plays it again without starting the synthesizer.
The job process's prewarm fills it with the fixed sentences (`remember`), so even an
interview's first words come out of memory.
"""

from collections import OrderedDict
from collections.abc import Hashable

from livekit.agents import APIConnectOptions, tts, utils
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS

# About 2.5 s of 22 kHz 16-bit speech is 110 kB: the cap keeps a few hundred sentences.
MAX_CACHED_BYTES = 32 * 1024 * 1024
MAX_TEXT_LENGTH = 400  # longer texts are not sentences worth keeping

_cache: "OrderedDict[tuple[Hashable, str], bytes]" = OrderedDict()
_cached_bytes = 0


def _normal(text: str) -> str:
    return " ".join(text.split())


def cached(voice: Hashable, text: str) -> bytes | None:
    key = (voice, _normal(text))
    pcm = _cache.get(key)
    if pcm is not None:
        _cache.move_to_end(key)
    return pcm


def remember(voice: Hashable, text: str, pcm: bytes) -> None:
    """Keep `pcm` (the whole sentence's samples) as what `voice` says for `text`."""
    global _cached_bytes
    text = _normal(text)
    if not text or not pcm or len(text) > MAX_TEXT_LENGTH or len(pcm) > MAX_CACHED_BYTES:
        return
    key = (voice, text)
    previous = _cache.pop(key, None)
    _cached_bytes -= len(previous or b"")
    _cache[key] = pcm
    _cached_bytes += len(pcm)
    while _cached_bytes > MAX_CACHED_BYTES:
        _old, dropped = _cache.popitem(last=False)
        _cached_bytes -= len(dropped)


def forget_all() -> None:
    global _cached_bytes
    _cache.clear()
    _cached_bytes = 0


class CachedSpeech(tts.TTS):
    """`wrapped` (a non-streaming TTS producing 16-bit PCM), remembering each text's audio.
    `voice` names what makes the audio differ (program, voice, speed)."""

    def __init__(self, wrapped: tts.TTS, *, voice: Hashable) -> None:
        super().__init__(
            capabilities=tts.TTSCapabilities(streaming=False),
            sample_rate=wrapped.sample_rate,
            num_channels=wrapped.num_channels,
        )
        self.wrapped = wrapped
        self.voice = voice

    @property
    def model(self) -> str:
        return self.wrapped.model

    @property
    def provider(self) -> str:
        return self.wrapped.provider

    def synthesize(
        self, text: str, *, conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS
    ) -> tts.ChunkedStream:
        return _CachedStream(tts=self, input_text=text, conn_options=conn_options)

    async def aclose(self) -> None:
        await self.wrapped.aclose()


class _CachedStream(tts.ChunkedStream):
    def __init__(self, *, tts: CachedSpeech, input_text: str, conn_options: APIConnectOptions):
        super().__init__(tts=tts, input_text=input_text, conn_options=conn_options)
        self._speech = tts

    async def _run(self, output_emitter: tts.AudioEmitter) -> None:
        speech = self._speech
        output_emitter.initialize(
            request_id=utils.shortuuid(),
            sample_rate=speech.sample_rate,
            num_channels=speech.num_channels,
            mime_type="audio/pcm",
        )
        pcm = cached(speech.voice, self.input_text)
        if pcm is None:
            parts: list[bytes] = []
            # This stream retries; the wrapped one tries once per attempt.
            once = APIConnectOptions(max_retry=0, timeout=self._conn_options.timeout)
            async with speech.wrapped.synthesize(self.input_text, conn_options=once) as stream:
                async for audio in stream:
                    parts.append(bytes(audio.frame.data))
            pcm = b"".join(parts)
            remember(speech.voice, self.input_text, pcm)
        if pcm:
            output_emitter.push(pcm)
        output_emitter.flush()
