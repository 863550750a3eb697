"""A deterministic interviewer that needs no AI provider, written as a livekit-agents LLM.

It drives the same tools as the AI modes, through the same AgentSession. It keeps no
memory of its own: each turn it replays the chat context (the candidate's messages and
the tools' JSON outputs) through the flow below, so the same history always gives the
same next step, and a restarted job continues from what the database says.

    start -> get_next_question -> (candidate unknown) ask email -> lookup_candidate
          -> (no profile) ask name, position, experience -> create_candidate
          -> get_next_question -> ask -> record_answer -> get_next_question ...
          -> (plan done) end_interview -> closing remarks
"""

import json
import re
from dataclasses import dataclass, field
from typing import Any

from livekit.agents import APIConnectOptions, llm, utils
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS, NOT_GIVEN, NotGivenOr

from agent_worker import prompts
from agent_worker.spoken import parse_experience_years, parse_spoken_email

MAX_FIELD_LENGTH = 200
_NAME_PREFIX = re.compile(r"^(?:my name is|my name's|i am|i'm|it is|it's|this is|name:)\s+", re.I)


@dataclass(frozen=True)
class Step:
    """What the interviewer does next: call one tool, or say something."""

    tool: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    text: str = ""


@dataclass
class _Flow:
    phase: str = "start"
    email: str = ""
    name: str = ""
    position: str = ""
    experience: str = ""
    answer: str = ""
    last: str = ""  # "user", "assistant" or "tool:<name>"
    output: dict[str, Any] = field(default_factory=dict)
    spoken: bool = False
    answered_since_spoken: bool = False
    identified_name: str = ""
    unreadable_input: bool = False

    def next_missing_field(self) -> str:
        for name in ("name", "position", "experience"):
            if not getattr(self, name):
                return f"awaiting_{name}"
        return "ready_to_create"

    def on_user(self, text: str) -> None:
        self.last = "user"
        self.unreadable_input = False
        text = " ".join(text.split())
        if self.phase == "awaiting_email":
            email = parse_spoken_email(text)
            if email:
                self.email, self.phase = email, "email_given"
            else:
                self.unreadable_input = True
        elif self.phase == "awaiting_name":
            self.name = _NAME_PREFIX.sub("", text).strip(" .!")[:MAX_FIELD_LENGTH]
            self.phase = self.next_missing_field()
        elif self.phase == "awaiting_position":
            self.position = text.strip(" .!")[:MAX_FIELD_LENGTH]
            self.phase = self.next_missing_field()
        elif self.phase == "awaiting_experience":
            if parse_experience_years(text) is None:
                self.unreadable_input = True
            else:
                self.experience = text[:MAX_FIELD_LENGTH]
                self.phase = self.next_missing_field()
        elif self.phase == "awaiting_answer":
            self.answer, self.phase = text, "answer_given"
        elif self.phase in ("question_failed", "finishing_failed"):
            self.phase = "identified" if self.phase == "question_failed" else "finishing"

    def on_assistant(self) -> None:
        self.last = "assistant"
        self.spoken = True
        self.answered_since_spoken = False
        self.identified_name = ""

    def on_tool_output(self, name: str, output: dict[str, Any]) -> None:
        self.last, self.output = f"tool:{name}", output
        succeeded = bool(output.get("ok"))
        code = str(output.get("code", ""))
        if code == "identify_quota":
            self.phase = "finishing"  # too many tries: stop here, the recruiter follows up
            return
        if name == "get_next_question":
            if succeeded:
                self.phase = "finishing" if output.get("done") else "awaiting_answer"
            elif code == "candidate_unknown":
                self.phase = "awaiting_email"
            else:
                self.phase = "question_failed"
        elif name == "lookup_candidate":
            if succeeded and output.get("found"):
                self.phase, self.identified_name = "identified", str(output.get("name", ""))
            elif succeeded:
                self.phase = self.next_missing_field()
            else:
                self.email, self.phase = "", "awaiting_email"
        elif name == "create_candidate":
            if succeeded:
                self.phase, self.identified_name = "identified", str(output.get("name", ""))
            else:
                self._forget_field_for(code)
        elif name == "record_answer":
            if succeeded:
                self.phase, self.answered_since_spoken = "answered", True
            else:
                self.phase = "awaiting_answer"
        elif name == "end_interview":
            self.phase = "closed" if succeeded else "finishing_failed"

    def _forget_field_for(self, code: str) -> None:
        if code.startswith("email") or code == "candidate_fixed":
            self.email, self.phase = "", "awaiting_email"
        elif code.startswith("name"):
            self.name = ""
        elif code.startswith("position"):
            self.position = ""
        elif code.startswith("experience") or code == "save_failed":
            self.experience = ""
        self.phase = self.next_missing_field() if self.email else "awaiting_email"


