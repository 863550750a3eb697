"""Text-to-speech with the local `espeak-ng` program: no provider, no network.

`espeak-ng --stdout` writes a WAV file: 16-bit mono PCM at 22050 Hz after a 44-byte
header. The header is skipped and the samples are pushed as raw PCM.
"""

import asyncio
import shutil

from livekit.agents import APIConnectionError, APIConnectOptions, tts, utils
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS

SAMPLE_RATE = 22050
NUM_CHANNELS = 1
WAV_HEADER_BYTES = 44
# espeak-ng reads its text from the command line: keep one utterance bounded.
MAX_TEXT_LENGTH = 4000


def espeak_path() -> str | None:
    """Where `espeak-ng` is installed, or None."""
    return shutil.which("espeak-ng")


class EspeakTTS(tts.TTS):
    def __init__(self, *, voice: str = "en-us", words_per_minute: int = 165) -> None:
        super().__init__(
            capabilities=tts.TTSCapabilities(streaming=False),
            sample_rate=SAMPLE_RATE,
            num_channels=NUM_CHANNELS,
        )
        program = espeak_path()
        if program is None:
            raise RuntimeError("espeak-ng is not installed (Debian: apt-get install espeak-ng)")
        self._program = program
        self._voice = voice
        self._words_per_minute = words_per_minute

    @property
    def model(self) -> str:
        return "espeak-ng"

    @property
    def provider(self) -> str:
        return "local"

    def synthesize(
        self, text: str, *, conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS
    ) -> tts.ChunkedStream:
        return _EspeakStream(tts=self, input_text=text, conn_options=conn_options)


class _EspeakStream(tts.ChunkedStream):
    def __init__(self, *, tts: EspeakTTS, input_text: str, conn_options: APIConnectOptions):
        super().__init__(tts=tts, input_text=input_text, conn_options=conn_options)
        self._espeak = tts

    async def _run(self, output_emitter: tts.AudioEmitter) -> None:
        text = " ".join(self.input_text.split())[:MAX_TEXT_LENGTH]
        output_emitter.initialize(
            request_id=utils.shortuuid(),
            sample_rate=SAMPLE_RATE,
            num_channels=NUM_CHANNELS,
            mime_type="audio/pcm",
        )
        if not text:
            output_emitter.flush()
            return
        # "--" ends the options, so text starting with "-" is spoken, not parsed.
        process = await asyncio.create_subprocess_exec(
            self._espeak._program,
            "--stdout",
            "-v",
            self._espeak._voice,
            "-s",
            str(self._espeak._words_per_minute),
            "--",
            text,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            wav, errors = await asyncio.wait_for(
                process.communicate(), timeout=self._conn_options.timeout
            )
        except TimeoutError:
            process.kill()
            await process.wait()
            raise APIConnectionError("espeak-ng timed out") from None
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        if process.returncode != 0 or len(wav) <= WAV_HEADER_BYTES:
            raise APIConnectionError(
                f"espeak-ng failed ({process.returncode}): {errors.decode(errors='replace')[:200]}"
            )
        output_emitter.push(wav[WAV_HEADER_BYTES:])
        output_emitter.flush()
