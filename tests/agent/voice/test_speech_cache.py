"""The interviewer's sentences are synthesized once per process and played from memory
after that; the fixed sentences are synthesized while a job process warms up."""

import asyncio

import pytest
from django.conf import settings as django_settings
from livekit.agents import tts, utils

from agent_worker import ai_modes, prompts
from agent_worker.voice import speech_cache
from agent_worker.voice.espeak_tts import espeak_path


class CountingTTS(tts.TTS):
    """A synthesizer whose audio is the text's bytes, counting what it was asked."""

    def __init__(self) -> None:
        super().__init__(
            capabilities=tts.TTSCapabilities(streaming=False), sample_rate=16000, num_channels=1
        )
        self.asked: list[str] = []

    def synthesize(self, text, *, conn_options=None):  # noqa: ANN001, ANN201
        self.asked.append(text)
        return _Stream(tts=self, input_text=text, conn_options=conn_options)


class _Stream(tts.ChunkedStream):
    async def _run(self, output_emitter: tts.AudioEmitter) -> None:
        output_emitter.initialize(
            request_id=utils.shortuuid(), sample_rate=16000, num_channels=1, mime_type="audio/pcm"
        )
        output_emitter.push(self.input_text.encode().ljust(640, b"\0"))
        output_emitter.flush()


@pytest.fixture(autouse=True)
def empty_cache():
    speech_cache.forget_all()
    yield
    speech_cache.forget_all()


async def _audio(speech: tts.TTS, text: str) -> bytes:
    async with speech.synthesize(text) as stream:
        return b"".join([bytes(audio.frame.data) async for audio in stream])


def test_a_sentence_said_again_is_not_synthesized_again():
    wrapped = CountingTTS()
    speech = speech_cache.CachedSpeech(wrapped, voice="counting")

    async def scenario() -> tuple[bytes, bytes, bytes]:
        first = await _audio(speech, "Question 1. Tell me about yourself.")
        again = await _audio(speech, "Question 1.  Tell me about yourself.")
        other = await _audio(speech, "Thank you.")
        return first, again, other

    first, again, other = asyncio.run(scenario())

    assert again == first
    assert other != first
    assert wrapped.asked == ["Question 1. Tell me about yourself.", "Thank you."]


def test_another_voice_does_not_reuse_the_audio():
    one, two = CountingTTS(), CountingTTS()

    async def scenario() -> None:
        await _audio(speech_cache.CachedSpeech(one, voice="a"), "Hello.")
        await _audio(speech_cache.CachedSpeech(two, voice="b"), "Hello.")

    asyncio.run(scenario())

    assert one.asked == ["Hello."] and two.asked == ["Hello."]


def test_the_cache_keeps_the_most_recent_sentences_within_its_size(monkeypatch):
    monkeypatch.setattr(speech_cache, "MAX_CACHED_BYTES", 10)
    speech_cache.remember("v", "one", b"12345")
    speech_cache.remember("v", "two", b"12345")
    speech_cache.remember("v", "three", b"12345")

    assert speech_cache.cached("v", "one") is None
    assert speech_cache.cached("v", "two") == b"12345"
    assert speech_cache.cached("v", "three") == b"12345"


@pytest.mark.skipif(espeak_path() is None, reason="espeak-ng is not installed")
def test_prewarm_synthesizes_the_greeting_the_session_will_say():
    assert ai_modes.prewarm_speech() > 0

    async def scenario() -> tuple[speech_cache.CachedSpeech, list[str], bytes]:
        plan = ai_modes.build_session("structured", vad_model=None)
        voice = plan.session.tts
        assert isinstance(voice, speech_cache.CachedSpeech)
        asked: list[str] = []
        original = voice.wrapped.synthesize
        voice.wrapped.synthesize = lambda text, **kw: asked.append(text) or original(text, **kw)
        return voice, asked, await _audio(voice, prompts.WELCOME_MESSAGE)

    voice, asked, audio = asyncio.run(scenario())

    assert voice.voice[1] == django_settings.ESPEAK_VOICE
    # Played from memory: the samples espeak-ng made for the sentence while warming up.
    assert asked == []
    remembered = speech_cache.cached(voice.voice, prompts.WELCOME_MESSAGE)
    assert remembered and audio[: len(remembered) // 2] == remembered[: len(remembered) // 2]


def test_the_interviewer_speaks_at_the_configured_rate(settings):
    async def seconds_of(words_per_minute: int) -> float:
        settings.ESPEAK_WORDS_PER_MINUTE = words_per_minute
        plan = ai_modes.build_session("structured", vad_model=None)
        assert plan.session.tts.voice[2] == words_per_minute
        audio = await _audio(plan.session.tts.wrapped, prompts.CLOSING_REMARKS)
        return len(audio) / 2 / plan.session.tts.sample_rate

    usual, fast = asyncio.run(seconds_of(165)), asyncio.run(seconds_of(330))

    assert 0.4 < fast / usual < 0.65
