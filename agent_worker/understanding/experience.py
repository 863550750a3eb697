"""Years of experience in what a candidate said (or typed).

Speech-to-text writes experience as words ("about five years", "3 to 4 years", "a
decade"). This reader is deterministic and never guesses beyond these rules:
experience is whole years, rounded to the nearest, halves up ("18 months" and "a year and
a half" are 2, "two and a half" is 3, "four months" is 0), as a recruiter would write it.
A range keeps its lower end ("3 to 4 years" is 3), "about", "over" or "-ish" keep the
number, and "nearly", "almost" or "less than" mean the whole years below it ("nearly 7"
is 6, "less than a year" is 0). "A decade" is 10, "a couple" 2, "a few" 3, months count
as twelfths. Several jobs add up ("two years at a bank and then three at a startup" is
5) unless the message gives a total ("five years, two of them in Python" is 5).
"Fresh graduate" and "no experience" are 0. A number without a unit ("about five")
counts only when experience is what was asked; "25 years old" never does. Nor does a
year, except as a start ("since 2015", "I started in 2019"): the years from then until now.
"""

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from agent_worker.understanding.limits import MAX_EXPERIENCE_YEARS, MAX_READ_LENGTH

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# Vague amounts that people use as numbers before a unit.
_VAGUE = {"couple": 2, "few": 3}
_YEAR_UNITS = {"year": 1.0, "years": 1.0, "yr": 1.0, "yrs": 1.0, "y": 1.0}
_OTHER_UNITS = {
    "decade": 10.0,
    "decades": 10.0,
    "month": 1 / 12,
    "months": 1 / 12,
    "mo": 1 / 12,
    "mos": 1 / 12,
    "week": 0.0,
    "weeks": 0.0,
}
_ALL_UNITS = {**_YEAR_UNITS, **_OTHER_UNITS}
_BEFORE_UNIT = {"full", "whole", "solid", "good", "long", "of", "professional", "plus", "odd"}
_AFTER_NUMBER = {"ish", "plus", "odd"}
_BELOW = (
    ("just", "under"),
    ("just", "shy", "of"),
    ("not", "quite"),
    ("close", "to"),
    ("less", "than"),
    ("fewer", "than"),
    ("nearly",),
    ("almost",),
    ("under",),
    ("shy", "of"),
)
_ZERO_PHRASES = re.compile(
    r"\b(?:no (?:\w+ )?experience|fresh(?:er|ers)?(?: graduate| grad| out of \w+)?"
    r"|(?:just|recently) graduated|(?:recent|new) grad(?:uate)?|entry level|never worked"
    r"|(?:don't|do not|dont|haven't|have not) (?:have |got )?(?:any )?(?:\w+ )?experience"
    r"|zero (?:years|experience)|no years)\b"
)
_ZERO_WHEN_ASKED = re.compile(
    r"^(?:none|none yet|nothing|nothing yet|zero|nil|not yet|not any|"
    r"(?:i'm |i am )?(?:a |still a )?student)$"
)


# "I just finished university, so none": the reply ends on none.
_ZERO_AT_THE_END = re.compile(r"\b(?:so|basically|then|really)? ?(?:none|zero|nothing)(?: yet)?$")


@dataclass(frozen=True)
class _Number:
    value: float
    end: int  # index after the number's last token


def _normalize_for_numbers(text: str) -> list[str]:
    text = text[:MAX_READ_LENGTH].lower().replace("’", "'")
    text = re.sub(r"[–—]", "-", text)
    text = re.sub(r"(\d)\s*-\s*(\d)", r"\1 to \2", text)
    text = re.sub(r"(\d)\s*\+", r"\1 plus", text)
    text = re.sub(r"~\s*", "about ", text)
    text = re.sub(r"(\d)(?=[a-z])", r"\1 ", text)
    text = re.sub(r"-ish\b", " ish", text)
    text = re.sub(r"(?<=[a-z])ish\b", " ish", text)
    return re.findall(r"\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)?", text)


