"""A deterministic interviewer that needs no AI provider, written as a livekit-agents LLM.

It drives the same tools as the AI modes, through the same AgentSession: each turn it
emits the one tool call or reply that the script (agent_worker.structured.flow) gives for
the chat history so far.
"""

import json
from typing import Any

from livekit.agents import APIConnectOptions, llm, utils
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS, NOT_GIVEN, NotGivenOr

from agent_worker import prompts
from agent_worker.structured.flow import FlowFollower
from agent_worker.structured.states import listening_for


class StructuredInterviewer(llm.LLM):
    """The provider-free interviewer. Use with the Interviewer agent's tools."""

    # The script always asks for the next question right after recording an answer:
    # record_answer returns it too, stored and picked in one transaction.
    takes_next_question_with_answer = True
    # What a long silence would mean after the last reply ("waiting", "anything_else"),
    # for the worker's silence timer; None when a silence means nothing.
    listening_for: str | None = None

    def __init__(self) -> None:
        super().__init__()
        # One interviewer per interview: its flow follows that interview's chat.
        self.follower = FlowFollower()

    @property
    def model(self) -> str:
        return "structured-interviewer"

    @property
    def provider(self) -> str:
        return "local"

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
        return _StructuredStream(
            self,
            interviewer=self,
            chat_ctx=chat_ctx,
            tools=tools or [],
            conn_options=conn_options,
            tools_allowed=tool_choice != "none",
        )


class _StructuredStream(llm.LLMStream):
    def __init__(
        self, *args: Any, interviewer: StructuredInterviewer, tools_allowed: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._interviewer = interviewer
        self._tools_allowed = tools_allowed

    async def _run(self) -> None:
        flow = self._interviewer.follower.follow(list(self._chat_ctx.items))
        step = flow.action
        self._interviewer.listening_for = listening_for(flow)
        chunk_id = utils.shortuuid("structured_")
        if step.tool and self._tools_allowed:
            call = llm.FunctionToolCall(
                name=step.tool,
                arguments=json.dumps(step.arguments),
                call_id=utils.shortuuid("call_"),
            )
            delta = llm.ChoiceDelta(role="assistant", tool_calls=[call])
        elif step.tool:
            delta = llm.ChoiceDelta(role="assistant", content=prompts.STRUCTURED_SAVE_FAILED)
        elif step.text:
            delta = llm.ChoiceDelta(role="assistant", content=step.text)
        else:
            return
        self._event_ch.send_nowait(llm.ChatChunk(id=chunk_id, delta=delta))
