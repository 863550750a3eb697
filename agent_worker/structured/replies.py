"""The structured interviewer's replies: what it says (the greeting, the question, the
field it asks for next, said again when needed) and the tool step that follows once a
field is known (lookup_candidate, verify_email_code, create_candidate) or an answer is
complete (record_answer).
"""

from typing import Any

from agent_worker import prompts
from agent_worker.structured.identification import Identity
from agent_worker.structured.steps import CODING_WORK, CodingState, Stage, Step
from agent_worker.understanding import Asking, Request

MAX_FIELD_LENGTH = 200


class Replies:
    """The flow's replies; mixed into the structured flow."""

    # The flow's state (fields of the flow that mixes this in).
    stage: Stage
    identity: Identity
    question: dict[str, Any]
    answer_parts: list[str]
    coding: CodingState | None
    hears_speech: bool
    resumed: bool
    spoken: bool
    identified_name: str
    answered: bool
    skipped: Request | None
    went_back: bool
    last_asked_after_lookup: bool
    notes: list[str]

    def opening(self) -> list[str]:
        if self.spoken:
            return []
        parts = [prompts.RESUME_MESSAGE if self.resumed else prompts.WELCOME_MESSAGE]
        if not self.hears_speech:
            parts.append(prompts.STRUCTURED_TYPING_HINT)
        return parts

    def say(self, *parts: str) -> Step:
        text = " ".join(part for part in (*self.opening(), *self.notes, *parts) if part)
        return Step(text=text)

    def question_line(self) -> str:
        """The question as asked again: a submitted coding exercise's is the walk-through."""
        if self.coding is CodingState.SUBMITTED:
            return prompts.STRUCTURED_CODING_WALK_THROUGH
        return self._numbered_question()

    def _numbered_question(self) -> str:
        number = int(self.question.get("number") or 1)
        return f"Question {number}. {self.question.get('question', '')}"

    def _question_body(self) -> list[str]:
        """What asking the question says: a coding exercise is introduced before its task
        is read; one already submitted asks for the walk-through."""
        if self.coding is CodingState.WORKING:
            return [prompts.STRUCTURED_CODING_INTRO, self._numbered_question()]
        if self.coding is CodingState.SUBMITTED:
            return [
                self._numbered_question(),
                prompts.STRUCTURED_CODING_ALREADY_SUBMITTED,
                prompts.STRUCTURED_CODING_WALK_THROUGH,
            ]
        return [self._numbered_question()]

    def ask_question(self) -> Step:
        parts: list[str] = []
        if self.identified_name:
            parts.append(f"Thank you, {self.identified_name}.")
        if self.went_back:
            parts.append(prompts.STRUCTURED_GOING_BACK)
        elif self.skipped is Request.DONT_KNOW:
            parts.append(prompts.STRUCTURED_SKIPPED_DONT_KNOW)
        elif self.skipped is not None:
            parts.append(prompts.STRUCTURED_SKIPPED)
        elif self.answered:
            number = int(self.question.get("number") or 1)
            acknowledgements = prompts.STRUCTURED_ACKNOWLEDGEMENTS
            parts.append(acknowledgements[number % len(acknowledgements)])
        return self.say(*parts, *self._question_body())

    def reprompt(self, *before: str) -> Step:
        """Ask again for what is open now: the question, or the missing field."""
        if self.stage is Stage.ASKING and self.coding in CODING_WORK:
            return self.say(*before)  # the task is on screen
        if self.stage is Stage.ASKING:
            return self.say(*before, self.question_line())
        if self.stage is Stage.IDENTIFYING:
            return self.next_identification_step(*before)
        return self.say(*before)

    def ask_field(self, asking: Asking, *before: str) -> Step:
        if asking is Asking.EMAIL:
            return self.say(*before, prompts.STRUCTURED_ASK_EMAIL)
        if asking is Asking.NAME:
            ask = (
                prompts.STRUCTURED_ASK_NAME
                if self.last_asked_after_lookup
                else prompts.STRUCTURED_ASK_NAME_AGAIN
            )
            return self.say(*before, ask)
        if asking is Asking.POSITION:
            ask = prompts.STRUCTURED_ASK_POSITION
            if before:
                ask = ask.removeprefix("Thank you. ")
            return self.say(*before, ask)
        return self.say(*before, prompts.STRUCTURED_ASK_EXPERIENCE)

    def next_identification_step(self, *before: str) -> Step:
        identity = self.identity
        asking = identity.asking()
        if asking is not None:
            return self.ask_field(asking, *before)
        if identity.email is not None and identity.looked_up != identity.email:
            return Step(tool="lookup_candidate", arguments={"email": identity.email})
        if identity.verified != identity.email:
            if identity.code is None:
                return self.say(*before, prompts.CODE_SENT_MESSAGE)
            return Step(tool="verify_email_code", arguments={"code": identity.code})
        arguments = {
            "name": (identity.name or "")[:MAX_FIELD_LENGTH],
            "email": identity.email,
            "position": (identity.position or "")[:MAX_FIELD_LENGTH],
            "experience": "" if identity.experience is None else identity.experience,
        }
        if identity.unconfirmed:
            arguments["unconfirmed"] = ",".join(identity.unconfirmed)
        return Step(tool="create_candidate", arguments=arguments)

    def record_step(self) -> Step:
        return Step(tool="record_answer", arguments={"answer": " ".join(self.answer_parts)})
