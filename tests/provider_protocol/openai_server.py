"""A local OpenAI-compatible server that plays a scripted interviewer model.

It speaks the wire protocols exactly as livekit-plugins-openai 1.8.9 uses them, so our
sessions run through the real plugin, the real openai SDK and aiohttp, not a stand-in:

- `POST /v1/chat/completions`: streamed (server-sent events) chunks, text deltas and
  tool calls with their arguments in pieces, a usage chunk, `data: [DONE]`.
- `POST /v1/audio/transcriptions`: multipart WAV upload, JSON `{"text": ...}` (or
  `verbose_json`); the text is the candidate's next scripted utterance.
- `POST /v1/audio/speech`: `stream_format=sse` (`speech.audio.delta` events, then
  `speech.audio.done`) or plain audio bytes; `response_format` mp3, wav or pcm, 24 kHz
  mono. The audio is real speech from espeak-ng (a tone where it is not installed).
- `GET /v1/realtime` (websocket): the Realtime API's GA events: `session.update`,
  `conversation.item.create/delete/truncate`, `input_audio_buffer.append/commit/clear`
  with server voice activity detection and input transcription, `response.create`
  (`response.created`, `response.output_item.added`, `conversation.item.added`,
  `response.content_part.added`, `response.output_audio_transcript.delta`,
  `response.output_audio.delta`, `response.function_call_arguments.delta/done`,
  `response.output_item.done`, `response.done`), `response.cancel`; the transcription
  intent (`?intent=transcription`) as well.

What the model says and which tools it calls come from a policy: a callable that is
given the conversation so far (a `Conversation`) and returns `Say`, `Call` or `Reply`.
A test can also switch on a provider failure (`Failure`): 401, 429, 500, or a stalled
stream (headers, or the websocket handshake, then nothing); `stop()` makes the address
refuse connections. A malformed tool call is a policy's doing: `Call` with raw,
non-JSON `arguments`, or the name of a tool that does not exist.
"""

from __future__ import annotations

import asyncio
import base64
import enum
import io
import itertools
import json
import shutil
import subprocess
import threading
import time
import uuid
import wave
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import av
import numpy as np
from aiohttp import WSMsgType, web

SAMPLE_RATE = 24000
ESPEAK_SAMPLE_RATE = 22050
# espeak-ng's own default speaking rate.
ESPEAK_WORDS_PER_MINUTE = 175
WAV_HEADER_BYTES = 44
# The Realtime API's audio deltas and the speech stream's chunks: 100 ms of PCM16.
AUDIO_CHUNK_BYTES = SAMPLE_RATE // 10 * 2
# Server voice activity detection on the candidate's audio (PCM16 RMS).
SPEECH_RMS = 300.0
DEFAULT_SILENCE_MS = 500


# --- What the model sees --------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    role: str  # "user" or "assistant"
    text: str


@dataclass(frozen=True)
class ToolCall:
    call_id: str
    name: str
    arguments: str


@dataclass(frozen=True)
class ToolResult:
    call_id: str
    name: str
    output: str

    def parsed(self) -> Any:
        try:
            return json.loads(self.output)
        except ValueError:
            return self.output


Item = Message | ToolCall | ToolResult


@dataclass
class Conversation:
    """The request a policy answers, in one shape for Chat Completions and Realtime."""

    api: str  # "chat" or "realtime"
    instructions: str
    items: list[Item]
    tools: list[str]

    @property
    def last(self) -> Item | None:
        return self.items[-1] if self.items else None

    def tool_results(self, name: str) -> list[Any]:
        return [i.parsed() for i in self.items if isinstance(i, ToolResult) and i.name == name]

    def user_messages(self) -> list[str]:
        return [i.text for i in self.items if isinstance(i, Message) and i.role == "user"]

    def assistant_messages(self) -> list[str]:
        return [i.text for i in self.items if isinstance(i, Message) and i.role == "assistant"]


# --- What the model does --------------------------------------------------------------


@dataclass(frozen=True)
class Say:
    text: str


@dataclass(frozen=True)
class Call:
    name: str
    # A dict is sent as JSON; a string is sent as it is (a malformed call).
    arguments: dict[str, Any] | str = field(default_factory=dict)

    @property
    def raw_arguments(self) -> str:
        return self.arguments if isinstance(self.arguments, str) else json.dumps(self.arguments)


@dataclass(frozen=True)
class Reply:
    """Text and tool calls in one response."""

    text: str = ""
    calls: tuple[Call, ...] = ()


