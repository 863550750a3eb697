"""A stand-in for the model: an `llm.LLM` that plays a script, one step per call.

livekit-agents ships no fake LLM. Each step is a reply text or a tool call; the chat
contexts it was called with are kept, so a test can read what the tools returned.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from livekit.agents import APIConnectOptions, llm, utils
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS, NOT_GIVEN, NotGivenOr


@dataclass(frozen=True)
class Say:
    text: str


@dataclass(frozen=True)
class Call:
    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


class ScriptedLLM(llm.LLM):
    def __init__(self, *steps: Say | Call) -> None:
        super().__init__()
        self._steps = list(steps)
        self.calls: list[llm.ChatContext] = []

    @property
    def remaining(self) -> int:
        return len(self._steps)

    def tool_outputs(self, name: str) -> list[dict[str, Any]]:
        """Every output of tool `name` the model was shown, parsed, oldest first."""
        seen: dict[str, dict[str, Any]] = {}
        for chat_ctx in self.calls:
            for item in chat_ctx.items:
                if isinstance(item, llm.FunctionCallOutput) and item.name == name:
                    seen[item.call_id] = json.loads(item.output)
        return list(seen.values())

    def chat(
        self,
        *,
        chat_ctx: llm.ChatContext,
        tools: list[llm.Tool] | None = None,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
        parallel_tool_calls: NotGivenOr[bool] = NOT_GIVEN,
        tool_choice: NotGivenOr[llm.ToolChoice] = NOT_GIVEN,
        extra_kwargs: NotGivenOr[dict[str, Any]] = NOT_GIVEN,
    ) -> llm.LLMStream:
        self.calls.append(chat_ctx.copy())
        step = self._steps.pop(0) if self._steps else Say("")
        return _ScriptedStream(
            self, chat_ctx=chat_ctx, tools=tools or [], conn_options=conn_options, step=step
        )


class _ScriptedStream(llm.LLMStream):
    def __init__(self, *args: Any, step: Say | Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._step = step

    async def _run(self) -> None:
        if isinstance(self._step, Call):
            call = llm.FunctionToolCall(
                name=self._step.name,
                arguments=json.dumps(self._step.arguments),
                call_id=utils.shortuuid("call_"),
            )
            delta = llm.ChoiceDelta(role="assistant", tool_calls=[call])
        elif self._step.text:
            delta = llm.ChoiceDelta(role="assistant", content=self._step.text)
        else:
            return
        self._event_ch.send_nowait(llm.ChatChunk(id=utils.shortuuid(), delta=delta))
