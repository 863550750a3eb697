"""The structured interviewer's answering: how it reads the candidate's messages while a
question is open (an answer, or a request: repeat, clarify, skip, go back, "that's it"),
and what it does with the record_answer, skip_question, previous_question and
end_interview results.
"""

from typing import Any

from agent_worker import prompts
from agent_worker.coding_round import NO_GOING_BACK
from agent_worker.structured import states as structured_states
from agent_worker.structured.steps import NEXT_QUESTION, Stage, Step
from agent_worker.understanding import Request, Understanding
from interviews.errors import ErrorCode

# An answer the tool refused as too long is sent again cut to this many characters.
MAX_RETRIED_ANSWER = 4000


class AnsweringHandling:
    """The flow's question-and-answer steps; mixed into the structured flow."""

    # The flow's state (fields of the flow that mixes this in).
    stage: Stage
    action: Step
    question: dict[str, Any]
    answer_parts: list[str]
    clarified: bool
    paused: bool
    retry: str | None
    answered: bool
    skipped: Request | None
    went_back: bool
    said_before_closing: str

    # What the flow says and does (its own methods).
    def say(self, *parts: str) -> Step:
        raise NotImplementedError

    def question_line(self) -> str:
        raise NotImplementedError

    def record_step(self) -> Step:
        raise NotImplementedError

    def start_question(self, output: dict[str, Any]) -> None:
        raise NotImplementedError

    def on_tool_output(self, name: str, output: dict[str, Any]) -> None:
        raise NotImplementedError

    def on_answering(self, text: str, understood: Understanding) -> None:
        structured_states.on_message(self, text, understood)  # type: ignore[arg-type]

    def on_record(self, output: dict[str, Any], succeeded: bool, code: str) -> None:
        if succeeded:
            self.answered, self.answer_parts = True, []
            self.action = NEXT_QUESTION
            if isinstance(output.get("next"), dict):
                # The next question came with the recorded answer: as if asked for.
                self.on_tool_output("get_next_question", output["next"])
        elif code == ErrorCode.ANSWER_TOO_LONG:
            answer = " ".join(self.answer_parts)[:MAX_RETRIED_ANSWER]
            self.action = Step(tool="record_answer", arguments={"answer": answer})
        elif code == ErrorCode.NO_OPEN_QUESTION:
            self.answer_parts, self.action = [], NEXT_QUESTION
        else:
            self.answer_parts = []
            line = prompts.STRUCTURED_REPEAT_ANSWER if code == ErrorCode.EMPTY else ""
            self.action = self.say(line or prompts.STRUCTURED_SAVE_FAILED)

    def on_skip(self, output: dict[str, Any], succeeded: bool, code: str) -> None:
        if succeeded:
            self.answer_parts, self.action = [], NEXT_QUESTION
        else:
            self.skipped = None
            self.action = self.say(prompts.STRUCTURED_CANNOT_SKIP, self.question_line())

    def on_previous(self, output: dict[str, Any], succeeded: bool, code: str) -> None:
        if succeeded:
            self.went_back = True
            if output.get("question"):
                self.start_question(output)
            else:
                self.action = NEXT_QUESTION
            return
        line = {
            ErrorCode.NO_PREVIOUS_QUESTION: prompts.STRUCTURED_NO_PREVIOUS,
            NO_GOING_BACK: prompts.STRUCTURED_CODING_NO_GOING_BACK,
        }.get(code, prompts.STRUCTURED_CANNOT_GO_BACK)
        self.action = self.say(line, self.question_line())

    def on_end(self, output: dict[str, Any], succeeded: bool, code: str) -> None:
        if not succeeded:
            self.retry = "end_interview"
            self.action = self.say(prompts.STRUCTURED_TRY_AGAIN)
            return
        self.stage = Stage.CLOSED
        closing = str(output.get("closing") or prompts.CLOSING_REMARKS)
        thanks = prompts.STRUCTURED_THANKS_FOR_ANSWER if self.answered else ""
        self.action = self.say(self.said_before_closing, thanks, closing)
