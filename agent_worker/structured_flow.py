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
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from livekit.agents import llm

from agent_worker import prompts
from agent_worker.email_codes import find_code
from agent_worker.understanding import (
    Asking,
    Request,
    Understanding,
    name_as_given,
    understand,
)

MAX_FIELD_LENGTH = 200
# An answer the tool refused as too long is sent again cut to this many characters.
MAX_RETRIED_ANSWER = 4000
# Misunderstandings of one field before the flow says what it needs and carries on.
MISSES_BEFORE_CARRYING_ON = 2
# A question this short, asked instead of an answer, is a request to clarify.
MAX_CLARIFYING_QUESTION_WORDS = 12


@dataclass(frozen=True)
class Step:
    """What the interviewer does next: call one tool, or say something."""

    tool: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    text: str = ""


class _Stage(StrEnum):
    START = "start"
    IDENTIFYING = "identifying"
    IDENTIFIED = "identified"
    ASKING = "asking"
    CLOSING = "closing"
    CLOSED = "closed"


_NEXT_QUESTION = Step(tool="get_next_question")
_END = Step(tool="end_interview")
_SILENCE = Step()


@dataclass
class _Identity:
    """What is known about the candidate before they are identified."""

    email: str | None = None
    # The address lookup_candidate emailed a code to.
    looked_up: str | None = None
    # The code the candidate gave for it, until verify_email_code answers.
    code: str | None = None
    # The address the code proved and that has no profile yet.
    verified: str | None = None
    name: str | None = None
    experience: int | None = None
    experience_unknown: bool = False
    # create_candidate refused an unknown experience: a number is needed after all.
    experience_required: bool = False
    # The create_candidate argument: "" is this interview's position, None not yet known.
    position: str | None = None
    title: str | None = None
    titles: tuple[str, ...] = ()
    name_given: str | None = None
    misses: Counter[str] = field(default_factory=Counter)
    # Fields taken as given after misunderstandings ("name", "position"): flagged for
    # the recruiter through create_candidate's `unconfirmed`.
    unconfirmed: list[str] = field(default_factory=list)

    def carry_on(self, field_name: str) -> None:
        if field_name not in self.unconfirmed:
            self.unconfirmed.append(field_name)

    def asking(self) -> Asking | None:
        """The field to ask for now; None when a tool call comes next."""
        if self.email is None:
            return Asking.EMAIL
        if self.looked_up != self.email or self.verified != self.email:
            return None
        if self.name is None:
            return Asking.NAME
        if self.position is None:
            return Asking.POSITION
        if self.experience is None and not self.experience_unknown:
            return Asking.EXPERIENCE
        return None

    def reading_as(self) -> Asking:
        return self.asking() or Asking.EMAIL

    def awaiting_code(self) -> bool:
        return (
            self.email is not None
            and self.looked_up == self.email
            and self.verified != self.email
            and self.code is None
        )


