"""A position in a candidate's words, matched loosely against the open titles: by the
title's words ("the Software Engineer position"), or by the aliases recruiters give a
position (Position.aliases: "backend, developer, swe" -> Software Engineer). Anything
that fits several titles matches none, so the interviewer confirms instead.
"""

import re
from collections.abc import Mapping, Sequence

from agent_worker.understanding.intents import Context
from agent_worker.understanding.limits import MAX_READ_LENGTH
from agent_worker.understanding.requests import CLAUSE_SPLIT, find_request, is_noise, normal_words

_POSITION_LEAD_IN = re.compile(
    r"^(?:(?:oh|ah|um|uh|sorry|so|well|yes|yeah|ok|okay|hi|hello)\s+)*"
    r"(?:(?:i'm|i am|im|i was|i've|i have)\s+)?(?:(?:currently|actually|here)\s+)?"
    r"(?:applying|applied|interviewing|here|interested|looking)?\s*(?:for|to|in)?\s*"
    r"(?:(?:the|a|an|your|this)\s+)?(?:(?:job|role|position|opening)\s+(?:of|as|for)\s+)?"
    r"(?:(?:as|be)\s+(?:a|an)\s+)?"
)
_POSITION_TAIL = re.compile(
    r"(?:\s+(?:position|role|job|opening|post|vacancy|one|here|please|thanks|thank you"
    r"|opportunity))+$"
)


_GLUE_WORDS = frozenset("a an the of for as in at to and or my your this that".split())


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9+#]+", " ", text.lower().replace("-", " ")).split()


def _contains(haystack: list[str], needle: list[str]) -> bool:
    if not needle:
        return False
    size = len(needle)
    return any(haystack[i : i + size] == needle for i in range(len(haystack) - size + 1))


def match_position(
    text: str, titles: Sequence[str], aliases: Mapping[str, Sequence[str]] | None = None
) -> str | None:
    """The one title in `titles` that `text` names, loosely; None when none or several do.

    `aliases`: by title, the other words recruiters gave for it."""
    said = _words(text[:MAX_READ_LENGTH])
    if not said or not titles:
        return None
    by_words = {title: _words(title) for title in titles}
    named = [title for title, words in by_words.items() if _contains(said, words)]
    if named:
        longest = max(named, key=lambda title: len(by_words[title]))
        if all(_contains(by_words[longest], by_words[title]) for title in named):
            return longest
        return None
    phrase = position_phrase(text)
    if phrase:
        content = [w for w in _words(phrase) if w not in _GLUE_WORDS]
        partial = [t for t, words in by_words.items() if content and set(content) <= set(words)]
        if len(partial) == 1:
            return partial[0]
        if len(partial) > 1:
            return None
    aliased = set()
    for title, keywords in (aliases or {}).items():
        if title in titles and any(_contains(said, _words(k)) for k in keywords):
            aliased.add(title)
    if len(aliased) == 1:
        return aliased.pop()
    return None


def position_phrase(text: str) -> str | None:
    """The candidate's words for a position, without "I'm applying for the ... role"."""
    clauses = [c for c in CLAUSE_SPLIT.split(text[:300].lower()) if normal_words(c)]
    for clause in clauses:
        phrase = normal_words(clause)
        phrase = _POSITION_LEAD_IN.sub("", phrase, count=1)
        phrase = _POSITION_TAIL.sub("", phrase).strip()
        if phrase and len(phrase.split()) <= 6 and not is_noise(phrase):
            if find_request(phrase, context=Context.POSITION) is None:
                return phrase
    return None