Action = Say | Call | Reply
Policy = Callable[[Conversation], Action]


def as_reply(action: Action) -> Reply:
    if isinstance(action, Say):
        return Reply(text=action.text)
    if isinstance(action, Call):
        return Reply(calls=(action,))
    return action


class ScriptedPolicy:
    """Plays its steps in order, one per model request; a step may be a function of the
    conversation. After the last step the model says nothing."""

    def __init__(self, *steps: Action | Policy) -> None:
        self._steps = deque(steps)
        self.seen: list[Conversation] = []

    @property
    def remaining(self) -> int:
        return len(self._steps)

    def __call__(self, conversation: Conversation) -> Action:
        self.seen.append(conversation)
        if not self._steps:
            return Say("")
        step = self._steps.popleft()
        return step if isinstance(step, Say | Call | Reply) else step(conversation)


# --- Failures -------------------------------------------------------------------------


class Failure(enum.Enum):
    UNAUTHORIZED = 401
    RATE_LIMITED = 429
    SERVER_ERROR = 500
    STALL = 0  # the response (or websocket) starts, then nothing comes


_ERROR_BODIES = {
    Failure.UNAUTHORIZED: {
        "message": "Incorrect API key provided.",
        "type": "invalid_request_error",
        "code": "invalid_api_key",
        "param": None,
    },
    Failure.RATE_LIMITED: {
        "message": "Rate limit reached for requests.",
        "type": "requests",
        "code": "rate_limit_exceeded",
        "param": None,
    },
    Failure.SERVER_ERROR: {
        "message": "The server had an error while processing your request.",
        "type": "server_error",
        "code": None,
        "param": None,
    },
}

ENDPOINTS = ("chat", "transcriptions", "speech", "realtime")


@dataclass(frozen=True)
class Request:
    endpoint: str
    body: dict[str, Any]
    authorization: str


# --- Audio ----------------------------------------------------------------------------


def spoken_pcm(
    text: str, *, sample_rate: int = SAMPLE_RATE, words_per_minute: int = ESPEAK_WORDS_PER_MINUTE
) -> bytes:
    """PCM16 mono speech of `text` (espeak-ng), or a tone as long as the text would take."""
    program = shutil.which("espeak-ng")
    samples: np.ndarray
    if program and text.strip():
        wav = subprocess.run(  # noqa: S603 - a fixed program and argument list
            [program, "--stdout", "-v", "en-us", "-s", str(words_per_minute), "--"]
            + [" ".join(text.split())[:2000]],
            capture_output=True,
            check=True,
            timeout=30,
        ).stdout
        samples = np.frombuffer(wav[WAV_HEADER_BYTES:], dtype=np.int16)
        source_rate = ESPEAK_SAMPLE_RATE
    else:
        seconds = max(0.3, 0.06 * len(text))
        t = np.arange(int(seconds * sample_rate)) / sample_rate
        samples = (np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16)
        source_rate = sample_rate
    if source_rate != sample_rate and len(samples):
        duration = len(samples) / source_rate
        target = np.linspace(0, len(samples) - 1, int(duration * sample_rate))
        samples = np.interp(target, np.arange(len(samples)), samples).astype(np.int16)
    return samples.tobytes()


def encode_audio(pcm: bytes, response_format: str) -> tuple[bytes, str]:
    """The speech endpoint's body in `response_format`, with its content type."""
    if response_format == "pcm":
        return pcm, "audio/pcm"
    if response_format == "wav":
        out = io.BytesIO()
        with wave.open(out, "wb") as target:
            target.setnchannels(1)
            target.setsampwidth(2)
            target.setframerate(SAMPLE_RATE)
            target.writeframes(pcm)
        return out.getvalue(), "audio/wav"
    if response_format == "mp3":
        out = io.BytesIO()
        with av.open(out, "w", format="mp3") as container:
            stream = container.add_stream("libmp3lame", rate=SAMPLE_RATE, layout="mono")
            samples = np.frombuffer(pcm, dtype=np.int16).reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(samples, format="s16p", layout="mono")
            frame.sample_rate = SAMPLE_RATE
            for packet in itertools.chain(stream.encode(frame), stream.encode(None)):
                container.mux(packet)
        return out.getvalue(), "audio/mpeg"
    raise ValueError(response_format)


def wav_seconds(data: bytes) -> float:
    try:
        with wave.open(io.BytesIO(data), "rb") as source:
            return source.getnframes() / source.getframerate()
    except (wave.Error, EOFError, ZeroDivisionError):
        return 0.0