@dataclass
class _Flow:
    stage: _Stage = _Stage.START
    identity: _Identity = field(default_factory=_Identity)
    action: Step = _NEXT_QUESTION
    # The question being asked (get_next_question's output).
    question: dict[str, Any] = field(default_factory=dict)
    answer_parts: list[str] = field(default_factory=list)
    clarified: bool = False
    paused: bool = False
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

    # --- What the interviewer says -------------------------------------------------------

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
        number = int(self.question.get("number") or 1)
        return f"Question {number}. {self.question.get('question', '')}"

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
        return self.say(*parts, self.question_line())

    def reprompt(self, *before: str) -> Step:
        """Ask again for what is open now: the question, or the missing field."""
        if self.stage is _Stage.ASKING:
            return self.say(*before, self.question_line())
        if self.stage is _Stage.IDENTIFYING:
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

    # --- The candidate -------------------------------------------------------------------

    def on_user(self, text: str) -> None:
        text = " ".join(text.replace("\x00", "").split())
        self.last_asked_after_lookup = False
        if self.stage is _Stage.CLOSED or self.stage is _Stage.CLOSING:
            self.action = _SILENCE
            return
        if self.stage is _Stage.START:
            # Typed before the interview started: keep what it says about the candidate.
            self._absorb(understand(text, asking=Asking.EMAIL), Asking.EMAIL)
            self.action = _NEXT_QUESTION
            return
        if self.retry is not None:
            self.action, self.retry = Step(tool=self.retry), None
            if self.stage is _Stage.IDENTIFYING:
                asking = self.identity.reading_as()
                self._absorb(understand(text, asking=asking, titles=self._titles()), asking)
            return
        if self.stage is _Stage.IDENTIFIED:
            self.action = _NEXT_QUESTION
            return
        asking = self.identity.reading_as() if self.stage is _Stage.IDENTIFYING else Asking.ANSWER
        if self.confirming is not None:
            understood = understand(text, asking=Asking.CONFIRMATION, titles=self._titles())
            if self._on_confirmation(text, understood):
                return
        understood = understand(text, asking=asking, titles=self._titles())
        request = understood.request
        if request is Request.STOP:
            self.confirming, self.action = "stop", self.say(prompts.STRUCTURED_CONFIRM_STOP)
            return
        if request is Request.PAUSE:
            self.paused, self.action = True, self.say(prompts.STRUCTURED_PAUSE)
            return
        if self.stage is _Stage.IDENTIFYING and self.identity.awaiting_code():
            self._on_code(understood, find_code(text))
        elif self.stage is _Stage.IDENTIFYING:
            self._on_identifying(text, understood, asking)
        else:
            self._on_answering(text, understood)
        self.paused = False

    def _titles(self) -> tuple[str, ...]:
        titles = self.identity.titles
        if self.identity.title and self.identity.title not in titles:
            titles = (self.identity.title, *titles)
        return titles

    def _on_confirmation(self, text: str, understood: Understanding) -> bool:
        """Handle an answer to a yes/no question; False when it is not one."""
        request = understood.request
        confirming, self.confirming = self.confirming, None
        yes = request in (Request.YES, Request.ACKNOWLEDGE)
        no = request in (Request.NO, Request.READY)
        if confirming == "stop":
            if yes or request is Request.STOP:
                self.stage, self.action = _Stage.CLOSING, _END
                return True
            if no:
                self.action = self.reprompt(prompts.STRUCTURED_CONTINUE)
                return True
            return False
        identity = self.identity
        title = identity.title or ""
        if request is None and understood.position is None:
            said = understand(text, asking=Asking.POSITION, titles=self._titles())
            if said.position is not None:
                yes = said.position == title
                no = not yes
        if yes:
            identity.position = ""
            self.action = self.next_identification_step()
        elif no:
            self.said_before_closing = prompts.STRUCTURED_WRONG_POSITION.format(title=title)
            self.stage, self.action = _Stage.CLOSING, _END
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

    def _absorb(self, understood: Understanding, asking: Asking) -> bool:
        """Keep every field the message carries; True when something new was learnt."""
        identity, learnt = self.identity, False
        if understood.email and understood.email != identity.email:
            identity.email, learnt = understood.email, True
        if understood.name and understood.name != identity.name:
            identity.name, learnt = understood.name, True
        if understood.experience is not None and understood.experience != identity.experience:
            identity.experience, identity.experience_unknown = understood.experience, False
            learnt = True
        if asking is Asking.POSITION and identity.position is None:
            said = understood.position or understood.position_said
            if said:
                identity.position, learnt = said, True
        return learnt

    def _on_identifying(self, text: str, understood: Understanding, asking: Asking) -> None:
        identity = self.identity
        if self._absorb(understood, asking):
            self.action = self.next_identification_step("Thank you.")
            return
        if identity.asking() is None:
            # A tool call is due (it failed just now): try it again.
            self.action = self.next_identification_step()
            return
        request = understood.request
        if request in (Request.SKIP, Request.DONT_KNOW):
            if asking is Asking.EXPERIENCE and not identity.experience_required:
                identity.experience_unknown = True
                self.notes.append(prompts.STRUCTURED_EXPERIENCE_LEFT_OPEN)
                self.action = self.next_identification_step()
                return
            if asking is Asking.POSITION:
                identity.position = ""
                self.action = self.next_identification_step()
                return
            self._missed(asking, text)
            return
        title = identity.title
        if request is None and title and understood.position and asking is not Asking.POSITION:
            # "I'm applying for the backend role": known already, and not what was asked.
            line = prompts.STRUCTURED_POSITION_KNOWN.format(title=title)
            self.action = self.ask_field(asking, line)
            return
        if request is Request.CLARIFY or (request is None and understood.question):
            self.action = self.ask_field(asking, _CLARIFY_FIELD[asking])
        elif request is Request.GO_BACK:
            self.action = self.ask_field(asking, prompts.STRUCTURED_CORRECT_DETAILS)
        elif request is Request.GREETING:
            self.action = self.ask_field(asking, prompts.STRUCTURED_HELLO)
        elif request is not None:
            self.action = self.ask_field(asking)
        elif understood.noise:
            self.action = _SILENCE
        else:
            self._missed(asking, text)

    def _on_code(self, understood: Understanding, code: str | None) -> None:
        """The candidate's reply once a code was emailed: the code, or another address."""
        identity = self.identity
        if code is not None:
            identity.code = code
            self.action = self.next_identification_step()
        elif understood.email and understood.email != identity.email:
            identity.email = understood.email
            self.action = self.next_identification_step()
        elif understood.request is not None or understood.question:
            self.action = self.say(prompts.STRUCTURED_CODE_CLARIFY)
        else:
            self.action = self.say(prompts.STRUCTURED_CODE_NOT_UNDERSTOOD)

    def _missed(self, asking: Asking, text: str) -> None:
        identity = self.identity
        identity.misses[asking.value] += 1
        misses = identity.misses[asking.value]
        if asking is Asking.EMAIL:
            line = (
                prompts.STRUCTURED_EMAIL_NEEDED
                if misses == MISSES_BEFORE_CARRYING_ON
                else prompts.STRUCTURED_EMAIL_NOT_UNDERSTOOD
            )
            self.action = self.say(line)
        elif asking is Asking.NAME:
            identity.name_given = name_as_given(text) or identity.name_given
            if misses < MISSES_BEFORE_CARRYING_ON:
                self.action = self.say(prompts.STRUCTURED_NAME_NOT_UNDERSTOOD)
            elif identity.name_given:
                identity.name = identity.name_given
                identity.carry_on("name")
                self.notes.append(prompts.STRUCTURED_NAME_TAKEN_AS_GIVEN)
                self.action = self.next_identification_step()
            elif misses == MISSES_BEFORE_CARRYING_ON:
                self.action = self.say(prompts.STRUCTURED_NAME_NEEDED)
            else:
                self.action = self.say(prompts.STRUCTURED_NAME_NOT_UNDERSTOOD)
        elif asking is Asking.POSITION:
            if misses < MISSES_BEFORE_CARRYING_ON:
                self.action = self.ask_field(asking, _CLARIFY_FIELD[asking])
            else:
                identity.position = ""  # this interview's position; the recruiter sees it
                identity.carry_on("position")
                self.action = self.next_identification_step()
        elif identity.experience_required:
            self.action = self.say(prompts.STRUCTURED_EXPERIENCE_NUMBER_NEEDED)
        elif misses < MISSES_BEFORE_CARRYING_ON:
            self.action = self.say(prompts.STRUCTURED_EXPERIENCE_NOT_UNDERSTOOD)
        else:
            identity.experience_unknown = True
            self.notes.append(prompts.STRUCTURED_EXPERIENCE_LEFT_OPEN)
            self.action = self.next_identification_step()

    def _on_answering(self, text: str, understood: Understanding) -> None:
        request = understood.request
        waiting = self.record_step() if self.answer_parts else _SILENCE
        if request in (Request.YES, Request.NO) and not self.paused:
            request = None  # "Yes." and "No." answer a question
        if request is Request.DONT_KNOW and self.answer_parts:
            request = None  # part of an answer already given
        if request is None:
            if understood.noise:
                self.action = waiting
            elif self._is_clarifying_question(text, understood):
                self._clarify()
            else:
                self.answer_parts.append(text)
                self.action = self.record_step()
        elif request is Request.REPEAT:
            self.action = self.say(prompts.STRUCTURED_REPEAT_PREFIX, self.question_line())
        elif request is Request.CLARIFY:
            self._clarify()
        elif request in (Request.SKIP, Request.DONT_KNOW):
            self.answer_parts, self.skipped = [], request
            self.action = Step(tool="skip_question")
        elif request is Request.GO_BACK:
            self.answer_parts = []
            self.action = Step(tool="previous_question")
        elif request is Request.FINISHED:
            self.action = waiting if self.answer_parts else self.say(prompts.STRUCTURED_STILL_OPEN)
        elif request in (Request.READY, Request.YES, Request.ACKNOWLEDGE) and self.paused:
            self.action = waiting if self.answer_parts else self.say(self.question_line())
        elif request is Request.GREETING and not self.answer_parts:
            self.action = self.say(prompts.STRUCTURED_STILL_HERE, self.question_line())
        else:
            self.action = waiting

    def _is_clarifying_question(self, text: str, understood: Understanding) -> bool:
        return (
            understood.question
            and not self.answer_parts
            and len(text.split()) <= MAX_CLARIFYING_QUESTION_WORDS
        )

    def _clarify(self) -> None:
        if self.clarified:
            line = prompts.STRUCTURED_ONLY_REPEAT
        else:
            stage = str(self.question.get("stage", ""))
            line = prompts.STRUCTURED_CLARIFY_BY_STAGE.get(stage, prompts.STRUCTURED_CLARIFY_ANY)
        self.clarified = True
        self.action = self.say(line, self.question_line())

    # --- The interviewer's own turns and the tools ----------------------------------------

    def on_assistant(self) -> None:
        self.spoken = True
        self.notes = []
        self.identified_name = ""
        self.answered = False
        self.skipped = None
        self.went_back = False
        if self.stage is not _Stage.CLOSED:
            self.action = self.reprompt()
        else:
            self.action = _SILENCE

    def on_tool_output(self, name: str, output: dict[str, Any]) -> None:
        self.last_asked_after_lookup = False
        if isinstance(output.get("hears_speech"), bool):
            self.hears_speech = output["hears_speech"]
        code = str(output.get("code", ""))
        if code == "identify_quota":
            self.stage, self.action = _Stage.CLOSING, _END  # the recruiter follows up
            return
        handler = _TOOL_HANDLERS.get(name)
        if handler is not None:
            handler(self, output, bool(output.get("ok")), code)

    def _on_next_question(self, output: dict[str, Any], succeeded: bool, code: str) -> None:
        if succeeded and output.get("done"):
            self.stage, self.action = _Stage.CLOSING, _END
        elif succeeded:
            self._start_question(output)
        elif code == "candidate_unknown":
            self.stage = _Stage.IDENTIFYING
            identity = self.identity
            if isinstance(output.get("position"), str) and output["position"]:
                identity.title = output["position"]
                identity.position = ""  # known from the link: never asked
            if isinstance(output.get("positions"), list):
                identity.titles = tuple(t for t in output["positions"] if isinstance(t, str))
            self.action = self.next_identification_step()
        else:
            self.retry = "get_next_question"
            self.action = self.say(prompts.STRUCTURED_TRY_AGAIN)

    def _start_question(self, output: dict[str, Any]) -> None:
        self.stage, self.question = _Stage.ASKING, output
        self.answer_parts, self.clarified, self.paused = [], False, False
        if output.get("resumed"):
            self.resumed = True
        self.action = self.ask_question()

    def _on_lookup(self, output: dict[str, Any], succeeded: bool, code: str) -> None:
        identity = self.identity
        if succeeded and output.get("identified"):
            self.stage, self.action = _Stage.IDENTIFIED, _NEXT_QUESTION
        elif succeeded:
            identity.looked_up, identity.code = identity.email, None
            self.action = self.next_identification_step()
        elif code == "save_failed" or not code:
            self.action = self.say(prompts.STRUCTURED_TRY_AGAIN)
        else:
            identity.email = None
            self.action = self.next_identification_step(_problem_line(output))

    def _on_verify(self, output: dict[str, Any], succeeded: bool, code: str) -> None:
        identity = self.identity
        if succeeded and output.get("identified"):
            self.stage, self.identified_name = _Stage.IDENTIFIED, str(output.get("name", ""))
            self.action = _NEXT_QUESTION
        elif succeeded:
            identity.verified = identity.email
            self.last_asked_after_lookup = True
            self.action = self.next_identification_step()
        elif code in ("code_wrong", "code_invalid"):
            identity.code = None
            self.action = self.say(prompts.STRUCTURED_CODE_WRONG)
        elif code in ("code_expired", "code_exhausted", "code_missing"):
            # A new code goes to the same address.
            identity.code = identity.looked_up = None
            self.notes.append(prompts.STRUCTURED_CODE_EXPIRED)
            self.action = self.next_identification_step()
        else:
            identity.code = None
            self.action = self.say(prompts.STRUCTURED_TRY_AGAIN)

    def _on_create(self, output: dict[str, Any], succeeded: bool, code: str) -> None:
        identity = self.identity
        if succeeded:
            self.stage, self.identified_name = _Stage.IDENTIFIED, str(output.get("name", ""))
            self.action = _NEXT_QUESTION
            return
        self.notes = []  # what was said about carrying on no longer holds
        if code.startswith("name"):
            identity.name = None
            identity.unconfirmed = [f for f in identity.unconfirmed if f != "name"]
        elif code == "email_taken":
            identity.looked_up = None  # a profile exists now: look it up
        elif code.startswith("email") or code == "candidate_fixed":
            identity.email = identity.looked_up = identity.verified = identity.code = None
        elif code.startswith("position"):
            if isinstance(output.get("position"), str) and output["position"]:
                identity.title = output["position"]
            said, title = identity.position or "", identity.title or ""
            understood = understand(said, asking=Asking.POSITION, titles=(title,))
            if title and understood.position == title:
                identity.position = ""
                self.action = self.next_identification_step()
            elif title:
                self.confirming = "position"
                self.action = self.say(prompts.STRUCTURED_CONFIRM_POSITION.format(title=title))
            else:
                identity.position = None
                self.action = self.next_identification_step()
            return
        elif code.startswith("experience"):
            if identity.experience is None:
                identity.experience_required = True
                identity.experience_unknown = False
                self.action = self.say(prompts.STRUCTURED_EXPERIENCE_NUMBER_NEEDED)
                return
            identity.experience = None
        else:
            self.action = self.say(prompts.STRUCTURED_TRY_AGAIN)
            return
        self.action = self.next_identification_step(_problem_line(output))

    def _on_record(self, output: dict[str, Any], succeeded: bool, code: str) -> None:
        if succeeded:
            self.answered, self.answer_parts = True, []
            self.action = _NEXT_QUESTION
        elif code == "answer_too_long":
            answer = " ".join(self.answer_parts)[:MAX_RETRIED_ANSWER]
            self.action = Step(tool="record_answer", arguments={"answer": answer})
        elif code == "no_open_question":
            self.answer_parts, self.action = [], _NEXT_QUESTION
        else:
            self.answer_parts = []
            line = prompts.STRUCTURED_REPEAT_ANSWER if code == "empty" else ""
            self.action = self.say(line or prompts.STRUCTURED_SAVE_FAILED)

    def _on_skip(self, output: dict[str, Any], succeeded: bool, code: str) -> None:
        if succeeded:
            self.answer_parts, self.action = [], _NEXT_QUESTION
        else:
            self.skipped = None
            self.action = self.say(prompts.STRUCTURED_CANNOT_SKIP, self.question_line())

    def _on_previous(self, output: dict[str, Any], succeeded: bool, code: str) -> None:
        if succeeded:
            self.went_back = True
            if output.get("question"):
                self._start_question(output)
            else:
                self.action = _NEXT_QUESTION
            return
        line = (
            prompts.STRUCTURED_NO_PREVIOUS
            if code.startswith("no_previous")
            else prompts.STRUCTURED_CANNOT_GO_BACK
        )
        self.action = self.say(line, self.question_line())

    def _on_end(self, output: dict[str, Any], succeeded: bool, code: str) -> None:
        if not succeeded:
            self.retry = "end_interview"
            self.action = self.say(prompts.STRUCTURED_TRY_AGAIN)
            return
        self.stage = _Stage.CLOSED
        closing = str(output.get("closing") or prompts.CLOSING_REMARKS)
        thanks = "Thank you for your answer." if self.answered else ""
        self.action = self.say(self.said_before_closing, thanks, closing)


