"""A candidate's name in a message.

The reply to "What is your full name?" is the name as given, unless it is clearly
something else (a request, an address, an experience: the intent model and the other
readers decide that, not a list of words that are not names). What is cut is only the
frame around it: a lead-in ("my name is", "I'm", "it's", "call me"), filler and greetings
before it ("uh hi yeah"), and what follows a comma ("..., nice to meet you"). A name
typed all in lower case (speech-to-text writes it so) is capitalised word by word; any
other is kept exactly as given.

Outside the name question, only a name after a lead-in counts ("Hi, my name is Priya").
"""

import re
from dataclasses import dataclass

from agent_worker.understanding.limits import MAX_READ_LENGTH

MAX_NAME_WORDS = 6
MAX_NAME_LENGTH = 100
# More words than this after the frame is cut: read back before it is kept.
SURE_NAME_WORDS = 4
# A part of a message that reads at least this much like a name (intents.name_probability)
# is one, where no name was asked for.
LIKELY_NAME = 0.5

_OPENING = re.compile(
    r"^(?:(?:u+m+|u+h+|e+r+m*|h+m+|oh|ah|hi|hello|hey|yeah|yes|yep|ok|okay|so|sure|well"
    r"|right|alright|of course|good (?:morning|afternoon|evening)|kia ora|hola|namaste"
    r"|salaam|as-salamu alaykum|sorry)\b[\s,.!-]*)+",
    re.I,
)
_STRONG_LEAD_IN = (
    r"(?:my|the) (?:full |first |legal |complete )?name(?:'s| is|:)?|name(?:'s| is|:)"
    r"|full name(?: is|:)?|(?:you can |people |just |please )?call me|i go by|i'm called"
    r"|i am called"
)
_LEAD_IN = re.compile(
    rf"^(?:(?P<strong>{_STRONG_LEAD_IN})|i'm|i’m|i am|im|it's|it’s|it is|its|this is|here is"
    r"|here's|that's|that is)(?:\s+|$)",
    re.I,
)
# Said before a name without being part of it: "Miles Baker here".
_TAIL = re.compile(r"\s+(?:here|speaking|again|please|thanks|thank you)$", re.I)
_SEGMENTS = re.compile(r"\s*(?:[,;!?()\"“”]|\.(?:\s|$)|\s[-–—]\s|\s(?:and|but|or|with|from)\s)\s*")
# "Dr. Priya", "P. Natarajan": a period after an initial or a title does not end anything.
_ABBREVIATION = re.compile(r"\b([A-Z][a-z]?[a-z]?)\.\s")
_NAME_CHARACTERS = re.compile(r"^[^\W\d_]+(?:['’.\-][^\W\d_]*)*\.?$")
# Lower-case particles that stay lower case when a lower-case name is capitalised.
_PARTICLES = frozenset(
    "de da del della der den di du dos das van von la le bin binti ibn ni ní y e".split()
)


@dataclass(frozen=True)
class NameReading:
    name: str
    # Read from a clear frame (a lead-in, or the whole reply): kept without a read-back.
    sure: bool


def _capitalised(name: str) -> str:
    if name != name.lower():
        return name
    words = []
    for index, word in enumerate(name.split()):
        if index and word in _PARTICLES:
            words.append(word)
            continue
        # "o'connor" -> "O'Connor", "mary-kate" -> "Mary-Kate"; "it's" is not a name.
        pattern = r"(^|-|(?<=\b[od])['’])(\w)"
        words.append(re.sub(pattern, lambda m: m.group(1) + m.group(2).upper(), word))
    return " ".join(words)


def _as_name(words: str) -> str | None:
    words = _TAIL.sub("", words.strip(" .,;:!-\"'")).strip()
    parts = words.split()
    if not 1 <= len(parts) <= MAX_NAME_WORDS or len(words) > MAX_NAME_LENGTH:
        return None
    if not all(_NAME_CHARACTERS.match(part) for part in parts):
        return None
    # Spelled out letter by letter ("S I O B H A N") is a spelling, not the name.
    if len(parts) >= 3 and all(len(part) == 1 for part in parts):
        return None
    return _capitalised(words)


