"""The structured interviewer's identification: what it knows of the candidate before
they are identified, how it reads their replies while it asks for the email, the emailed
code, the name, the position and the experience, and what it does with the
lookup_candidate, verify_email_code and create_candidate results.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from agent_worker import prompts
from agent_worker.structured import states as structured_states
from agent_worker.structured.steps import NEXT_QUESTION, SILENCE, Stage, Step
from agent_worker.understanding import (
    Asking,
    Request,
    Understanding,
    name_as_given,
    understand,
)
from interviews.errors import (
    CODE_TO_RESEND,
    CODE_TO_RETYPE,
    EMAIL_PROBLEMS,
    EXPERIENCE_PROBLEMS,
    NAME_PROBLEMS,
    POSITION_PROBLEMS,
    ErrorCode,
)

# Misunderstandings of one field before the flow says what it needs and carries on.
MISSES_BEFORE_CARRYING_ON = 2


@dataclass
class Identity:
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
    # The other words recruiters gave each title (Position.aliases).
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    name_given: str | None = None
    # Read with too little confidence to keep without asking: read back first.
    pending_name: str | None = None
    pending_email: str | None = None
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


class IdentificationHandling:
    """The flow's identification steps; mixed into the structured flow."""

    # The flow's state (fields of the flow that mixes this in).
    stage: Stage
    identity: Identity
    action: Step
    confirming: str | None
    identified_name: str
    last_asked_after_lookup: bool
    notes: list[str]

    # What the flow says (its own methods).
    def say(self, *parts: str) -> Step:
        raise NotImplementedError

    def ask_field(self, asking: Asking, *before: str) -> Step:
        raise NotImplementedError

    def next_identification_step(self, *before: str) -> Step:
        raise NotImplementedError

    def absorb(self, understood: Understanding, asking: Asking) -> bool:
        """Keep every field the message carries; True when something new was learnt."""
        identity, learnt = self.identity, False
        if understood.email and understood.email != identity.email:
            if understood.email_sure:
                identity.email, learnt = understood.email, True
            else:
                identity.pending_email = understood.email
        if understood.name and understood.name != identity.name:
            if understood.name_sure:
                identity.name, learnt = understood.name, True
            else:
                identity.pending_name = understood.name
        if understood.experience is not None and understood.experience != identity.experience:
            identity.experience, identity.experience_unknown = understood.experience, False
            learnt = True
        if asking is Asking.POSITION and identity.position is None:
            said = understood.position or understood.position_said
            if said:
                identity.position, learnt = said, True
        return learnt

    def read_back(self) -> bool:
        """Ask to confirm what was read with too little confidence; False when nothing is."""
        identity = self.identity
        if identity.pending_email:
            self.confirming = "email"
            email = identity.pending_email
            self.action = self.say(prompts.STRUCTURED_CONFIRM_EMAIL.format(email=email))
            return True
        if identity.pending_name:
            self.confirming = "name"
            name = identity.pending_name
            self.action = self.say(prompts.STRUCTURED_CONFIRM_NAME.format(name=name))
            return True
        return False

    def on_read_back(
        self, field_name: str, understood: Understanding, *, yes: bool, no: bool
    ) -> None:
        """The reply to "I have your name as May Chen; is that right?"."""
        identity = self.identity
        pending = identity.pending_email if field_name == "email" else identity.pending_name
        identity.pending_email = identity.pending_name = None
        corrected = understood.email if field_name == "email" else understood.name
        if corrected and corrected != pending:
            pending, yes = corrected, True  # "no, it's Anita Rao"
        if yes and field_name == "email":
            identity.email = pending
        elif yes:
            identity.name = pending
        elif no:
            asking = Asking.EMAIL if field_name == "email" else Asking.NAME
            self.action = self.ask_field(asking, prompts.STRUCTURED_CONFIRM_FIELD_AGAIN)
            return
        else:
            # Neither yes nor no: ask once more.
            if field_name == "email":
                identity.pending_email = pending
            else:
                identity.pending_name = pending
            self.read_back()
            return
        self.action = self.next_identification_step("Thank you.")

    def on_identifying(self, text: str, understood: Understanding, asking: Asking) -> None:
        identity = self.identity
        learnt = self.absorb(understood, asking)
        if self.read_back():
            return
        if learnt:
            self.action = self.next_identification_step("Thank you.")
            return
        if identity.asking() is None:
            # A tool call is due (it failed just now): try it again.
            self.action = self.next_identification_step()
            return
        request = structured_states.sure_request(understood)
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
            self.action = SILENCE
        else:
            self._missed(asking, text)

    def on_code(self, understood: Understanding, code: str | None) -> None:
        """The candidate's reply once a code was emailed: the code, or another address."""
        identity = self.identity
        if code is not None:
            identity.code = code
            self.action = self.next_identification_step()
        elif understood.email and understood.email != identity.email:
            identity.email = understood.email
            self.action = self.next_identification_step()
        elif structured_states.sure_request(understood) is not None or understood.question:
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

    def on_lookup(self, output: dict[str, Any], succeeded: bool, code: str) -> None:
        identity = self.identity
        if succeeded and output.get("identified"):
            self.stage, self.action = Stage.IDENTIFIED, NEXT_QUESTION
        elif succeeded:
            identity.looked_up, identity.code = identity.email, None
            self.action = self.next_identification_step()
        elif code == ErrorCode.SAVE_FAILED or not code:
            self.action = self.say(prompts.STRUCTURED_TRY_AGAIN)
        else:
            identity.email = None
            self.action = self.next_identification_step(_problem_line(output))

    def on_verify(self, output: dict[str, Any], succeeded: bool, code: str) -> None:
        identity = self.identity
        if succeeded and output.get("identified"):
            self.stage, self.identified_name = Stage.IDENTIFIED, str(output.get("name", ""))
            self.action = NEXT_QUESTION
        elif succeeded:
            identity.verified = identity.email
            self.last_asked_after_lookup = True
            self.action = self.next_identification_step()
        elif code in CODE_TO_RETYPE:
            identity.code = None
            self.action = self.say(prompts.STRUCTURED_CODE_WRONG)
        elif code in CODE_TO_RESEND:
            # A new code goes to the same address.
            identity.code = identity.looked_up = None
            self.notes.append(prompts.STRUCTURED_CODE_EXPIRED)
            self.action = self.next_identification_step()
        else:
            identity.code = None
            self.action = self.say(prompts.STRUCTURED_TRY_AGAIN)

    def on_create(self, output: dict[str, Any], succeeded: bool, code: str) -> None:
        identity = self.identity
        if succeeded:
            self.stage, self.identified_name = Stage.IDENTIFIED, str(output.get("name", ""))
            self.action = NEXT_QUESTION
            return
        self.notes = []  # what was said about carrying on no longer holds
        if code in NAME_PROBLEMS:
            identity.name = None
            identity.unconfirmed = [f for f in identity.unconfirmed if f != "name"]
        elif code == ErrorCode.EMAIL_TAKEN:
            identity.looked_up = None  # a profile exists now: look it up
        elif code in EMAIL_PROBLEMS or code == ErrorCode.CANDIDATE_FIXED:
            identity.email = identity.looked_up = identity.verified = identity.code = None
        elif code in POSITION_PROBLEMS:
            if isinstance(output.get("position"), str) and output["position"]:
                identity.title = output["position"]
            said, title = identity.position or "", identity.title or ""
            understood = understand(
                said, asking=Asking.POSITION, titles=(title,), aliases=identity.aliases
            )
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
        elif code in EXPERIENCE_PROBLEMS:
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


_CLARIFY_FIELD = {
    Asking.EMAIL: prompts.STRUCTURED_CLARIFY_EMAIL,
    Asking.NAME: prompts.STRUCTURED_CLARIFY_NAME,
    Asking.POSITION: prompts.STRUCTURED_CLARIFY_POSITION,
    Asking.EXPERIENCE: prompts.STRUCTURED_CLARIFY_EXPERIENCE,
}


def _problem_line(output: dict[str, Any]) -> str:
    """A candidate-facing sentence for a tool's refusal (its error text is for models)."""
    code = str(output.get("code", ""))
    if code == ErrorCode.CANDIDATE_FIXED:
        return "That address does not match this interview invitation."
    if code == ErrorCode.EMAIL_NOT_SENT:
        return prompts.STRUCTURED_CODE_NOT_SENT
    if code in EMAIL_PROBLEMS:
        return "That email address does not look right."
    if code in EXPERIENCE_PROBLEMS:
        return prompts.STRUCTURED_EXPERIENCE_NOT_UNDERSTOOD
    if code in NAME_PROBLEMS:
        return "I did not get your name."
    return ""