_TOOL_HANDLERS = {
    "get_next_question": _Flow._on_next_question,
    "lookup_candidate": _Flow._on_lookup,
    "verify_email_code": _Flow._on_verify,
    "create_candidate": _Flow._on_create,
    "record_answer": _Flow._on_record,
    "skip_question": _Flow._on_skip,
    "previous_question": _Flow._on_previous,
    "end_interview": _Flow._on_end,
}

_CLARIFY_FIELD = {
    Asking.EMAIL: prompts.STRUCTURED_CLARIFY_EMAIL,
    Asking.NAME: prompts.STRUCTURED_CLARIFY_NAME,
    Asking.POSITION: prompts.STRUCTURED_CLARIFY_POSITION,
    Asking.EXPERIENCE: prompts.STRUCTURED_CLARIFY_EXPERIENCE,
}


def _problem_line(output: dict[str, Any]) -> str:
    """A candidate-facing sentence for a tool's refusal (its error text is for models)."""
    code = str(output.get("code", ""))
    if code == "candidate_fixed":
        return "That address does not match this interview invitation."
    if code == "email_not_sent":
        return prompts.STRUCTURED_CODE_NOT_SENT
    if code.startswith("email"):
        return "That email address does not look right."
    if code.startswith("experience"):
        return prompts.STRUCTURED_EXPERIENCE_NOT_UNDERSTOOD
    if code.startswith("name"):
        return "I did not get your name."
    return ""


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


def next_step(items: list[llm.ChatItem]) -> Step:
    """The interviewer's next move for this chat history."""
    return replay(items).action
