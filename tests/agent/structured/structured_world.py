"""The structured interviewer's flow without a session: a chat history built from
ChatMessage, FunctionCall and FunctionCallOutput items, and tools faked the way the
Interviewer answers (JSON with "ok", "code" and the same fields).

`Conversation.say(text)` adds the candidate's message (or several, as one burst) and
plays the interviewer's turn: tool calls answered by the fake tools until it speaks or
stays silent.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from livekit.agents import llm

from agent_worker import prompts
from agent_worker.structured.flow import FlowFollower, next_step

MAX_TOOL_STEPS = 6
# The code the fake lookup "emails".
EMAILED_CODE = "481203"


@dataclass
class FakeQuestion:
    stage: str
    text: str
    answer: str = ""
    skipped: bool = False
    asked: bool = False


@dataclass
class FakeInterview:
    """What the Interviewer's tools would read and write, kept in memory."""

    title: str = "Software Engineer"
    aliases: tuple[str, ...] = ("backend", "developer", "software engineering")
    kind: str = "open"
    # Fields the tools give the flow; None leaves a field out, as older tools do.
    says_position: bool = True
    hears_speech: bool | None = None
    accepts_unknown_experience: bool = True
    has_skip_tools: bool = True
    candidate: dict[str, Any] | None = None
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    questions: list[FakeQuestion] = field(
        default_factory=lambda: [
            FakeQuestion("technical", "How does a hash map work?"),
            FakeQuestion("technical", "How would you find a slow query?"),
            FakeQuestion("behavioral", "Tell me about a disagreement in your team."),
        ]
    )
    current: int | None = None
    outcome: str | None = None
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def run(self, name: str, arguments: dict[str, Any]) -> str:
        self.calls.append((name, arguments))
        tool = getattr(self, f"tool_{name}", None)
        if tool is None or (
            name in ("skip_question", "previous_question") and not self.has_skip_tools
        ):
            return f"Unknown function: {name}"
        return tool(**arguments)

    @staticmethod
    def ok(**data: Any) -> str:
        return json.dumps({"ok": True, **data})

    @staticmethod
    def refuse(code: str, **data: Any) -> str:
        return json.dumps({"ok": False, "code": code, "error": "(for models)", **data})

    def _speech(self) -> dict[str, Any]:
        return {} if self.hears_speech is None else {"hears_speech": self.hears_speech}

    def _question_output(self, index: int) -> str:
        question = self.questions[index]
        question.asked = True
        self.current = index
        return self.ok(
            done=False,
            number=index + 1,
            stage=question.stage,
            question=question.text,
            resumed=False,
            **self._speech(),
        )

    def tool_get_next_question(self) -> str:
        if self.candidate is None:
            extra: dict[str, Any] = self._speech()
            if self.says_position:
                extra.update(position=self.title, kind=self.kind)
            extra["aliases"] = {self.title: list(self.aliases)}
            return self.refuse("candidate_unknown", **extra)
        for index, question in enumerate(self.questions):
            if not question.answer and not question.skipped:
                return self._question_output(index)
        return self.ok(done=True, **self._speech())

    def tool_lookup_candidate(self, email: str) -> str:
        if "@" not in email:
            return self.refuse("email_invalid")
        self.code_sent_to = email
        return self.ok(code_sent=True)

    def tool_verify_email_code(self, code: str) -> str:
        email = getattr(self, "code_sent_to", None)
        if email is None:
            return self.refuse("code_missing")
        if code != EMAILED_CODE:
            return self.refuse("code_wrong")
        profile = self.profiles.get(email)
        if profile is None:
            return self.ok(verified=True, identified=False, email=email)
        self.candidate = profile
        return self.ok(verified=True, identified=True, name=profile["name"])

    def tool_create_candidate(
        self, name: str, email: str, position: str, experience: Any, unconfirmed: str = ""
    ) -> str:
        if not name.strip():
            return self.refuse("name_missing")
        if position and position.lower() != self.title.lower():
            return self.refuse("position_unknown", position=self.title)
        if experience == "" and not self.accepts_unknown_experience:
            return self.refuse("experience_invalid")
        self.candidate = {"name": name, "email": email, "experience": experience}
        self.profiles[email] = self.candidate
        return self.ok(created=True, name=name)

    def tool_record_answer(self, answer: str) -> str:
        if self.current is None:
            return self.refuse("no_open_question")
        self.questions[self.current].answer = answer
        self.current = None
        return self.ok(recorded=True)

    def tool_skip_question(self) -> str:
        if self.current is None:
            return self.refuse("no_open_question")
        self.questions[self.current].skipped = True
        self.current = None
        return self.ok(skipped=True)

    def tool_previous_question(self) -> str:
        done = [i for i, q in enumerate(self.questions) if q.answer or q.skipped]
        earlier = [i for i in done if self.current is None or i < self.current]
        if not earlier:
            return self.refuse("no_previous_question")
        if self.current is not None:
            self.questions[self.current].asked = False
        index = earlier[-1]
        self.questions[index].answer, self.questions[index].skipped = "", False
        return self._question_output(index)

    def tool_end_interview(self) -> str:
        done = all(q.answer or q.skipped for q in self.questions)
        self.outcome = "completed" if done else "interrupted"
        closing = prompts.CLOSING_REMARKS if done else prompts.EARLY_CLOSING_REMARKS
        return self.ok(status=self.outcome, closing=closing)


@dataclass
class Conversation:
    interview: FakeInterview = field(default_factory=FakeInterview)
    items: list[llm.ChatItem] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    # What the worker's interviewer does: follow the chat, reading each item once.
    follower: FlowFollower = field(default_factory=FlowFollower)

    def __post_init__(self) -> None:
        self._turn()

    @property
    def last(self) -> str:
        return self.replies[-1] if self.replies else ""

    def say(self, *messages: str) -> str:
        """The candidate sends these messages in a row; returns what the interviewer said
        ("" when it stays silent)."""
        for text in messages:
            self.items.append(llm.ChatMessage(role="user", content=[text]))
        return self._turn()

    def told(self, text: str) -> str:
        """The job adds a note to the conversation (a system message, as the coding round's
        news) and asks for a reply; returns what the interviewer said."""
        self.items.append(llm.ChatMessage(role="system", content=[text]))
        return self._turn()

    def _turn(self) -> str:
        for _ in range(MAX_TOOL_STEPS):
            step = self.follower.follow(list(self.items)).action
            # Reading only what was added comes to what reading it all does.
            assert step == next_step(list(self.items)), self.items
            if step.tool is None:
                if step.text:
                    self.items.append(llm.ChatMessage(role="assistant", content=[step.text]))
                    self.replies.append(step.text)
                return step.text
            call = llm.FunctionCall(
                call_id=f"call_{len(self.items)}",
                name=step.tool,
                arguments=json.dumps(step.arguments),
            )
            output = self.interview.run(step.tool, step.arguments)
            self.items.append(call)
            self.items.append(
                llm.FunctionCallOutput(
                    call_id=call.call_id, name=step.tool, output=output, is_error=False
                )
            )
        raise AssertionError("the interviewer called tools without ever speaking")

    def tools_called(self) -> list[str]:
        return [name for name, _ in self.interview.calls]

    def arguments_of(self, tool: str) -> list[dict[str, Any]]:
        return [arguments for name, arguments in self.interview.calls if name == tool]
