"""Requests a candidate makes instead of answering, and what a message's shape says.

Which request a message is comes from the intent model (agent_worker.understanding
.intents); this module keeps the legacy `Request` names the tools and the AI modes'
record_answer guard use, and the shape rules that are rules: only filler, a question to
the interviewer, unfinished ("and..."), or ending with "that's it".
"""

import re
from enum import StrEnum

from agent_worker.understanding.intents import Context, Intent, IntentReading, read_intent


class Request(StrEnum):
    REPEAT = "repeat"
    CLARIFY = "clarify"
    SKIP = "skip"
    DONT_KNOW = "dont_know"
    GO_BACK = "go_back"
    PAUSE = "pause"
    STOP = "stop"
    FINISHED = "finished"
    YES = "yes"
    NO = "no"
    GREETING = "greeting"
    HINT = "hint"


# A request at least this sure is acted on as one; below it the dialogue asks.
SURE_REQUEST = 0.75
_BY_INTENT = {
    Intent.REPEAT: Request.REPEAT,
    Intent.CLARIFY: Request.CLARIFY,
    Intent.WAIT: Request.PAUSE,
    Intent.SKIP: Request.SKIP,
    Intent.BACK: Request.GO_BACK,
    Intent.STOP: Request.STOP,
    Intent.DONE: Request.FINISHED,
    Intent.SMALL_TALK: Request.GREETING,
    Intent.YES: Request.YES,
    Intent.NO: Request.NO,
    Intent.HINT: Request.HINT,
}
_NOT_KNOWING = re.compile(
    r"\b(?:know|idea|sure|clue|remember|familiar|dunno)\b|\bcan(?:no|')t answer", re.I
)

FILLER_WORDS = frozenset("um umm uh uhh er erm hm hmm mm mmm ah oh".split())
LEADING_FILLER = re.compile(
    r"^(?:(?:u+m+|u+h+|e+r+m*|h+m+|m+h*m+|a+h+|o+h+|well|so|okay|ok|yeah|yes)\b[\s,.!]*)+",
    re.I,
)
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
MAX_WORDS_OF_A_BARE_QUESTION = 5
# The last clause says the answer is complete when the model is at least this sure.
SURE_FINISHED = 0.6


def normal_words(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return " ".join(text.split())


def request_of(reading: IntentReading, text: str) -> Request | None:
    """The legacy request for an intent reading; None for an answer."""
    request = _BY_INTENT.get(reading.intent)
    if request is Request.SKIP and _NOT_KNOWING.search(text):
        return Request.DONT_KNOW
    return request


def find_request(text: str, *, context: Context = Context.QUESTION) -> Request | None:
    """The request the message surely makes, or None (an answer, or unsure)."""
    if not isinstance(text, str) or not normal_words(text) or len(text) > 300:
        return None
    reading = read_intent(text, context=context)
    if reading.intent is Intent.ANSWER or reading.confidence < SURE_REQUEST:
        return None
    return request_of(reading, text)


def is_noise(text: str) -> bool:
    """No words at all, or only filler ("um", "hmm...")."""
    words = normal_words(text).split()
    return all(word in FILLER_WORDS for word in words)


def is_question(text: str) -> bool:
    """A question to the interviewer: ends with "?" or opens like one ("can you ...")."""
    stripped = text.strip()
    if stripped.endswith("?"):
        return True
    words = normal_words(stripped)
    return bool(_QUESTION_START.match(words)) and len(words.split()) <= 12


def is_answer_with_rising_end(text: str) -> bool:
    """An answer said as a question ("Maybe by hashing the key into an array?")."""
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


def _says_done(clause: str) -> bool:
    words = normal_words(clause)
    if not words or len(words.split()) > 8:
        return False
    reading = read_intent(words, context=Context.QUESTION)
    return reading.intent is Intent.DONE and reading.confidence >= SURE_FINISHED


def says_finished(text: str) -> bool:
    """The message ends by saying the answer is complete ("... and that's it")."""
    clauses = [c for c in CLAUSE_SPLIT.split(text.lower().replace("’", "'")) if normal_words(c)]
    return bool(clauses) and _says_done(clauses[-1])


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
            return current if not _says_done(current) else text.strip()
        if not _says_done(current[last.end() :]):
            return current
        ending = _SENTENCE_END.search(last.group())
        current = (current[: last.start()] + (ending.group() if ending else "")).strip()
    return text.strip()