def _framed(segment: str, *, asked: bool) -> tuple[str, bool]:
    """The segment without filler and lead-in, and whether a lead-in introduced a name:
    where no name was asked, "I'm" or "it's" introduce one only before capitals ("I'm
    Grace Hopper", not "I'm applying for the backend role")."""
    rest = _OPENING.sub("", segment.strip(), count=1)
    lead_in = _LEAD_IN.match(rest)
    if not lead_in:
        return rest, False
    rest = rest[lead_in.end() :]
    # "it's, uh, Tariq": filler may follow the lead-in too.
    rest = _OPENING.sub("", rest, count=1)
    if asked or lead_in.group("strong"):
        return rest, True
    capitals = all(w[:1].isupper() or w in _PARTICLES for w in rest.split())
    return rest, bool(rest) and capitals


def read_name(text: str, *, asked: bool, listing: bool = False) -> NameReading | None:
    """The name in `text`; `asked`: the name is what the interviewer asked for;
    `listing`: the message also gives other fields ("Priya Natarajan, priya@x.com, 5
    years"), so a segment that is only a name is one."""
    if not isinstance(text, str):
        return None
    text = " ".join(text[:MAX_READ_LENGTH].split())
    text = _ABBREVIATION.sub("\\1.\x00", text)
    segments = [s.replace("\x00", " ") for s in _SEGMENTS.split(text) if s and s.strip(" .")]
    found: list[tuple[str, bool, str]] = []
    for segment in segments:
        rest, led = _framed(segment, asked=asked)
        name = _as_name(rest) if rest else None
        if name is not None:
            found.append((name, led, rest))
    introduced = [name for name, was_led, _ in found if was_led]
    if introduced:
        # "call me Jean-Luc, full name Jean-Luc Picard Dubois": the fullest one.
        name = max(introduced, key=lambda n: len(n.split()))
    elif asked and found:
        name = found[0][0]
    elif listing and (listed := [n for n, _, raw in found if _listed_name(raw.strip(" .,"))]):
        name = listed[0]
    elif len(segments) == len(found) == 1 and _capitalised_words(found[0][2]):
        # "Priya Natarajan" alone, written as a name, whatever was asked.
        if not _listed_name(found[0][2]):
            return None
        name = found[0][0]
    else:
        return None
    # "call me Faith, Faith Long": a later segment that completes it.
    for other, _, _ in found:
        if other != name and other.lower().startswith(name.lower() + " "):
            name = other
    # Sure: introduced ("my name is"), or the one part of the reply written as a name.
    named_parts = [raw for _, _, raw in found if raw != raw.lower()] or [r for _, _, r in found]
    sure = len(name.split()) <= SURE_NAME_WORDS and (bool(introduced) or len(named_parts) == 1)
    return NameReading(name=name, sure=sure)


def _capitalised_words(segment: str) -> bool:
    words = segment.split()
    return len(words) >= 2 and all(w[:1].isupper() or w in _PARTICLES for w in words)


# "4 years at Globex": what follows these is a place or a role, never the person's name.
_PLACE_WORDS = {"at", "in", "as", "for", "with", "from", "on", "of", "to", "by"}


def _listed_name(segment: str) -> bool:
    """A segment of a list of fields that reads like a person's name."""
    from agent_worker.understanding.intents import name_probability

    words = segment.split()
    if len(words) > SURE_NAME_WORDS or (words and words[0] in _PLACE_WORDS):
        return False
    return name_probability(segment) >= LIKELY_NAME


def find_name(text: str, *, asked: bool) -> str | None:
    reading = read_name(text, asked=asked)
    return reading.name if reading else None


def name_as_given(text: str) -> str | None:
    """`text` as a name when nothing better was understood: the words as given, without
    the frame, when they could be a name."""
    return find_name(text, asked=True)
