"""Requests a candidate makes instead of answering: repeat, clarify, skip, "I don't know",
go back, pause, ready, stop, "that's it", yes, no, hello, ok.

A message is a request only when every clause of it is one (or filler): "Sorry, could you
repeat the question please?" is; "I don't know, but I would start with the logs" is an
answer.

Also what a message's shape says: only filler, a question to the interviewer, unfinished
("and..."), or ending with "that's it". The words of each request are in request_patterns.
"""

import re

from agent_worker.understanding.request_patterns import (
    COMPILED_REQUEST_PATTERNS,
    REQUEST_PRIORITY,
    Request,
)

FILLER = re.compile(
    r"(?:(?:u+m+|u+h+|e+r+|e+r+m+|h+m+|m+h*m+|a+h+|o+h+|well|so|sorry|please|excuse me|like"
    r"|you know|i mean|let's see|let me see|okay so|ok so|um ok|honestly|frankly|to be honest"
    r"|to be fair|truthfully|if that's (?:ok|okay|alright|fine)|if that is (?:ok|okay|fine)"
    r"|if you don't mind)\s*)+"
)
_EDGE_WORDS = (
    r"um+|uh+|er+|erm+|hm+|mm+|ah+|oh+|well|so|sorry|please|ok|okay|alright|yeah|yes|actually"
    r"|just|hi|hello|hey|then|now|also|anyway|excuse me|maybe|um ok|uh ok"
    r"|honestly|frankly|to be honest|truthfully|to be fair|really|i guess|i'm afraid|i fear"
)
_LEADING_EDGE = re.compile(rf"^(?:(?:{_EDGE_WORDS})\s+)+")
_TRAILING_EDGE = re.compile(rf"(?:\s+(?:{_EDGE_WORDS}))+$")
LEADING_FILLER = re.compile(rf"^(?:(?:{_EDGE_WORDS})\b[\s,.!]*)+", re.I)
_REPEAT_ALONE = re.compile(r"(?:sorry|pardon|what|huh|excuse me|come again|sorry what)\s*\?+")
CLAUSE_SPLIT = re.compile(r"[.,;:!?\n…]+|\s+(?:and|but)\s+|\s+-\s+")
_QUESTION_START = re.compile(
    r"^(?:can|could|would|should|do|does|did|is|are|was|were|will|may|shall|am)\s+"
    r"(?:you|i|we|it|this|that|there|they|my)\b"
)
_ASKING_WORD = re.compile(
    r"^(?:what|what's|whats|which|who|whose|when|where|why|how|how's|is|are|am|was|were|do"
    r"|does|did|can|could|would|should|will|shall|may|might|have|has|had|isn't|aren't|don't"
    r"|doesn't|didn't|won't|wouldn't|shouldn't|couldn't|can't|like|meaning|you mean)\b"
)
# An answer may end with a rising "?" ("Maybe by hashing the key?"); a question to the
# interviewer opens like one, or is a few words ("In production?").
MAX_WORDS_OF_A_BARE_QUESTION = 5


def normal_words(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return " ".join(text.split())


def _clause_request(clause: str) -> Request | str:
    """A clause's request, "filler", or "content"."""
    if not clause:
        return "filler"
    if FILLER.fullmatch(clause):
        return "filler"
    for request in REQUEST_PRIORITY:
        if COMPILED_REQUEST_PATTERNS[request].fullmatch(clause):
            return request
    stripped = _TRAILING_EDGE.sub("", _LEADING_EDGE.sub("", clause)).strip()
    if stripped and stripped != clause:
        for request in REQUEST_PRIORITY:
            if COMPILED_REQUEST_PATTERNS[request].fullmatch(stripped):
                return request
    return "content"


def find_request(text: str) -> Request | None:
    """The request the whole message makes, or None when it says anything else."""
    stripped = " ".join(text.split()).lower()
    if not stripped or len(stripped) > 300:
        return None
    if _REPEAT_ALONE.fullmatch(stripped):
        return Request.REPEAT
    found: set[Request] = set()
    for clause in CLAUSE_SPLIT.split(stripped.replace("’", "'")):
        kind = _clause_request(normal_words(clause))
        if kind == "content":
            return None
        if isinstance(kind, Request):
            found.add(kind)
    for request in REQUEST_PRIORITY:
        if request in found:
            return request
    return None


def is_noise(text: str) -> bool:
    """No words at all, or only filler ("um", "hmm...")."""
    words = normal_words(text)
    return not words or bool(FILLER.fullmatch(words))


def is_question(text: str) -> bool:
    """A question to the interviewer: ends with "?" or opens like one ("can you ...")."""
    stripped = text.strip()
    if stripped.endswith("?"):
        return True
    words = normal_words(stripped)
    return bool(_QUESTION_START.match(words)) and len(words.split()) <= 12


def is_answer_with_rising_end(text: str) -> bool:
    """An answer said as a question ("Maybe by hashing the key into an array?"): it ends
    with "?" but neither opens like a question nor is a few words ("In production?")."""
    stripped = text.strip()
    if not stripped.endswith("?"):
        return False
    words = normal_words(stripped)
    opening = normal_words(LEADING_FILLER.sub("", stripped)) or words
    return not _ASKING_WORD.match(opening) and len(words.split()) > MAX_WORDS_OF_A_BARE_QUESTION


def looks_unfinished(text: str) -> bool:
    """The message stops mid-sentence ("...", a trailing comma or "and"): more is coming."""
    stripped = text.rstrip()
    if stripped.endswith(("...", "…", ",", ":", ";", "-", "–")):
        return True
    words = normal_words(stripped).split()
    return bool(words) and words[-1] in {"and", "but", "so", "because", "or", "then", "also"}


def says_finished(text: str) -> bool:
    """The message ends by saying the answer is complete ("... and that's it")."""
    clauses = [c for c in CLAUSE_SPLIT.split(text.lower().replace("’", "'")) if normal_words(c)]
    return bool(clauses) and _clause_request(normal_words(clauses[-1])) == Request.FINISHED


_SENTENCE_END = re.compile(r"[.!?…]+")


def without_finished_tail(text: str) -> str:
    """The answer without the words that said it was complete ("... and that's it"):
    "I'd check the logs. That's it." -> "I'd check the logs."; the text itself when
    nothing else is left."""
    current = text.strip()
    while current:
        last = None
        for separator in CLAUSE_SPLIT.finditer(current):
            if normal_words(current[separator.end() :]):
                last = separator
        if last is None:
            if _clause_request(normal_words(current)) == Request.FINISHED:
                break  # only the closing words: kept as they are
            return current
        clause = normal_words(current[last.end() :])
        if _clause_request(clause) != Request.FINISHED:
            return current
        ending = _SENTENCE_END.search(last.group())
        current = (current[: last.start()] + (ending.group() if ending else "")).strip()
    return text.strip()
