"""What one candidate message contains, read by content rather than by turn order.

`understand(text, asking=...)` returns the fields a message carries (an email address, a
name, years of experience, a position) and the request it makes, if any (repeat,
clarify, skip, "I don't know", go back, pause, stop, "that's it", yes or no). The
interviewer decides what to do with it; nothing here has side effects.

The rules that keep a message from landing in the wrong field:
- A request is a request only when the whole message is one ("Could you repeat the
  question, please?"); "I don't know, but I would start with the logs" is an answer.
- A name is read after a lead-in ("my name is", "I'm"), or bare ("Priya Natarajan")
  when a name is what was asked or the message lists other fields. Words that are not
  names (question words, job titles, numbers, requests) never are; a question, an email
  address or a request is never a name.
- Experience needs a unit ("five years") unless experience is what was asked.
- A position matches one of the given titles, by its words or by keyword aliases
  ("the backend role" -> Software Engineer when that title is open); anything that fits
  several titles matches none, so the interviewer confirms instead.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from agent_worker.understanding.emails import find_email
from agent_worker.understanding.experience import read_experience
from agent_worker.understanding.names import find_name, name_after_lead_in, name_as_given
from agent_worker.understanding.positions import POSITION_ALIASES, match_position, position_phrase
from agent_worker.understanding.request_patterns import Request
from agent_worker.understanding.requests import (
    find_request,
    is_answer_with_rising_end,
    is_noise,
    is_question,
    looks_unfinished,
    says_finished,
    without_finished_tail,
)

__all__ = [
    "IDENTIFICATION",
    "POSITION_ALIASES",
    "Asking",
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


IDENTIFICATION = (Asking.EMAIL, Asking.NAME, Asking.POSITION, Asking.EXPERIENCE)


@dataclass(frozen=True)
class Understanding:
    request: Request | None = None
    email: str | None = None
    name: str | None = None
    experience: int | None = None
    # The one title (of those the message was read against) that it names.
    position: str | None = None
    # The candidate's own words for a position, when a position was asked.
    position_said: str | None = None
    question: bool = False
    # Nothing but filler ("um", "...") or no words at all.
    noise: bool = False


def understand(text: str, *, asking: Asking, titles: Sequence[str] = ()) -> Understanding:
    """What `text` contains, given what the interviewer asked for last.

    `titles`: the open positions' titles, to match a position against (and never to
    mistake for a name).
    """
    if not isinstance(text, str):
        return Understanding(noise=True)
    text = " ".join(text.replace("\x00", "").split())
    request = find_request(text)
    # At a question, an answer may end on a rising "?": it is still an answer.
    question = is_question(text) and not (
        asking is Asking.ANSWER and is_answer_with_rising_end(text)
    )
    noise = request is None and is_noise(text)
    if asking not in IDENTIFICATION or noise:
        return Understanding(request=request, question=question, noise=noise)
    email_match = find_email(text)
    email = email_match.address if email_match else None
    rest = text
    if email_match:
        rest = f"{text[: email_match.start]}, {text[email_match.end :]}"
    experience = read_experience(rest, asked=asking is Asking.EXPERIENCE)
    name = None
    if request is None and not question:
        name = find_name(
            rest,
            asked=asking is Asking.NAME,
            listing=email is not None or experience is not None,
            titles=titles,
        )
    else:
        # "My name is Priya, is that enough?": a lead-in still names.
        name = name_after_lead_in(rest, titles=titles)
    position = match_position(rest, titles) if titles else None
    said = None
    if asking is Asking.POSITION and request is None and not question:
        said = position
        if said is None and email is None and experience is None:
            said = position_phrase(rest)
    return Understanding(
        request=request if not any((email, name, experience is not None)) else None,
        email=email,
        name=name,
        experience=experience,
        position=position,
        position_said=said,
        question=question,
        noise=False,
    )
