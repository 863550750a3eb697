"""What one candidate message means and contains, read by meaning and by content rather
than by turn order.

`understand(text, asking=...)` returns the intent of the message (an answer, or a request:
repeat, clarify, wait, skip, go back, stop, "that's it", small talk, yes, no) with the
model's confidence (agent_worker.understanding.intents), and the fields it carries (an
email address, a name, years of experience, a position). The dialogue decides what to do
with it, and what a low confidence means; nothing here has side effects.

Rules stay where rules are right: email addresses (emails), the emailed code
(agent_worker.understanding.codes), numbers of years (experience). The reply to a direct
question is taken as given unless it is clearly something else: "May Chen" asked for a
name is a name; "about eighteen months" is an experience, not a name, and "Hold on" is a
request to wait. A position matches a title or the aliases recruiters gave it.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from agent_worker.understanding.codes import find_code
from agent_worker.understanding.emails import find_email
from agent_worker.understanding.experience import read_experience, read_experience_years
from agent_worker.understanding.intents import (
    Context,
    Intent,
    IntentReading,
    name_probability,
    read_intent,
)
from agent_worker.understanding.names import find_name, name_as_given, read_name
from agent_worker.understanding.positions import match_position, position_phrase
from agent_worker.understanding.requests import (
    Request,
    find_request,
    is_answer_with_rising_end,
    is_noise,
    is_question,
    looks_unfinished,
    request_of,
    says_finished,
    without_finished_tail,
)

__all__ = [
    "IDENTIFICATION",
    "Asking",
    "Context",
    "Intent",
    "IntentReading",
    "Request",
    "Understanding",
    "find_name",
    "find_request",
    "is_noise",
    "is_question",
    "looks_unfinished",
    "match_position",
    "name_as_given",
    "position_phrase",
    "read_intent",
    "says_finished",
    "understand",
    "without_finished_tail",
]


class Asking(StrEnum):
    """What the interviewer asked for last."""

    EMAIL = "email"
    NAME = "name"
    POSITION = "position"
    EXPERIENCE = "experience"
    ANSWER = "answer"
    CONFIRMATION = "confirmation"
    CODE = "code"
    ANYTHING_ELSE = "anything_else"
    CODING = "coding"


IDENTIFICATION = (Asking.EMAIL, Asking.NAME, Asking.POSITION, Asking.EXPERIENCE)
CONTEXT_OF = {
    Asking.EMAIL: Context.EMAIL,
    Asking.NAME: Context.NAME,
    Asking.POSITION: Context.POSITION,
    Asking.EXPERIENCE: Context.EXPERIENCE,
    Asking.ANSWER: Context.QUESTION,
    Asking.CONFIRMATION: Context.CONFIRM,
    Asking.CODE: Context.CODE,
    Asking.ANYTHING_ELSE: Context.ANYTHING_ELSE,
    Asking.CODING: Context.CODING,
}
# Asked for a name, a message is a request only when the model is at least this sure, of
# the whole message and of it without its lead-in ("I'm not sure" is; "I'm Joy" is not).
SURE_NOT_A_NAME = 0.9
# ...or when it reads this little like a name ("I'm applying for the backend role").
NOT_A_NAME = 0.05
_FIELD_READ = (*IDENTIFICATION, Asking.CODE, Asking.CONFIRMATION, Asking.ANYTHING_ELSE)


# "mm-hmm" is filler, except as the reply to a yes-or-no question.
_AGREEING = re.compile(r"^\W*(?:mm+[\s-]*hm+|mhm+|uh[\s-]*huh)\W*$", re.I)


@dataclass(frozen=True)
class Understanding:
    request: Request | None = None
    intent: Intent = Intent.ANSWER
    confidence: float = 1.0
    reading: IntentReading | None = None
    email: str | None = None
    # False: a spoken address that may have lost a word; read back before it is used.
    email_sure: bool = True
    name: str | None = None
    name_sure: bool = True
    # Whole years (what is stored), and the years as said ("18 months": 1.5).
    experience: int | None = None
    experience_said: float | None = None
    # The one title (of those the message was read against) that it names.
    position: str | None = None
    # The candidate's own words for a position, when a position was asked.
    position_said: str | None = None
    question: bool = False
    # Nothing but filler ("um", "...") or no words at all.
    noise: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def _answer(reading: IntentReading) -> IntentReading:
    """The reading overruled by a rule reader: an answer, as sure as the rule."""
    return IntentReading(Intent.ANSWER, 1.0, reading.intent, 0.0, 1.0)


def understand(
    text: str,
    *,
    asking: Asking,
    titles: Sequence[str] = (),
    aliases: Mapping[str, Sequence[str]] | None = None,
    question: str = "",
) -> Understanding:
    """What `text` means and contains, given what the interviewer asked for last.

    `titles`: the open positions' titles, `aliases` their other names by title.
    `question`: the open question's text, when one is open.
    """
    if not isinstance(text, str):
        return Understanding(noise=True, intent=Intent.SMALL_TALK)
    text = " ".join(text.replace("\x00", "").split())
    if is_noise(text) and not (asking is Asking.CONFIRMATION and _AGREEING.match(text)):
        return Understanding(noise=True, intent=Intent.SMALL_TALK)
    reading = read_intent(text, context=CONTEXT_OF[asking], question=question)
    # At a question, an answer may end on a rising "?": it is still an answer.
    asks = is_question(text) and not (asking is Asking.ANSWER and is_answer_with_rising_end(text))
    if asking not in _FIELD_READ:
        return Understanding(
            request=request_of(reading, text),
            intent=reading.intent,
            confidence=reading.confidence,
            reading=reading,
            question=asks,
        )
    email_match = find_email(text)
    email = email_match.address if email_match else None
    rest = text
    if email_match:
        rest = f"{text[: email_match.start]}, {text[email_match.end :]}"
    said_years = read_experience_years(rest, asked=asking is Asking.EXPERIENCE)
    experience = read_experience(rest, asked=asking is Asking.EXPERIENCE)
    # A name where a name was asked, and not where the message is an address or a
    # number of years; elsewhere only after "my name is" (or "I'm", "call me").
    name_asked = asking is Asking.NAME and email is None and said_years is None
    listing = email is not None or said_years is not None
    named = None
    if not asks or name_asked:
        # A question ("Why do you need my name?") names only after "my name is".
        named = read_name(
            _without_years(rest) if listing else rest,
            asked=name_asked and not asks,
            listing=listing,
        )
    if named is not None and titles and named.name.lower() in {t.lower() for t in titles}:
        named = None  # "Data Scientist" is the position, not the name
    if named is not None and name_asked:
        # The reply to "What is your full name?" is the name unless clearly not one.
        framed = read_intent(named.name, context=Context.NAME)
        written_as_name = _capitalised_name(named.name) and named.name in rest
        clearly_not = not written_as_name and (
            (
                reading.intent is not Intent.ANSWER
                and reading.confidence >= SURE_NOT_A_NAME
                and framed.intent is not Intent.ANSWER
                and framed.confidence >= SURE_NOT_A_NAME
            )
            or name_probability(named.name) < NOT_A_NAME
        )
        if clearly_not:
            named = None
        else:
            reading = _answer(reading)
    position = match_position(rest, titles, aliases) if titles else None
    said = None
    if asking is Asking.POSITION and not asks:
        said = position
        if said is None and email is None and said_years is None:
            said = position_phrase(rest)
    if asking is Asking.EMAIL and email is not None:
        reading = _answer(reading)
    if asking is Asking.EXPERIENCE and said_years is not None and not asks:
        reading = _answer(reading)
    if asking is Asking.POSITION and position is not None:
        reading = _answer(reading)
    code = find_code(text) if asking is Asking.CODE else None
    if code is not None:
        reading = _answer(reading)
    carries = any((email, named, said_years is not None, code, position))
    request = None if carries and asking is not Asking.CONFIRMATION else request_of(reading, text)
    return Understanding(
        request=request,
        intent=reading.intent,
        confidence=reading.confidence,
        reading=reading,
        email=email,
        email_sure=email_match.sure if email_match else True,
        name=named.name if named else None,
        name_sure=named.sure if named else True,
        experience=experience,
        experience_said=said_years,
        position=position,
        position_said=said,
        question=asks,
    )


_YEARS = re.compile(
    r"\b(?:about |around |over |nearly |almost )?(?:\d+|[a-z]+)(?:\s*\+)?\s*(?:years?|yrs?|months?)"
    r"(?: of experience)?\b",
    re.I,
)


def _without_years(text: str) -> str:
    """The message without its "7 yrs": left for the name reader, segments of a list."""
    return _YEARS.sub(",", text)


def _capitalised_name(name: str) -> bool:
    """Written as a name is ("Ngozi Okonjo", "Carlos de la Cruz"): kept as one."""
    words = name.split()
    return len(words) >= 2 and all(w[:1].isupper() or w.islower() and len(w) <= 3 for w in words)