def _tool_output(raw: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return {"ok": False, "error": str(raw)}
    return data if isinstance(data, dict) else {"ok": False, "error": str(raw)}


def replay(items: list[llm.ChatItem]) -> _Flow:
    flow = _Flow()
    for item in items:
        if isinstance(item, llm.ChatMessage):
            if item.role == "user":
                flow.on_user(item.text_content or "")
            elif item.role == "assistant" and (item.text_content or "").strip():
                flow.on_assistant()
        elif isinstance(item, llm.FunctionCallOutput):
            flow.on_tool_output(item.name, _tool_output(item.output))
    return flow


def _problem_line(output: dict[str, Any]) -> str:
    """A candidate-facing sentence for a tool's refusal (its error text is for models)."""
    code = str(output.get("code", ""))
    if code == "save_failed":
        return prompts.STRUCTURED_SAVE_FAILED
    if code == "candidate_fixed":
        return "That address does not match this interview invitation."
    if code.startswith("email"):
        return "That email address does not look right."
    if code.startswith("position"):
        title = output.get("position")
        return f"I do not know that position. This interview is for {title}." if title else ""
    if code.startswith("experience"):
        return "Please give your experience as a whole number of years."
    if code.startswith("name"):
        return "I did not get your name."
    return "Sorry, that did not work."


def _opening(flow: _Flow, *, resumed: bool) -> list[str]:
    if flow.spoken:
        return []
    if resumed:
        return [prompts.RESUME_MESSAGE, prompts.STRUCTURED_TYPING_HINT]
    return [prompts.WELCOME_MESSAGE, prompts.STRUCTURED_TYPING_HINT]


def _question_text(flow: _Flow) -> str:
    output = flow.output
    parts = _opening(flow, resumed=bool(output.get("resumed")))
    if flow.identified_name:
        parts.append(f"Thank you, {flow.identified_name}.")
    number = int(output.get("number") or 1)
    if flow.answered_since_spoken:
        acknowledgements = prompts.STRUCTURED_ACKNOWLEDGEMENTS
        parts.append(acknowledgements[number % len(acknowledgements)])
    parts.append(f"Question {number}. {output.get('question', '')}")
    return " ".join(parts)


_PROMPT_FOR_FIELD = {
    "awaiting_name": prompts.STRUCTURED_ASK_NAME,
    "awaiting_position": prompts.STRUCTURED_ASK_POSITION,
    "awaiting_experience": prompts.STRUCTURED_ASK_EXPERIENCE,
}


def next_step(items: list[llm.ChatItem]) -> Step:
    """The interviewer's next move for this chat history."""
    flow = replay(items)
    phase, output = flow.phase, flow.output
    failed_tool = flow.last.startswith("tool:") and not output.get("ok")

    if phase in ("start", "identified", "answered"):
        return Step(tool="get_next_question")
    if phase == "email_given":
        return Step(tool="lookup_candidate", arguments={"email": flow.email})
    if phase == "ready_to_create":
        return Step(
            tool="create_candidate",
            arguments={
                "name": flow.name,
                "email": flow.email,
                "position": flow.position,
                "experience": flow.experience,
            },
        )
    if phase == "answer_given":
        return Step(tool="record_answer", arguments={"answer": flow.answer})
    if phase == "finishing":
        return Step(tool="end_interview")

    if phase == "awaiting_email":
        if flow.unreadable_input:
            return Step(text=prompts.STRUCTURED_EMAIL_NOT_UNDERSTOOD)
        if failed_tool and flow.last != "tool:get_next_question":
            return Step(text=f"{_problem_line(output)} {prompts.STRUCTURED_ASK_EMAIL}")
        return Step(text=" ".join([*_opening(flow, resumed=False), prompts.STRUCTURED_ASK_EMAIL]))
    if phase in _PROMPT_FOR_FIELD:
        ask = _PROMPT_FOR_FIELD[phase]
        if flow.unreadable_input:
            return Step(text="Please give your experience as a whole number of years, like 3.")
        if failed_tool:
            return Step(text=f"{_problem_line(output)} {ask}".strip())
        if phase != "awaiting_name" and flow.last == "user":
            ask = ask.removeprefix("Thank you. ")
            return Step(text=f"Thank you. {ask}")
        return Step(text=ask)
    if phase == "awaiting_answer":
        if flow.last == "tool:get_next_question":
            return Step(text=_question_text(flow))
        if failed_tool:
            if output.get("code") == "save_failed":
                return Step(text=prompts.STRUCTURED_SAVE_FAILED)
            return Step(text=prompts.STRUCTURED_REPEAT_ANSWER)
        return Step(text=prompts.STRUCTURED_TYPING_HINT)
    if phase in ("question_failed", "finishing_failed"):
        return Step(text=prompts.STRUCTURED_SAVE_FAILED)
    if phase == "closed":
        if flow.last == "tool:end_interview":
            closing = str(output.get("closing") or prompts.CLOSING_REMARKS)
            thanks = "Thank you for your answer. " if flow.answered_since_spoken else ""
            return Step(text=f"{thanks}{closing}")
        return Step()
    return Step()


class StructuredInterviewer(llm.LLM):
    """The provider-free interviewer. Use with the Interviewer agent's tools."""

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
            chat_ctx=chat_ctx,
            tools=tools or [],
            conn_options=conn_options,
            tools_allowed=tool_choice != "none",
        )


class _StructuredStream(llm.LLMStream):
    def __init__(self, *args: Any, tools_allowed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tools_allowed = tools_allowed

    async def _run(self) -> None:
        step = next_step(list(self._chat_ctx.items))
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