def _number_at(tokens: list[str], index: int, *, before_unit: bool) -> _Number | None:
    word = tokens[index]
    following = tokens[index + 1] if index + 1 < len(tokens) else ""
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return _Number(float(word), index + 1)
    if word in _TENS:
        if following in _UNITS and _UNITS[following] > 0:
            return _Number(_TENS[word] + _UNITS[following], index + 2)
        return _Number(_TENS[word], index + 1)
    if word in _TEENS:
        return _Number(_TEENS[word], index + 1)
    if word in _UNITS:
        return _Number(_UNITS[word], index + 1)
    if word == "half" and following in ("a", "an"):
        return _Number(0.5, index + 2)
    if not before_unit:
        return None
    if word in ("a", "an"):
        if following in _VAGUE:
            return _Number(_VAGUE[following], index + 2)
        if following in _ALL_UNITS:
            return _Number(1, index + 1)
    if word in _VAGUE:
        return _Number(_VAGUE[word], index + 1)
    return None


def _is_below(tokens: list[str], index: int) -> bool:
    for phrase in _BELOW:
        start = index - len(phrase)
        if start >= 0 and tuple(tokens[start:index]) == phrase:
            return True
    return False


def _add_half(tokens: list[str], index: int) -> tuple[float, int]:
    """'and a half' after a number or a unit: 0.5 of it, and the index after."""
    for phrase in (("and", "a", "half"), ("and", "half")):
        if tuple(tokens[index : index + len(phrase)]) == phrase:
            return 0.5, index + len(phrase)
    return 0.0, index


def _whole_years(value: float, *, below: bool) -> int:
    return max(math.ceil(value) - 1, 0) if below else math.floor(value + 0.5)


def _exact_years(value: float, *, below: bool) -> float:
    """The years as said: "nearly ten" is 10, "less than a year" half a year."""
    if below and value <= 1:
        return value / 2
    return round(value, 4)


def _in_range(years: float) -> float | None:
    return years if 0 <= years <= MAX_EXPERIENCE_YEARS else None


def _years(value: float, *, below: bool, exact: bool) -> float | None:
    return _in_range(
        _exact_years(value, below=below) if exact else _whole_years(value, below=below)
    )


@dataclass(frozen=True)
class _Duration:
    years: float
    below: bool  # "nearly", "less than": the whole years below it
    unit: float
    end: int  # index after the duration's last token


def _duration_at(tokens: list[str], index: int, *, exact: bool) -> _Duration | None:
    """A number and its unit starting at `index` ("two and a half years", "3-4 yrs")."""
    number = _number_at(tokens, index, before_unit=True)
    if number is None:
        return None
    value, position = number.value, number.end
    half, position = _add_half(tokens, position)
    value += half
    if position + 1 < len(tokens) and tokens[position] in ("to", "or", "and"):
        upper = _number_at(tokens, position + 1, before_unit=True)
        if upper is not None and (tokens[position] != "and" or "between" in tokens[:index]):
            position = upper.end
            if exact and upper.value > value:
                value = (value + upper.value) / 2  # "five to six years": 5.5
    while position < len(tokens):
        if tokens[position] in _AFTER_NUMBER | _BEFORE_UNIT:
            position += 1
        elif tokens[position : position + 2] == ["or", "so"]:
            position += 2
        else:
            break
    if position >= len(tokens) or tokens[position] not in _ALL_UNITS:
        return None
    unit = _ALL_UNITS[tokens[position]]
    after = tokens[position + 1 : position + 3]
    if after[:1] in (["old"], ["ago"]) or after == ["of", "age"]:
        return None  # an age or a date, not experience
    half, _ = _add_half(tokens, position + 1)
    return _Duration((value + half) * unit, _is_below(tokens, index), unit, position + 1)


# "... and then three at a startup": a later job's number, its unit said once before.
_JOB_AFTER_NUMBER = {"at", "as", "in", "with", "for", "more"}
# Words that make the numbers parts of one total, not jobs to add up.
_A_TOTAL = {"total", "overall", "altogether", "including", "which", "them", "those", "out"}


