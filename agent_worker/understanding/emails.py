"""An email address in what a candidate said (or typed).

Speech-to-text writes an email address the way people say it ("jane dot doe at example
dot com", "j a n e at example dot com"). This reader is deterministic and never guesses
beyond these rules: an email address is found anywhere in a message: written, or spoken
around one "at" ("at the rate", "@"): the local part is the unit just before it (a word,
or spelled letters), joined to earlier units only by a spoken or written dot, underscore,
dash or plus; the domain is the units after it joined by dots or dashes.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from agent_worker.understanding.limits import MAX_READ_LENGTH

MAX_SPOKEN_EMAIL_LENGTH = 320

_AT = "@"
_SPOKEN_CONNECTORS = {
    "dot": ".",
    "period": ".",
    "point": ".",
    "underscore": "_",
    "dash": "-",
    "hyphen": "-",
    "minus": "-",
    "plus": "+",
}
_WRITTEN_CONNECTORS = {".", "_", "-", "+"}
_DOMAIN_CONNECTORS = {".", "-"}
# Spoken forms of "@" made of several words, longest first.
_SPOKEN_AT = (
    ("at", "the", "rate", "of"),
    ("at", "the", "rate"),
    ("at", "rate"),
    ("at", "sign"),
    ("at", "symbol"),
    ("at",),
)
_SPOKEN_DOT = (("full", "stop"), ("dot",), ("period",), ("point",))
_EMAIL_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?|[@._+\-]")
_WRITTEN_EMAIL = re.compile(r"[^\s<>(),;:\"'\[\]]+@[^\s<>(),;:\"'\[\]]+")


@dataclass(frozen=True)
class EmailMatch:
    address: str
    start: int
    end: int
    # False when a spoken address may have lost words ("john smith at gmail dot com":
    # john? smith? johnsmith?): it is read back before a code is mailed to it.
    sure: bool = True


# Words that may come right before a spoken address without belonging to it.
_BEFORE_ADDRESS = frozenset(
    "is it's its it email e-mail mail address me at to um uh so yes yeah sure ok okay"
    " oh and use try this that's be was".split()
)


@dataclass(frozen=True)
class _Token:
    kind: str  # "at", "sep", "word"
    value: str
    start: int
    end: int

    @property
    def spelled(self) -> bool:
        """A spelled letter or digits: joins its neighbours without spaces."""
        return self.kind == "word" and (len(self.value) == 1 or self.value.isdigit())


def _is_valid_email(candidate: str) -> bool:
    try:
        validate_email(candidate)
    except ValidationError:
        return False
    return True


def _email_tokens(text: str) -> list[_Token]:
    raw = [(m.group().lower(), m.start(), m.end()) for m in _EMAIL_TOKEN.finditer(text)]
    tokens: list[_Token] = []
    index = 0
    while index < len(raw):
        word, start, end = raw[index]
        following = tuple(w for w, _, _ in raw[index : index + 4])
        matched = False
        for kind, forms in (("at", _SPOKEN_AT), ("sep", _SPOKEN_DOT)):
            for form in forms:
                if following[: len(form)] == form:
                    last = raw[index + len(form) - 1]
                    value = _AT if kind == "at" else "."
                    tokens.append(_Token(kind, value, start, last[2]))
                    index += len(form)
                    matched = True
                    break
            if matched:
                break
        if matched:
            continue
        if word == "@":
            tokens.append(_Token("at", _AT, start, end))
        elif word in _WRITTEN_CONNECTORS:
            tokens.append(_Token("sep", word, start, end))
        elif word in _SPOKEN_CONNECTORS:
            tokens.append(_Token("sep", _SPOKEN_CONNECTORS[word], start, end))
        elif "'" in word:
            tokens.append(_Token("other", word, start, end))
        else:
            tokens.append(_Token("word", word, start, end))
        index += 1
    return tokens


def _unit_after(tokens: list[_Token], index: int) -> tuple[str, int] | None:
    """A domain unit starting at `index`: a word, or spelled letters (maybe then a word)."""
    if index >= len(tokens) or tokens[index].kind != "word":
        return None
    if not tokens[index].spelled:
        return tokens[index].value, index + 1
    end = index
    while end < len(tokens) and tokens[end].spelled:
        end += 1
    if end < len(tokens) and tokens[end].kind == "word":
        end += 1  # "g mail"
    return "".join(t.value for t in tokens[index:end]), end


def _unit_before(tokens: list[_Token], index: int) -> tuple[str, int] | None:
    """A local-part unit ending at `index`; returns it and the index before it."""
    if index < 0 or tokens[index].kind != "word":
        return None
    if not tokens[index].spelled:
        return tokens[index].value, index - 1
    start = index
    while start - 1 >= 0 and tokens[start - 1].spelled:
        start -= 1
    run = tokens[start : index + 1]
    if all(t.value.isdigit() for t in run) and start - 1 >= 0 and tokens[start - 1].kind == "word":
        start -= 1  # "john 42"
    return "".join(t.value for t in tokens[start : index + 1]), start - 1


def _spoken_email(text: str) -> EmailMatch | None:
    tokens = _email_tokens(text)
    for at, token in enumerate(tokens):
        if token.kind != "at":
            continue
        first = _unit_after(tokens, at + 1)
        if first is None:
            continue
        domain, index = first
        while index + 1 < len(tokens) and tokens[index].kind == "sep":
            if tokens[index].value not in _DOMAIN_CONNECTORS:
                break
            unit = _unit_after(tokens, index + 1)
            if unit is None:
                break
            domain += tokens[index].value + unit[0]
            index = unit[1]
        last = tokens[index - 1]
        unit = _unit_before(tokens, at - 1)
        if unit is None:
            continue
        local, before = unit
        while before - 1 >= 0 and tokens[before].kind == "sep":
            unit = _unit_before(tokens, before - 1)
            if unit is None:
                break
            local = unit[0] + tokens[before].value + local
            before = unit[1]
        address = f"{local}@{domain}"
        if _is_valid_email(address):
            previous = tokens[before] if before >= 0 else None
            gap = text[previous.end : tokens[before + 1].start] if previous else ""
            sure = (
                previous is None
                or previous.kind != "word"
                or previous.value in _BEFORE_ADDRESS
                or any(mark in gap for mark in ",:;")
            )
            return EmailMatch(address, tokens[before + 1].start, last.end, sure=sure)
    return None


def find_email(text: str) -> EmailMatch | None:
    """The first email address in `text`, written or spoken, lower-cased, with its span."""
    if not isinstance(text, str):
        return None
    text = text[:MAX_READ_LENGTH]
    for match in _WRITTEN_EMAIL.finditer(text):
        token = match.group()
        stripped = token.strip(".")
        if _is_valid_email(stripped):
            start = match.start() + token.index(stripped)
            return EmailMatch(stripped.lower(), start, start + len(stripped))
    return _spoken_email(text)


def parse_spoken_email(text: str) -> str | None:
    """The email address in `text`, written or spoken, lower-cased; None if there is none."""
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_SPOKEN_EMAIL_LENGTH:
        return None
    found = find_email(text)
    return found.address if found else None
