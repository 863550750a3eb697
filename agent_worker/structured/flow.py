"""The structured interviewer's script: from a chat history, the next step.

It keeps no memory of its own: each turn it replays the chat context (the candidate's
messages and the tools' JSON outputs) through the flow below, so the same history always
gives the same next step, and a restarted job continues from what the database says.

    start -> get_next_question -> (candidate unknown) ask email -> lookup_candidate
          (a code is emailed) -> ask for the code -> verify_email_code
          -> (no profile) ask what is missing of name, position, experience
          -> create_candidate -> get_next_question -> ask -> record_answer ...
          -> (plan done) end_interview -> closing remarks

How it behaves like a patient person following a script:
- It never asks what is known: the position comes from the tools when they say it
  (`position` in the candidate_unknown refusal of get_next_question), and every field
  the candidate volunteers, in any message, is kept (agent_worker.understanding).
- Requests are not answers: repeat, clarify (once per question), skip or "I don't know"
  (skip_question), go back (previous_question), pause, and stop (confirmed once) each
  get their own response and never reach record_answer.
- An answer is every message the candidate sent since the question, joined.
- A field not understood twice is explained once, then the flow carries on: a name as
  given, the interview's position unconfirmed (both sent in create_candidate's
  `unconfirmed`, flagged for the recruiter), an experience left unknown (sent as "").
- When the tools say the candidate's speech is heard (`hears_speech`), the greeting does
  not ask them to type.
- At a coding exercise (structured_coding), nothing said while the candidate works is the
  answer: a hint request calls give_hint, and the job's note about the submission
  (a system message, agent_worker.coding_round) asks for the walk-through, which is.

What the flow says, and the tool step that follows a known field or a complete answer,
are in structured_replies; its identification steps in structured_identification, its
question-and-answer steps in structured_answering (all three mixed into the flow); the
Step it returns in structured_steps.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from livekit.agents import llm

from agent_worker import coding_round, prompts
from agent_worker.structured import coding
from agent_worker.structured import states as structured_states
from agent_worker.structured.answering import AnsweringHandling
from agent_worker.structured.identification import (
    MISSES_BEFORE_CARRYING_ON,
    IdentificationHandling,
    Identity,
)
from agent_worker.structured.replies import Replies
from agent_worker.structured.states import QuestionState
from agent_worker.structured.steps import (
    CODING_WORK,
    END,
    NEXT_QUESTION,
    SILENCE,
    CodingState,
    Stage,
    Step,
)
from agent_worker.understanding import (
    Asking,
    Intent,
    Request,
    Understanding,
    understand,
    without_finished_tail,
)
from agent_worker.understanding.codes import find_code
from interviews.errors import ErrorCode

# "Yeah, no, that's it" is not an answer that ends with "that's it": what comes before
# it must be a sentence of its own.
MIN_WORDS_BEFORE_THAT_S_IT = 4


# Replies first: the other mixins declare its methods as stubs, which it must override.
@dataclass
class _Flow(Replies, IdentificationHandling, AnsweringHandling):
    stage: Stage = Stage.START
    identity: Identity = field(default_factory=Identity)
    action: Step = NEXT_QUESTION
    # The question being asked (get_next_question's output).
    question: dict[str, Any] = field(default_factory=dict)
    answer_parts: list[str] = field(default_factory=list)
    clarified: bool = False
    paused: bool = False
    # Where the open question stands (structured_states), and a message the interviewer
    # asked about ("your answer, or a moment?") until the candidate says.
    question_state: QuestionState = QuestionState.OPEN
    pending: str = ""
    # At a coding exercise (structured_coding): working on it, or explaining it once
    # submitted; and whether thinking aloud was acknowledged.
    coding: CodingState | None = None
    coding_heard: bool = False
    confirming: str | None = None  # "stop" or "position"
    retry: str | None = None  # a tool to call again on the candidate's next message
    hears_speech: bool = False
    resumed: bool = False
    # Since the interviewer last spoke:
    spoken: bool = False
    identified_name: str = ""
    answered: bool = False
    skipped: Request | None = None
    went_back: bool = False
    said_before_closing: str = ""
    last_asked_after_lookup: bool = False
    # Said once with the next reply, even when a tool call comes first.
    notes: list[str] = field(default_factory=list)

    # --- The candidate -------------------------------------------------------------------

    def on_user(self, text: str) -> None:
        text = " ".join(text.replace("\x00", "").split())
        self.last_asked_after_lookup = False
        if self.stage is Stage.CLOSED or self.stage is Stage.CLOSING:
            self.action = SILENCE
            return
        if self.stage is Stage.START:
            # Typed before the interview started: keep what it says about the candidate.
            self.absorb(understand(text, asking=Asking.EMAIL), Asking.EMAIL)
            self.action = NEXT_QUESTION
            return
        if self.retry is not None:
            self.action, self.retry = Step(tool=self.retry), None
            if self.stage is Stage.IDENTIFYING:
                asking = self.identity.reading_as()
                self.absorb(
                    understand(
                        text, asking=asking, titles=self._titles(), aliases=self.identity.aliases
                    ),
                    asking,
                )
            return
        if self.stage is Stage.IDENTIFIED:
            self.action = NEXT_QUESTION
            return
        if self.stage is Stage.ASKING and self.confirming is None:
            self._at_question(text)
            return
        asking = self.identity.reading_as() if self.stage is Stage.IDENTIFYING else Asking.ANSWER
        if self.stage is Stage.IDENTIFYING and self.identity.awaiting_code():
            asking = Asking.CODE
        if self.confirming is not None:
            understood = understand(
                text,
                asking=Asking.CONFIRMATION,
                titles=self._titles(),
                aliases=self.identity.aliases,
            )
            if self._on_confirmation(text, understood):
                return
        understood = understand(
            text, asking=asking, titles=self._titles(), aliases=self.identity.aliases
        )
        request = understood.request
        if request is Request.STOP:
            self.confirming, self.action = "stop", self.say(prompts.STRUCTURED_CONFIRM_STOP)
            return
        if request is Request.PAUSE:
            self.paused, self.action = True, self.say(prompts.STRUCTURED_PAUSE)
            return
        if self.stage is Stage.IDENTIFYING and self.identity.awaiting_code():
            self.on_code(understood, find_code(text))
        elif self.stage is Stage.IDENTIFYING:
            self.on_identifying(text, understood, asking)
        else:
            self._at_question(text)
        self.paused = False

    def _at_question(self, text: str) -> None:
        if self.coding in CODING_WORK:
            coding.on_message(self, text)  # nothing is recorded while the candidate codes
        else:
            self.on_answering(text, self._understand_at_question(text))

    def _understand_at_question(self, text: str) -> Understanding:
        asking = Asking.ANSWER
        if self.question_state is QuestionState.CONFIRMING:
            asking = Asking.CONFIRMATION
        elif self.question_state in (QuestionState.ANYTHING_ELSE, QuestionState.ADDING):
            asking = Asking.ANYTHING_ELSE
        question = str(self.question.get("question", ""))
        if asking is Asking.ANSWER:
            # "... and that's it" ends an answer; what it means is what came before.
            said = without_finished_tail(text)
            if said != text.strip() and len(said.split()) >= MIN_WORDS_BEFORE_THAT_S_IT:
                before = understand(said, asking=asking, question=question)
                if structured_states.settled(before) is Intent.ANSWER:
                    return before
        return understand(text, asking=asking, question=question)

    def on_silence(self) -> None:
        structured_states.on_silence(self)

    def on_coding_note(self, note: coding_round.CodingNote) -> None:
        coding.on_note(self, note)

    def on_hint(self, output: dict[str, Any], succeeded: bool, code: str) -> None:
        coding.on_hint(self, output, succeeded, code)

    def _titles(self) -> tuple[str, ...]:
        titles = self.identity.titles
        if self.identity.title and self.identity.title not in titles:
            titles = (self.identity.title, *titles)
        return titles

    def _on_confirmation(self, text: str, understood: Understanding) -> bool:
        """Handle an answer to a yes/no question; False when it is not one."""
        request = understood.request
        confirming, self.confirming = self.confirming, None
        yes = request is Request.YES
        no = request is Request.NO
        if confirming in ("name", "email"):
            self.on_read_back(confirming, understood, yes=yes, no=no)
            return True
        if confirming == "stop":
            if yes or request is Request.STOP:
                self.stage, self.action = Stage.CLOSING, END
                return True
            if no:
                self.action = self.reprompt(prompts.STRUCTURED_CONTINUE)
                return True
            return False
        identity = self.identity
        title = identity.title or ""
        if request is None and understood.position is None:
            said = understand(
                text, asking=Asking.POSITION, titles=self._titles(), aliases=self.identity.aliases
            )
            if said.position is not None:
                yes = said.position == title
                no = not yes
        if yes:
            identity.position = ""
            self.action = self.next_identification_step()
        elif no:
            self.said_before_closing = prompts.STRUCTURED_WRONG_POSITION.format(title=title)
            self.stage, self.action = Stage.CLOSING, END
        elif request is Request.STOP:
            return False
        elif request is not None:
            self.confirming = "position"
            self.action = self.say(prompts.STRUCTURED_CONFIRM_POSITION.format(title=title))
        else:
            identity.misses["position"] += 1
            if identity.misses["position"] >= MISSES_BEFORE_CARRYING_ON:
                identity.position = ""
                identity.carry_on("position")
                self.action = self.next_identification_step()
            else:
                self.confirming = "position"
                self.action = self.say(prompts.STRUCTURED_CONFIRM_POSITION.format(title=title))
        return True

    # --- The interviewer's own turns and the tools ----------------------------------------

    def on_assistant(self) -> None:
        self.spoken = True
        self.notes = []
        self.identified_name = ""
        self.answered = False
        self.skipped = None
        self.went_back = False
        if self.stage is not Stage.CLOSED:
            self.action = self.reprompt()
        else:
            self.action = SILENCE

    def on_tool_output(self, name: str, output: dict[str, Any]) -> None:
        self.last_asked_after_lookup = False
        if isinstance(output.get("hears_speech"), bool):
            self.hears_speech = output["hears_speech"]
        code = str(output.get("code", ""))
        if code == ErrorCode.IDENTIFY_QUOTA:
            self.stage, self.action = Stage.CLOSING, END  # the recruiter follows up
            return
        handler = _TOOL_HANDLERS.get(name)
        if handler is not None:
            handler(self, output, bool(output.get("ok")), code)

    def _on_next_question(self, output: dict[str, Any], succeeded: bool, code: str) -> None:
        if succeeded and output.get("done"):
            structured_states.ask_anything_else(self)
        elif succeeded:
            self.start_question(output)
        elif code == ErrorCode.CANDIDATE_UNKNOWN:
            self.stage = Stage.IDENTIFYING
            identity = self.identity
            if isinstance(output.get("position"), str) and output["position"]:
                identity.title = output["position"]
                identity.position = ""  # known from the link: never asked
            if isinstance(output.get("positions"), list):
                identity.titles = tuple(t for t in output["positions"] if isinstance(t, str))
            if isinstance(output.get("aliases"), dict):
                identity.aliases = {
                    str(title): tuple(str(a) for a in aliases)
                    for title, aliases in output["aliases"].items()
                    if isinstance(aliases, list)
                }
            self.action = self.next_identification_step()
        else:
            self.retry = "get_next_question"
            self.action = self.say(prompts.STRUCTURED_TRY_AGAIN)

    def start_question(self, output: dict[str, Any]) -> None:
        self.stage, self.question = Stage.ASKING, output
        self.answer_parts, self.clarified, self.paused = [], False, False
        self.question_state, self.pending = QuestionState.OPEN, ""
        self.coding, self.coding_heard = coding.state_for(output), False
        if output.get("resumed"):
            self.resumed = True
        self.action = self.ask_question()


_TOOL_HANDLERS = {
    "get_next_question": _Flow._on_next_question,
    "lookup_candidate": _Flow.on_lookup,
    "verify_email_code": _Flow.on_verify,
    "create_candidate": _Flow.on_create,
    "record_answer": _Flow.on_record,
    "skip_question": _Flow.on_skip,
    "previous_question": _Flow.on_previous,
    "end_interview": _Flow.on_end,
    "give_hint": _Flow.on_hint,
}


def _tool_output(raw: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return {"ok": False, "error": str(raw)}
    return data if isinstance(data, dict) else {"ok": False, "error": str(raw)}


def _feed(flow: _Flow, item: llm.ChatItem) -> None:
    if isinstance(item, llm.ChatMessage):
        if item.role == "system" and (item.text_content or "") == prompts.SILENCE_NOTICE:
            flow.on_silence()
        elif item.role == "system" and (note := coding_round.read_note(item.text_content or "")):
            flow.on_coding_note(note)
        elif item.role == "user":
            flow.on_user(item.text_content or "")
        elif item.role == "assistant" and (item.text_content or "").strip():
            flow.on_assistant()
    elif isinstance(item, llm.FunctionCallOutput):
        flow.on_tool_output(item.name, _tool_output(item.output))


def replay(items: list[llm.ChatItem]) -> _Flow:
    """The flow after the whole chat history, read from its start."""
    flow = _Flow()
    for item in items:
        _feed(flow, item)
    return flow


def _signature(item: llm.ChatItem) -> tuple[str, ...]:
    """What the flow reads of an item, and its id."""
    if isinstance(item, llm.ChatMessage):
        return (item.id, item.role, item.text_content or "")
    if isinstance(item, llm.FunctionCallOutput):
        return (item.id, item.name, item.output)
    return (item.id, item.type)


class FlowFollower:
    """The flow of one interview, reading each turn only the chat items added since the
    last: every candidate message is understood once, not once per turn. When an earlier
    item changed or another came before it (LiveKit inserts a message by the time it was
    said), it reads the history from its start again, as `replay` does."""

    def __init__(self) -> None:
        self._flow = _Flow()
        self._read: list[tuple[str, ...]] = []

    def follow(self, items: list[llm.ChatItem]) -> _Flow:
        signatures = [_signature(item) for item in items]
        start = len(self._read)
        if signatures[:start] != self._read:
            self._flow, start = _Flow(), 0
        for item in items[start:]:
            _feed(self._flow, item)
        self._read = signatures
        return self._flow


def next_step(items: list[llm.ChatItem]) -> Step:
    """The interviewer's next move for this chat history."""
    return replay(items).action