def _later_job(tokens: list[str], index: int, unit: float) -> _Duration | None:
    """A bare number that names another job's length: "and (then) three at a startup"."""
    if index < 1 or tokens[index - 1] not in ("and", "then", "plus"):
        return None
    number = _number_at(tokens, index, before_unit=False)
    if number is None or number.end >= len(tokens):
        return None
    if tokens[number.end] not in _JOB_AFTER_NUMBER:
        return None
    return _Duration(number.value * unit, _is_below(tokens, index), unit, number.end)


def _with_unit(tokens: list[str], *, exact: bool = False) -> float | None:
    durations: list[_Duration] = []
    index = 0
    while index < len(tokens):
        found = _duration_at(tokens, index, exact=exact)
        if found is None and durations:
            found = _later_job(tokens, index, durations[-1].unit)
        if found is None:
            index += 1
            continue
        durations.append(found)
        index = found.end
    if not durations:
        return None
    if len(durations) > 1 and not _A_TOTAL & set(tokens):
        # Several jobs, each with its length: the experience is their sum.
        total = sum(duration.years for duration in durations)
        return _years(total, below=False, exact=exact)
    first = durations[0]
    return _years(first.years, below=first.below, exact=exact)


def _bare_number(tokens: list[str], *, exact: bool = False) -> float | None:
    for index in range(len(tokens)):
        number = _number_at(tokens, index, before_unit=False)
        if number is None:
            continue
        following = tokens[number.end : number.end + 2]
        if "old" in following or following[:1] == ["ago"]:
            continue  # an age or a date
        half, _ = _add_half(tokens, number.end)
        return _years(number.value + half, below=_is_below(tokens, index), exact=exact)
    return None


_SINCE_YEAR = re.compile(
    r"\b(?:since|from|starting in|began in|beginning in|back in"
    r"|started(?: working| my career| out|(?: my)? first job)? in)\s+((?:19|20)\d\d)\b",
    re.I,
)


def _years_since(text: str) -> float | None:
    """Whole years since the year the message says work started in, or None."""
    match = _SINCE_YEAR.search(text)
    if match is None:
        return None
    started = int(match.group(1))
    this_year = datetime.now(tz=UTC).year
    return _in_range(this_year - started) if started <= this_year else None


def read_experience(text: str, *, asked: bool) -> int | None:
    """Whole years of experience in a message; see the module docstring for the rules.

    `asked`: experience is what the interviewer just asked for, so a bare number ("about
    five", "5") or "none" counts.
    """
    years = read_experience_years(text, asked=asked, exact=False)
    return None if years is None else int(years)


def read_experience_years(text: str, *, asked: bool, exact: bool = True) -> float | None:
    """Years of experience as said: "18 months" is 1.5, "five to six years" 5.5, "nearly
    ten" 10 (`exact`); the whole years of `read_experience` otherwise."""
    if not isinstance(text, str):
        return None
    tokens = _normalize_for_numbers(text)
    years = _with_unit(tokens, exact=exact)
    if years is not None:
        return years
    joined = " ".join(tokens)
    if _ZERO_PHRASES.search(joined):
        return 0
    if not asked:
        return None
    if _ZERO_WHEN_ASKED.match(joined) or _ZERO_AT_THE_END.search(joined):
        return 0
    since = _years_since(text)
    if since is not None:
        return since
    return _bare_number(tokens, exact=exact)


def parse_experience_years(value: object) -> int | None:
    """Whole years of experience from 5, "5", "5 years", "five", "two and a half years".

    Returns None when no number is found or it is outside 0..MAX_EXPERIENCE_YEARS.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return None
        whole = _in_range(math.floor(value + 0.5))
        return None if whole is None else int(whole)
    if not isinstance(value, str):
        return None
    text = value.strip()[:200]
    if re.match(r"-\s*\d", text):
        return None
    return read_experience(text, asked=True)