def _chunks(data: bytes, size: int) -> Iterable[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def _text_chunks(text: str, size: int) -> list[str]:
    return [text[start : start + size] for start in range(0, len(text), size)]


def _text_pieces(text: str) -> list[str]:
    """Text as a model streams it: a few words per delta."""
    words = text.split(" ")
    return [
        " ".join(words[i : i + 3]) + (" " if i + 3 < len(words) else "")
        for i in range(0, len(words), 3)
    ]


def _new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:20]}"


# --- The server -----------------------------------------------------------------------


class ScriptedOpenAIServer:
    """Start with `start()` (or `with`); point the plugins at `base_url`."""

    def __init__(self, policy: Policy | None = None, *, api_key: str = "sk-test") -> None:
        self.policy: Policy = policy or ScriptedPolicy()
        self.api_key = api_key
        self.requests: list[Request] = []
        self.conversations: list[Conversation] = []
        # Realtime client events by type, in arrival order (audio appends counted only).
        self.realtime_events: list[str] = []
        # Each Realtime connection's session configuration, as the client set it.
        self.realtime_sessions: list[dict[str, Any]] = []
        self.audio_appended_bytes = 0
        self.speech_texts: list[str] = []
        # The model's voice (end-to-end tests speed it up).
        self.voice_words_per_minute = ESPEAK_WORDS_PER_MINUTE
        self.port: int | None = None
        self._utterances: deque[str] = deque()
        self._failures: dict[str, Failure] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._stopping: asyncio.Event | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self._lock = threading.Lock()

    # -- control, from the test's thread --

    @property
    def base_url(self) -> str:
        assert self.port is not None, "the server is not started"
        return f"http://127.0.0.1:{self.port}/v1"

    def candidate_says(self, *utterances: str) -> None:
        """What the next transcriptions (speech-to-text, Realtime input) return."""
        with self._lock:
            self._utterances.extend(utterances)

    @property
    def pending_utterances(self) -> int:
        with self._lock:
            return len(self._utterances)

    def fail(self, failure: Failure, *, endpoints: Iterable[str] = ENDPOINTS) -> None:
        for endpoint in endpoints:
            assert endpoint in ENDPOINTS, endpoint
            self._failures[endpoint] = failure

    def recover(self) -> None:
        self._failures.clear()

    def disconnect(self) -> None:
        """Drop every open Realtime websocket, as a service that went away does."""
        if self._loop is None:
            return

        async def close_all() -> None:
            for ws in list(self._sockets):
                await ws.close()

        # Not waited for: the client's side of the close runs on the caller's loop.
        asyncio.run_coroutine_threadsafe(close_all(), self._loop)

    def reset(self, policy: Policy | None = None) -> ScriptedOpenAIServer:
        """As if new (the same address): for the next test of a server shared by several."""
        with self._lock:
            self.policy = policy or ScriptedPolicy()
            self.requests.clear()
            self.conversations.clear()
            self.realtime_events.clear()
            self.realtime_sessions.clear()
            self.audio_appended_bytes = 0
            self.speech_texts.clear()
            self._utterances.clear()
            self._failures.clear()
        return self

    def requests_to(self, endpoint: str) -> list[Request]:
        return [r for r in self.requests if r.endpoint == endpoint]

    def start(self) -> ScriptedOpenAIServer:
        started = threading.Event()
        errors: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._start_site())
            except BaseException as error:  # noqa: BLE001 - reported to the starting thread
                errors.append(error)
                started.set()
                loop.close()
                return
            started.set()
            loop.run_forever()
            loop.run_until_complete(self._shutdown())
            loop.close()

        self._thread = threading.Thread(target=serve, name="scripted-openai-server", daemon=True)
        self._thread.start()
        started.wait(10)
        if errors:
            raise errors[0]
        return self

    def stop(self) -> None:
        """Close every connection and stop listening: the address refuses connections."""
        if self._loop is None or self._thread is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(15)
        assert not self._thread.is_alive(), "the scripted OpenAI server did not stop"
        self._loop = None
        self._thread = None

    def __enter__(self) -> ScriptedOpenAIServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    # -- lifecycle, on the server's loop --

    async def _start_site(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", self._chat_completions)
        app.router.add_post("/v1/audio/transcriptions", self._transcriptions)
        app.router.add_post("/v1/audio/speech", self._speech)
        app.router.add_get("/v1/realtime", self._realtime)
        app.router.add_get("/v1/models", self._models)
        app.router.add_get("/v1/", self._root)  # the speech plugin's prewarm
        self._stopping = asyncio.Event()
        self._runner = web.AppRunner(app, shutdown_timeout=2.0, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port or 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def _shutdown(self) -> None:
        assert self._stopping is not None and self._runner is not None
        self._stopping.set()
        for ws in list(self._sockets):
            await ws.close()
        await self._runner.cleanup()

    # -- helpers --

    def _next_utterance(self) -> str:
        with self._lock:
            return self._utterances.popleft() if self._utterances else ""

    def _decide(self, conversation: Conversation) -> Reply:
        self.conversations.append(conversation)
        return as_reply(self.policy(conversation))

    def _authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {self.api_key}"

    async def _refusal(self, request: web.Request, endpoint: str) -> web.StreamResponse | None:
        """The response a switched-on failure (or a wrong key) gives, or None."""
        failure = self._failures.get(endpoint)
        if failure is None and not self._authorized(request):
            failure = Failure.UNAUTHORIZED
        if failure is None:
            return None
        if failure is Failure.STALL:
            response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
            await response.prepare(request)
            assert self._stopping is not None
            await self._stopping.wait()
            return response
        return web.json_response(
            {"error": _ERROR_BODIES[failure]},
            status=failure.value,
            headers=_request_id(),
        )

    async def _root(self, _request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def _models(self, _request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": []})

    # -- Chat Completions --

    async def _chat_completions(self, request: web.Request) -> web.StreamResponse:
        if (refusal := await self._refusal(request, "chat")) is not None:
            return refusal
        body = await request.json()
        self.requests.append(Request("chat", body, request.headers.get("Authorization", "")))
        reply = self._decide(_conversation_from_messages(body))
        completion_id = _new_id("chatcmpl")
        created = int(time.time())
        model = body.get("model", "")

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
            return {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [
                    {"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}
                ],
            }

        calls = [(_new_id("call"), call) for call in reply.calls]
        if not body.get("stream"):
            message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
            if calls:
                message["tool_calls"] = [
                    {
                        "id": call_id,
                        "type": "function",
                        "function": {"name": call.name, "arguments": call.raw_arguments},
                    }
                    for call_id, call in calls
                ]
            return web.json_response(
                {
                    "id": completion_id,
                    "object": "chat.completion",
                    "created": created,
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "message": message,
                            "finish_reason": "tool_calls" if calls else "stop",
                            "logprobs": None,
                        }
                    ],
                    "usage": _chat_usage(),
                }
            )

        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", **_request_id()}
        )
        await response.prepare(request)

        async def send(data: dict[str, Any]) -> None:
            await response.write(f"data: {json.dumps(data)}\n\n".encode())

        await send(chunk({"role": "assistant", "content": ""}))
        if reply.text:
            for piece in _text_pieces(reply.text):
                await send(chunk({"content": piece}))
        for index, (call_id, call) in enumerate(calls):
            head = {"index": index, "id": call_id, "type": "function"}
            await send(
                chunk({"tool_calls": [{**head, "function": {"name": call.name, "arguments": ""}}]})
            )
            raw = call.raw_arguments
            for piece in _text_chunks(raw, 16):
                await send(
                    chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
                )
        await send(chunk({}, finish_reason="tool_calls" if calls else "stop"))
        if (body.get("stream_options") or {}).get("include_usage"):
            await send({**chunk({}), "choices": [], "usage": _chat_usage()})
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response

    # -- Audio --

    async def _transcriptions(self, request: web.Request) -> web.StreamResponse:
        if (refusal := await self._refusal(request, "transcriptions")) is not None:
            return refusal
        form = await request.post()
        upload = form.get("file")
        audio = upload.file.read() if upload is not None and hasattr(upload, "file") else b""
        fields = {k: str(v) for k, v in form.items() if k != "file"}
        seconds = wav_seconds(audio)
        self.requests.append(
            Request(
                "transcriptions",
                {**fields, "audio_seconds": seconds},
                request.headers.get("Authorization", ""),
            )
        )
        text = self._next_utterance()
        if fields.get("response_format") == "verbose_json":
            return web.json_response(
                {
                    "task": "transcribe",
                    "language": fields.get("language", "english"),
                    "duration": seconds,
                    "text": text,
                    "segments": [],
                }
            )
        return web.json_response(
            {"text": text, "usage": {"type": "duration", "seconds": max(1, round(seconds))}}
        )

    async def _speech(self, request: web.Request) -> web.StreamResponse:
        if (refusal := await self._refusal(request, "speech")) is not None:
            return refusal
        body = await request.json()
        self.requests.append(Request("speech", body, request.headers.get("Authorization", "")))
        text = body.get("input", "")
        self.speech_texts.append(text)
        response_format = body.get("response_format", "mp3")
        try:
            pcm = await asyncio.to_thread(
                spoken_pcm, text, words_per_minute=self.voice_words_per_minute
            )
            audio, content_type = encode_audio(pcm, response_format)
        except ValueError:
            return web.json_response(
                {
                    "error": {
                        "message": f"response_format {response_format} is not supported here",
                        "type": "invalid_request_error",
                        "code": None,
                        "param": "response_format",
                    }
                },
                status=400,
            )
        if body.get("stream_format") != "sse":
            return web.Response(body=audio, headers={"Content-Type": content_type, **_request_id()})
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", **_request_id()}
        )
        await response.prepare(request)
        for piece in _chunks(audio, AUDIO_CHUNK_BYTES):
            event = {"type": "speech.audio.delta", "audio": base64.b64encode(piece).decode()}
            await response.write(f"data: {json.dumps(event)}\n\n".encode())
        done = {
            "type": "speech.audio.done",
            "usage": {"input_tokens": len(text.split()), "output_tokens": len(pcm) // 960},
        }
        await response.write(f"data: {json.dumps(done)}\n\n".encode())
        await response.write_eof()
        return response

    # -- Realtime --

    async def _realtime(self, request: web.Request) -> web.StreamResponse:
        failure = self._failures.get("realtime")
        if failure is None and not self._authorized(request):
            failure = Failure.UNAUTHORIZED
        if failure is not None and failure is not Failure.STALL:
            # The handshake is refused with the HTTP status and the usual error body.
            return web.json_response({"error": _ERROR_BODIES[failure]}, status=failure.value)
        ws = web.WebSocketResponse(heartbeat=None, max_msg_size=0)
        await ws.prepare(request)
        self._sockets.add(ws)
        self.requests.append(
            Request("realtime", dict(request.query), request.headers.get("Authorization", ""))
        )
        try:
            if failure is Failure.STALL:
                async for _ in ws:
                    pass  # accepted, read, never answered
            else:
                session = _RealtimeSession(self, ws, intent=request.query.get("intent", ""))
                await session.run()
        finally:
            self._sockets.discard(ws)
        return ws


def _request_id() -> dict[str, str]:
    return {"x-request-id": _new_id("req")}


def _chat_usage() -> dict[str, Any]:
    return {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}


def _message_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            part.get("text", "") for part in content if isinstance(part, dict) and "text" in part
        )
    return ""


def _conversation_from_messages(body: dict[str, Any]) -> Conversation:
    instructions: list[str] = []
    items: list[Item] = []
    names: dict[str, str] = {}
    for message in body.get("messages", []):
        role = message.get("role")
        if role in ("system", "developer"):
            instructions.append(_message_text(message.get("content")))
        elif role == "user":
            items.append(Message("user", _message_text(message.get("content"))))
        elif role == "assistant":
            if text := _message_text(message.get("content")):
                items.append(Message("assistant", text))
            for call in message.get("tool_calls") or []:
                function = call.get("function", {})
                names[call["id"]] = function.get("name", "")
                items.append(
                    ToolCall(call["id"], function.get("name", ""), function.get("arguments", ""))
                )
        elif role == "tool":
            call_id = message.get("tool_call_id", "")
            items.append(
                ToolResult(call_id, names.get(call_id, ""), _message_text(message.get("content")))
            )
    tools = [t.get("function", {}).get("name", "") for t in body.get("tools") or []]
    return Conversation("chat", "\n".join(instructions), items, tools)


class _RealtimeSession:
    """One Realtime websocket: the conversation, the session config, the input buffer."""

    def __init__(self, server: ScriptedOpenAIServer, ws: web.WebSocketResponse, *, intent: str):
        self.server = server
        self.ws = ws
        self.transcription_only = intent == "transcription"
        self.session: dict[str, Any] = {
            "type": "transcription" if self.transcription_only else "realtime",
            "id": _new_id("sess"),
            "object": "realtime.session",
            "instructions": "",
            "tools": [],
            "output_modalities": ["audio"],
            "audio": {"input": {"turn_detection": {"type": "server_vad"}}, "output": {}},
        }
        server.realtime_sessions.append(self.session)
        self.items: list[dict[str, Any]] = []
        # Server voice activity detection over the appended audio.
        self.buffer = bytearray()
        self.buffer_ms = 0.0
        self.speaking = False
        self.speech_item_id = ""
        self.speech_start_ms = 0.0
        self.silence_ms = 0.0

    async def send(self, event: dict[str, Any]) -> None:
        await self.ws.send_json({"event_id": _new_id("event"), **event})

    async def run(self) -> None:
        await self.send({"type": "session.created", "session": self.session})
        async for message in self.ws:
            if message.type != WSMsgType.TEXT:
                continue
            event = json.loads(message.data)
            kind = event.get("type", "")
            if kind == "input_audio_buffer.append":
                self.server.audio_appended_bytes += len(event.get("audio", "")) * 3 // 4
            else:
                self.server.realtime_events.append(kind)
            handler = getattr(self, "on_" + kind.replace(".", "_"), None)
            if handler is None:
                await self.error(event, "invalid_request_error", f"Unknown event type {kind}")
                continue
            await handler(event)

    async def error(
        self, event: dict[str, Any], type_: str, message: str, code: str | None = None
    ) -> None:
        await self.send(
            {
                "type": "error",
                "error": {
                    "type": type_,
                    "code": code,
                    "message": message,
                    "param": None,
                    "event_id": event.get("event_id"),
                },
            }
        )

    # -- session and conversation --

    async def on_session_update(self, event: dict[str, Any]) -> None:
        update = event.get("session", {})
        for key, value in update.items():
            if key == "audio" and isinstance(value, dict):
                audio = self.session.setdefault("audio", {})
                for direction, config in value.items():
                    audio.setdefault(direction, {}).update(config or {})
            else:
                self.session[key] = value
        await self.send({"type": "session.updated", "session": self.session})

    def index_of(self, item_id: str | None) -> int | None:
        for index, item in enumerate(self.items):
            if item["id"] == item_id:
                return index
        return None

    async def add_item(self, item: dict[str, Any], previous_item_id: str | None) -> None:
        if previous_item_id == "root":
            position = 0
        elif previous_item_id is None:
            position = len(self.items)
        else:
            index = self.index_of(previous_item_id)
            position = len(self.items) if index is None else index + 1
        before = self.items[position - 1]["id"] if position > 0 else None
        self.items.insert(position, item)
        await self.send(
            {"type": "conversation.item.added", "previous_item_id": before, "item": item}
        )
        await self.send(
            {"type": "conversation.item.done", "previous_item_id": before, "item": item}
        )

    async def on_conversation_item_create(self, event: dict[str, Any]) -> None:
        item = dict(event.get("item", {}))
        item.setdefault("id", _new_id("item"))
        item.setdefault("object", "realtime.item")
        item.setdefault("status", "completed")
        if self.index_of(item["id"]) is not None:
            await self.error(
                event,
                "invalid_request_error",
                f"Item with id {item['id']} already exists",
                "item_create_duplicate_item_id",
            )
            return
        await self.add_item(item, event.get("previous_item_id"))

    async def on_conversation_item_delete(self, event: dict[str, Any]) -> None:
        index = self.index_of(event.get("item_id"))
        if index is None:
            await self.error(event, "invalid_request_error", "Item not found", "item_not_found")
            return
        del self.items[index]
        await self.send({"type": "conversation.item.deleted", "item_id": event["item_id"]})

    async def on_conversation_item_truncate(self, event: dict[str, Any]) -> None:
        await self.send(
            {
                "type": "conversation.item.truncated",
                "item_id": event.get("item_id"),
                "content_index": event.get("content_index", 0),
                "audio_end_ms": event.get("audio_end_ms", 0),
            }
        )

    # -- input audio --

    def turn_detection(self) -> dict[str, Any] | None:
        return self.session.get("audio", {}).get("input", {}).get("turn_detection")

    async def on_input_audio_buffer_append(self, event: dict[str, Any]) -> None:
        pcm = base64.b64decode(event.get("audio", ""))
        self.buffer.extend(pcm)
        duration_ms = len(pcm) / 2 / SAMPLE_RATE * 1000
        samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype=np.int16).astype(np.float64)
        loud = bool(len(samples)) and float(np.sqrt(np.mean(samples**2))) > SPEECH_RMS
        start_ms = self.buffer_ms
        self.buffer_ms += duration_ms
        detection = self.turn_detection()
        if detection is None:
            return
        if loud and not self.speaking:
            self.speaking = True
            self.silence_ms = 0.0
            self.speech_item_id = _new_id("item")
            self.speech_start_ms = start_ms
            await self.send(
                {
                    "type": "input_audio_buffer.speech_started",
                    "audio_start_ms": int(start_ms),
                    "item_id": self.speech_item_id,
                }
            )
        elif self.speaking:
            self.silence_ms = 0.0 if loud else self.silence_ms + duration_ms
            threshold = detection.get("silence_duration_ms") or DEFAULT_SILENCE_MS
            if self.silence_ms >= threshold:
                self.speaking = False
                await self.send(
                    {
                        "type": "input_audio_buffer.speech_stopped",
                        "audio_end_ms": int(self.buffer_ms),
                        "item_id": self.speech_item_id,
                    }
                )
                await self.commit(self.speech_item_id)
                if detection.get("create_response", True) and not self.transcription_only:
                    await self.respond({})

    async def on_input_audio_buffer_commit(self, event: dict[str, Any]) -> None:
        if len(self.buffer) < SAMPLE_RATE // 10 * 2:
            await self.error(
                event,
                "invalid_request_error",
                "Error committing input audio buffer: buffer too small.",
                "input_audio_buffer_commit_empty",
            )
            return
        await self.commit(_new_id("item"))

    async def on_input_audio_buffer_clear(self, _event: dict[str, Any]) -> None:
        self.buffer.clear()
        self.speaking = False
        await self.send({"type": "input_audio_buffer.cleared"})

    async def commit(self, item_id: str) -> None:
        self.buffer.clear()
        previous = self.items[-1]["id"] if self.items else None
        await self.send(
            {
                "type": "input_audio_buffer.committed",
                "previous_item_id": previous,
                "item_id": item_id,
            }
        )
        transcribes = self.transcription_only or (
            self.session.get("audio", {}).get("input", {}).get("transcription") is not None
        )
        item = {
            "id": item_id,
            "object": "realtime.item",
            "type": "message",
            "role": "user",
            "status": "completed",
            "content": [{"type": "input_audio", "transcript": None}],
        }
        if not self.transcription_only:
            await self.add_item(item, previous)
        if not transcribes:
            return
        transcript = self.server._next_utterance()
        item["content"][0]["transcript"] = transcript
        if transcript:
            await self.send(
                {
                    "type": "conversation.item.input_audio_transcription.delta",
                    "item_id": item_id,
                    "content_index": 0,
                    "delta": transcript,
                }
            )
        await self.send(
            {
                "type": "conversation.item.input_audio_transcription.completed",
                "item_id": item_id,
                "content_index": 0,
                "transcript": transcript,
                "usage": {"type": "duration", "seconds": 1},
            }
        )

    # -- responses --

    def conversation(
        self, instructions: str | None, tools: list[dict[str, Any]] | None
    ) -> Conversation:
        items: list[Item] = []
        names: dict[str, str] = {}
        # System messages in the conversation reach the model with its instructions, as
        # in Chat Completions (the interviewer's notes, such as a coding run's result).
        notes: list[str] = []
        for item in self.items:
            kind = item.get("type")
            if kind == "message" and item.get("role") in ("system", "developer"):
                notes.append("".join(part.get("text") or "" for part in item.get("content") or []))
            elif kind == "message" and item.get("role") in ("user", "assistant"):
                text = "".join(
                    (part.get("text") or part.get("transcript") or "")
                    for part in item.get("content") or []
                )
                items.append(Message(item["role"], text))
            elif kind == "function_call":
                names[item.get("call_id", "")] = item.get("name", "")
                items.append(
                    ToolCall(
                        item.get("call_id", ""), item.get("name", ""), item.get("arguments", "")
                    )
                )
            elif kind == "function_call_output":
                call_id = item.get("call_id", "")
                items.append(ToolResult(call_id, names.get(call_id, ""), item.get("output", "")))
        tool_list = tools if tools is not None else self.session.get("tools") or []
        base = instructions if instructions is not None else self.session.get("instructions") or ""
        return Conversation(
            "realtime",
            "\n".join([base, *notes]) if notes else base,
            items,
            [t.get("name", "") for t in tool_list],
        )

    async def on_response_create(self, event: dict[str, Any]) -> None:
        await self.respond(event.get("response") or {})

    async def on_response_cancel(self, event: dict[str, Any]) -> None:
        # Responses are produced whole, so there is never one in progress to cancel.
        await self.error(
            event, "invalid_request_error", "Cancellation failed: no active response found"
        )

    async def respond(self, params: dict[str, Any]) -> None:
        reply = self.server._decide(
            self.conversation(params.get("instructions"), params.get("tools"))
        )
        response_id = _new_id("resp")
        metadata = params.get("metadata")
        response = {
            "id": response_id,
            "object": "realtime.response",
            "status": "in_progress",
            "output": [],
            "metadata": metadata,
            "output_modalities": self.session.get("output_modalities") or ["audio"],
        }
        await self.send({"type": "response.created", "response": response})
        output: list[dict[str, Any]] = []
        if reply.text:
            output.append(await self.say(response_id, len(output), reply.text))
        for call in reply.calls:
            output.append(await self.call(response_id, len(output), call))
        await self.send(
            {
                "type": "response.done",
                "response": {
                    **response,
                    "status": "completed",
                    "output": output,
                    "usage": {"total_tokens": 120, "input_tokens": 100, "output_tokens": 20},
                },
            }
        )

    async def say(self, response_id: str, index: int, text: str) -> dict[str, Any]:
        audio = "audio" in (self.session.get("output_modalities") or ["audio"])
        item_id = _new_id("item")
        item = {
            "id": item_id,
            "object": "realtime.item",
            "type": "message",
            "role": "assistant",
            "status": "in_progress",
            "content": [],
        }
        where = {
            "response_id": response_id,
            "item_id": item_id,
            "output_index": index,
            "content_index": 0,
        }
        await self.send(
            {
                "type": "response.output_item.added",
                "response_id": response_id,
                "output_index": index,
                "item": item,
            }
        )
        await self.add_item(item, self.items[-1]["id"] if self.items else None)
        part = {"type": "audio", "transcript": ""} if audio else {"type": "text", "text": ""}
        await self.send({"type": "response.content_part.added", **where, "part": part})
        if audio:
            for piece in _text_pieces(text):
                await self.send(
                    {"type": "response.output_audio_transcript.delta", **where, "delta": piece}
                )
            pcm = await asyncio.to_thread(
                spoken_pcm, text, words_per_minute=self.server.voice_words_per_minute
            )
            for piece in _chunks(pcm, AUDIO_CHUNK_BYTES):
                await self.send(
                    {
                        "type": "response.output_audio.delta",
                        **where,
                        "delta": base64.b64encode(piece).decode(),
                    }
                )
            await self.send({"type": "response.output_audio.done", **where})
            await self.send(
                {"type": "response.output_audio_transcript.done", **where, "transcript": text}
            )
            content = {"type": "output_audio", "transcript": text}
            part = {"type": "audio", "transcript": text}
        else:
            for piece in _text_pieces(text):
                await self.send({"type": "response.output_text.delta", **where, "delta": piece})
            await self.send({"type": "response.output_text.done", **where, "text": text})
            content = {"type": "output_text", "text": text}
            part = {"type": "text", "text": text}
        await self.send({"type": "response.content_part.done", **where, "part": part})
        item.update(status="completed", content=[content])
        await self.send(
            {
                "type": "response.output_item.done",
                "response_id": response_id,
                "output_index": index,
                "item": item,
            }
        )
        return item

    async def call(self, response_id: str, index: int, call: Call) -> dict[str, Any]:
        item_id = _new_id("item")
        call_id = _new_id("call")[:32]
        item = {
            "id": item_id,
            "object": "realtime.item",
            "type": "function_call",
            "status": "in_progress",
            "call_id": call_id,
            "name": call.name,
            "arguments": "",
        }
        await self.send(
            {
                "type": "response.output_item.added",
                "response_id": response_id,
                "output_index": index,
                "item": item,
            }
        )
        await self.add_item(dict(item), self.items[-1]["id"] if self.items else None)
        raw = call.raw_arguments
        where = {
            "response_id": response_id,
            "item_id": item_id,
            "output_index": index,
            "call_id": call_id,
        }
        for piece in _text_chunks(raw, 16):
            await self.send(
                {"type": "response.function_call_arguments.delta", **where, "delta": piece}
            )
        await self.send(
            {
                "type": "response.function_call_arguments.done",
                **where,
                "name": call.name,
                "arguments": raw,
            }
        )
        item.update(status="completed", arguments=raw)
        stored = self.items[self.index_of(item_id)]
        stored.update(item)
        await self.send(
            {
                "type": "response.output_item.done",
                "response_id": response_id,
                "output_index": index,
                "item": item,
            }
        )
        return item
