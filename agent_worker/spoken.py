"""Turning what a candidate said (or typed) into values the services accept.

Speech-to-text writes an email address the way people say it ("jane dot doe at example
dot com", "j a n e at example dot com") and experience as words ("five years"). These
parsers are deterministic and never guess beyond the rules below.
"""

import math
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from interviews.models import MAX_EXPERIENCE_YEARS

MAX_SPOKEN_EMAIL_LENGTH = 320

_SPOKEN_SYMBOLS = {
    "at": "@",
    "dot": ".",
    "period": ".",
    "point": ".",
    "underscore": "_",
    "dash": "-",
    "hyphen": "-",
    "minus": "-",
    "plus": "+",
}
# Filler that speech-to-text keeps around a spelled address.
_FILLER = {"my", "email", "e-mail", "address", "is", "it's", "its", "it", "the", "sure", "yes"}

_NUMBER_WORDS = {
    "zero": 0,
    "none": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
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
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
}
# "a year", "an extra year": an article counts as one only before a unit.
_UNITS = {"year", "years", "yr", "yrs"}


def _is_valid_email(candidate: str) -> bool:
    try:
        validate_email(candidate)
    except ValidationError:
        return False
    return True


def parse_spoken_email(text: str) -> str | None:
    """The email address in `text`, written or spoken, lower-cased; None if there is none."""
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_SPOKEN_EMAIL_LENGTH:
        return None
    lowered = text.strip().lower()

    # A written address anywhere in the text wins.
    for token in re.findall(r"[^\s<>(),;:\"']+@[^\s<>(),;:\"']+", lowered):
        token = token.strip(".")
        if _is_valid_email(token):
            return token

    words = re.findall(r"[a-z0-9_+'\-]+|[@.]", lowered.replace("-", " - "))
    if "at" not in words and "@" not in words:
        return None
    pieces: list[str] = []
    for word in words:
        if word in _SPOKEN_SYMBOLS:
            pieces.append(_SPOKEN_SYMBOLS[word])
        elif word in ("@", "."):
            pieces.append(word)
        elif word in _FILLER and "@" not in pieces and not pieces:
            continue  # leading "my email is"
        else:
            pieces.append(word)
    # Spelled letters ("j a n e") and separate words join without spaces.
    joined = "".join(pieces).strip(".")
    if joined.count("@") != 1:
        return None
    return joined if _is_valid_email(joined) else None


def _words_to_number(words: list[str]) -> float | None:
    total: float = 0
    seen = False
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in ("a", "an") and not seen and following in _UNITS:
            total, seen = 1, True
        elif word == "no" and not seen and following in _UNITS | {"experience", ""}:
            total, seen = 0, True
        elif word in _NUMBER_WORDS:
            total += _NUMBER_WORDS[word]
            seen = True
        elif word == "half":
            total, seen = total + 0.5, True
        elif word in ("and", "-"):
            continue
        elif seen:
            break
    return total if seen else None


def parse_experience_years(value: object) -> int | None:
    """Whole years of experience from 5, "5", "5 years", "five", "two and a half years".

    Fractions round down (a candidate with 2.5 years has 2 whole years). Returns None when
    no number is found or it is outside 0..MAX_EXPERIENCE_YEARS.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return None
        years = int(value)
    elif isinstance(value, str):
        text = value.strip().lower()[:100]
        digits = re.search(r"-?\d+(?:\.\d+)?", text)
        if digits:
            years = int(float(digits.group()))
        else:
            words = re.findall(r"[a-z]+|-", text)
            number = _words_to_number(words)
            if number is None:
                return None
            years = int(number)
    else:
        return None
    if not 0 <= years <= MAX_EXPERIENCE_YEARS:
        return None
    return years
