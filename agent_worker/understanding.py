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

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from agent_worker.spoken import MAX_READ_LENGTH, find_email, read_experience


class Asking(StrEnum):
    """What the interviewer asked for last."""

    EMAIL = "email"
    NAME = "name"
    POSITION = "position"
    EXPERIENCE = "experience"
    ANSWER = "answer"
    CONFIRMATION = "confirmation"


IDENTIFICATION = (Asking.EMAIL, Asking.NAME, Asking.POSITION, Asking.EXPERIENCE)


class Request(StrEnum):
    REPEAT = "repeat"
    CLARIFY = "clarify"
    SKIP = "skip"
    DONT_KNOW = "dont_know"
    GO_BACK = "go_back"
    PAUSE = "pause"
    READY = "ready"
    STOP = "stop"
    FINISHED = "finished"
    YES = "yes"
    NO = "no"
    GREETING = "greeting"
    ACKNOWLEDGE = "acknowledge"


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

    @property
    def has_fields(self) -> bool:
        return any(
            value is not None
            for value in (self.email, self.name, self.experience, self.position_said)
        )


# --- Requests ---------------------------------------------------------------------------

# Polite frames around a request: "could you please ...", "I'd like to ...".
_P = (
    r"(?:(?:(?:can|could|would|will|may|shall) (?:you|we|i)(?: please| maybe| just| kindly)? "
    r"|please |kindly |(?:i'd|i would|we'd|we would) (?:like|love|prefer|want) (?:you )?to "
    r"|(?:i|we) (?:want|need|wish) (?:you )?to |let's |let us |lets "
    r"|(?:do you|would you) mind |is it (?:ok|okay|possible|alright) (?:if (?:we|i) |to )"
    r"|i'd rather |i would rather |i think (?:we should |i(?:'ll| will) )?|maybe |perhaps "
    r"|we should |i should |just ))*"
)
_S = (
    r"(?: (?:please|for me|if (?:you|that's|that is) (?:don't mind|ok|okay|possible|alright)"
    r"|if possible|now|here|then|again|thanks|thank you|sorry))*"
)
_THIS = r"(?:it|this|that|this one|that one|the question|this question|that question)"

_REQUEST_PATTERNS: dict[Request, str] = {
    Request.REPEAT: (
        rf"{_P}(?:repeat|say again|say (?:it|that|this) again|read (?:it|that|the question) "
        rf"again|ask (?:it|that|the question) again|ask again|go over (?:it|that|the question) "
        r"again)(?: (?:that|it|this|the question|that question|this question|the last question"
        r"|the last part|what you said|yourself))?(?: (?:again|once more|one more time))?"
        rf"{_S}"
        r"|(?:what (?:was|is|were) (?:the|that|your) (?:question|last question|last part)"
        r"|what was that|what did you (?:say|ask)|what's the question|come again|pardon(?: me)?"
        r"|once more|one more time|again|say again|sorry what"
        r"|i (?:didn't|did not|couldn't|could not|can't|cannot|didnt) (?:catch|hear) "
        r"(?:that|it|you|the question|what you said|the last part)"
        rf"|i missed (?:that|it|the question|the last part)){_S}"
    ),
    Request.CLARIFY: (
        r"(?:what do you mean(?: by (?:that|this|it|[a-z' ]{1,40}))?|what does (?:that|this|it) "
        r"mean|what is meant by [a-z' ]{1,40}"
        r"|i (?:don't|do not|dont|didn't|did not) (?:understand|get)(?: (?:the question|that|this"
        r"|it|what you mean|what you're asking|what you are asking))?"
        r"|i'm confused|i am confused|(?:i'm |i am )?not sure what you mean"
        r"|(?:i'm |i am )?not sure (?:what|how) to answer(?: (?:that|this|it))?"
        r"|in what sense|meaning|what exactly do you mean|which one|what are you looking for"
        r"|what kind of (?:answer|example|situation|project)(?: (?:are you looking for|do you "
        rf"want|do you mean|should i give))?){_S}"
        rf"|{_P}(?:clarify|explain|rephrase|elaborate(?: on)?|reword|simplify|be more specific"
        r"|give (?:me )?(?:an example|some context|more context|a hint)"
        r"|put (?:it|that) (?:another|a different) way|say (?:it|that) (?:another way|differently"
        r"|in another way))(?: (?:that|this|it|the question|what you mean|a bit|a little))*"
        rf"(?: (?:more|further|differently))?{_S}"
    ),
    Request.SKIP: (
        rf"{_P}(?:skip(?: {_THIS}| ahead| to the next (?:one|question))?|pass(?: on {_THIS})?"
        r"|move on(?: to the next (?:one|question))?|go to the next (?:one|question)"
        rf"|next(?: question| one)?|come back to {_THIS}(?: later)?|leave {_THIS}(?: for later)?"
        rf"|not answer(?: {_THIS})?){_S}"
        r"|(?:i(?:'ll| will) pass|i(?:'d| would) rather not (?:answer|say|talk about it)"
        rf"(?: {_THIS})?|i prefer not to (?:answer|say)(?: {_THIS})?|no answer|no comment"
        rf"|skip please){_S}"
    ),
    Request.DONT_KNOW: (
        r"(?:i (?:really )?(?:don't|do not|dont) (?:really )?know(?: (?:the answer(?: to "
        r"(?:that|this|it))?|how to answer (?:that|this|it)|that|this|this one|that one"
        r"|what to say|anything about (?:that|this|it)))?"
        r"|(?:i have |i've |i've got |i got )?(?:absolutely )?no (?:idea|clue)"
        r"|(?:i'm |i am |im )?(?:really )?not sure(?: about (?:that|this|it))?|dunno"
        r"|i (?:can't|cannot|cant) answer (?:that|this|it|this one)"
        r"|i (?:don't|do not) have an answer(?: (?:to|for) (?:that|this|it))?"
        r"|i (?:don't|do not|can't|cannot) remember|beats me|i have no answer"
        rf"|my mind is blank|i(?:'m| am) drawing a blank|i'm blank){_S}"
    ),
    Request.GO_BACK: (
        r"(?:"
        rf"{_P}(?:go back(?: to (?:it|that|that one|the previous (?:question|one)|the last "
        r"(?:question|one)|the question before|question \w+|my (?:last|previous) answer))?"
        r"|return to (?:the )?(?:previous|last) (?:question|one)|(?:go )?back to the (?:previous"
        r"|last) (?:question|one)|see the (?:previous|last) question|previous question"
        r"|(?:the )?last question again|change my (?:last |previous )?answer"
        r"|add (?:something|more|a bit) to my (?:last|previous) answer"
        r"|redo the (?:last|previous) (?:question|answer)|revisit the (?:last|previous) question)"
        rf"){_S}"
    ),
    Request.PAUSE: (
        rf"{_P}(?:give me (?:a|one|a few|some|just a|just one) (?:minute|moment|second|sec"
        r"|few minutes|bit|moment to think|second to think|minute to think)"
        r"|(?:have|take|get) (?:a|one|a short) (?:minute|moment|second|sec|break|pause)"
        r"|pause(?: (?:it|the interview|for a (?:moment|minute|second)))?"
        r"|think (?:about it|for a (?:moment|minute|second))|hold on|hang on"
        rf"|wait(?: a (?:moment|minute|second|sec|bit))?){_S}"
        r"|(?:(?:one|a|just a|just one) (?:moment|minute|second|sec)|brb|be right back"
        r"|i(?:'ll| will) be right back|bear with me"
        r"|i need (?:a|one|a few|some) (?:minute|moment|second|minutes|break|time to think|time)"
        r"|let me think(?: about (?:it|that|this))?|let me (?:see|check|get some water)"
        rf"|thinking|i need to think){_S}"
    ),
    Request.READY: (
        r"(?:(?:i'm|i am|im|we're|we are) (?:ready|back)(?: now)?(?: to (?:continue|go on|start))?"
        r"|ready(?: now)?|back|(?:let's|let us|lets|we can|you can|please) (?:continue|go on"
        r"|carry on|resume|proceed|go|start)|continue|go ahead|go on|carry on|resume|proceed"
        rf"|shall we continue){_S}"
    ),
    Request.STOP: (
        rf"{_P}(?:stop(?: (?:here|now|this|it|the interview|this interview|for today))*"
        r"|end(?: (?:it|this|here|now|the interview|this interview|the session|the call))+"
        r"|finish(?: (?:it|here|now|the interview|this interview))+"
        r"|quit(?: (?:the interview|this|now))*|leave(?: (?:the interview|now))*"
        r"|exit(?: (?:the interview|now))*|cancel(?: (?:the interview|this interview|it))?"
        r"|wrap (?:it|this) up(?: here| now)?|call it a day|not continue|discontinue)"
        rf"{_S}"
        r"|(?:i (?:have|need|got) to (?:go|leave|stop|run)(?: now)?"
        r"|i(?:'m| am) not interested(?: anymore| any more)?"
        r"|i (?:don't|do not) want to (?:continue|do this|go on)(?: anymore| any more)?"
        rf"|that's enough|that is enough|i quit|i give up|end interview|stop please){_S}"
    ),
    Request.FINISHED: (
        r"(?:(?:and )?(?:i think |yeah )?that(?:'s| is| was| should be) (?:it|all|about it"
        r"|everything|my answer|all i have(?: to say)?|all from me|it from me"
        r"|all for this (?:one|question))"
        r"|(?:i'm|i am|im) (?:done|finished)(?: (?:with (?:this|that|my answer|the answer)"
        r"|answering))?|done|finished|all done|nothing (?:more|else)(?: to add)?"
        r"|end of (?:my )?answer|over to you|over|i have nothing (?:more|else)(?: to add| to say)?"
        rf"){_S}"
    ),
    Request.YES: (
        r"(?:yes|yeah|yep|yup|ya|yea|aye|correct|that's (?:right|correct)|that is (?:right"
        r"|correct)|indeed|absolutely|of course|definitely|affirmative|please do|do it"
        r"|i'm sure|i am sure|exactly|i confirm|confirm(?:ed)?|uh huh|sure thing)"
        r"(?: (?:please|i do|it is|that's right|i'm sure|sure|thanks|thank you|go ahead))*"
    ),
    Request.NO: (
        r"(?:no|nope|nah|no thanks|no thank you|not really|no no|not now|not yet|never ?mind"
        r"|cancel that|don't stop|do not stop|i (?:don't|do not) want to stop|keep going"
        r"|let's keep going|i (?:want|would like|'d like) to continue|i'd like to continue"
        r"|no way)(?: (?:thanks|thank you|please|wait|sorry|continue|let's continue"
        r"|keep going|not yet))*"
    ),
    Request.GREETING: (
        r"(?:(?:hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening|day))"
        r"(?: (?:there|everyone|again))?"
        r"|(?:(?:hi|hello|hey) )?(?:are you (?:there|still there)|is (?:anyone|anybody) "
        r"there|can you (?:hear|see) me))"
    ),
    Request.ACKNOWLEDGE: (
        r"(?:ok|okay|k|alright|all right|sure|got it|cool|great|thanks|thank you|thanks a lot"
        r"|thank you very much|understood|fine|sounds good|perfect|right|i see|noted|good|nice"
        r"|no problem)(?: (?:thanks|thank you|cool|then|got it))*"
    ),
}
_COMPILED = {request: re.compile(pattern) for request, pattern in _REQUEST_PATTERNS.items()}
# When a message holds several requests, the one acted on.
_PRIORITY = (
    Request.STOP,
    Request.GO_BACK,
    Request.SKIP,
    Request.DONT_KNOW,
    Request.CLARIFY,
    Request.REPEAT,
    Request.PAUSE,
    Request.READY,
    Request.FINISHED,
    Request.NO,
    Request.YES,
    Request.GREETING,
    Request.ACKNOWLEDGE,
)
_FILLER = re.compile(
    r"(?:(?:u+m+|u+h+|e+r+|e+r+m+|h+m+|m+h*m+|a+h+|o+h+|well|so|sorry|please|excuse me|like"
    r"|you know|i mean|let's see|let me see|okay so|ok so|um ok)\s*)+"
)
_EDGE_WORDS = (
    r"um+|uh+|er+|erm+|hm+|mm+|ah+|oh+|well|so|sorry|please|ok|okay|alright|yeah|yes|actually"
    r"|just|hi|hello|hey|then|now|also|anyway|excuse me|maybe|um ok|uh ok"
)
_LEADING_EDGE = re.compile(rf"^(?:(?:{_EDGE_WORDS})\s+)+")
_TRAILING_EDGE = re.compile(rf"(?:\s+(?:{_EDGE_WORDS}))+$")
_LEADING_EDGE_ANY_CASE = re.compile(rf"^(?:(?:{_EDGE_WORDS})\b[\s,.!]*)+", re.I)
_REPEAT_ALONE = re.compile(r"(?:sorry|pardon|what|huh|excuse me|come again|sorry what)\s*\?+")
_CLAUSE_SPLIT = re.compile(r"[.,;:!?\n…]+|\s+(?:and|but)\s+|\s+-\s+")
_QUESTION_START = re.compile(
    r"^(?:can|could|would|should|do|does|did|is|are|was|were|will|may|shall|am)\s+"
    r"(?:you|i|we|it|this|that|there|they|my)\b"
)


def _normal(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return " ".join(text.split())


def _clause_request(clause: str) -> Request | str:
    """A clause's request, "filler", or "content"."""
    if not clause:
        return "filler"
    if _FILLER.fullmatch(clause):
        return "filler"
    for request in _PRIORITY:
        if _COMPILED[request].fullmatch(clause):
            return request
    stripped = _TRAILING_EDGE.sub("", _LEADING_EDGE.sub("", clause)).strip()
    if stripped and stripped != clause:
        for request in _PRIORITY:
            if _COMPILED[request].fullmatch(stripped):
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
    for clause in _CLAUSE_SPLIT.split(stripped.replace("’", "'")):
        kind = _clause_request(_normal(clause))
        if kind == "content":
            return None
        if isinstance(kind, Request):
            found.add(kind)
    for request in _PRIORITY:
        if request in found:
            return request
    return None


def is_noise(text: str) -> bool:
    """No words at all, or only filler ("um", "hmm...")."""
    words = _normal(text)
    return not words or bool(_FILLER.fullmatch(words))


def is_question(text: str) -> bool:
    """A question to the interviewer: ends with "?" or opens like one ("can you ...")."""
    stripped = text.strip()
    if stripped.endswith("?"):
        return True
    words = _normal(stripped)
    return bool(_QUESTION_START.match(words)) and len(words.split()) <= 12


def looks_unfinished(text: str) -> bool:
    """The message stops mid-sentence ("...", a trailing comma or "and"): more is coming."""
    stripped = text.rstrip()
    if stripped.endswith(("...", "…", ",", ":", ";", "-", "–")):
        return True
    words = _normal(stripped).split()
    return bool(words) and words[-1] in {"and", "but", "so", "because", "or", "then", "also"}


def says_finished(text: str) -> bool:
    """The message ends by saying the answer is complete ("... and that's it")."""
    clauses = [c for c in _CLAUSE_SPLIT.split(text.lower().replace("’", "'")) if _normal(c)]
    return bool(clauses) and _clause_request(_normal(clauses[-1])) == Request.FINISHED


# --- Names ------------------------------------------------------------------------------

_NOT_NAME_WORDS = frozenset(
    """
    a about above actually after again against ago all almost alright also am an and any
    anyway are around as at away back bad be because been before being below best better
    between both but by can can't cannot could couldn't did didn't do does doesn't doing
    don't done down during each either else enough even ever every few fine first for from
    further get gets getting give glad go going gone good got great had has have having he
    her here hers herself him himself his how however i i'd i'll i'm i've if im in into is
    isn't it it's its itself just keep kind last later least less let let's like lot made
    make many may maybe me might mine more most much must my myself need never new next
    nice no nope nor not nothing now of off often oh ok okay on once one only or other our
    out over own please pretty quite rather re really right said same say says see she
    should so some something soon sorry still such sure than thank thanks that that's the
    their them then there these they thing things think this those though through to too
    under until up upon us very was we well were what when where which while who whom why
    will with without would yeah yes yet you your yours yup hi hello hey hmm um uh er erm
    ah ooh oops wow huh mhm okay cool great correct true false here's there's what's
    where's who's how's ready looking applying applied apply interested excited happy
    calling speaking working based currently called named name names email mail e-mail
    address phone number years year experience experienced months month decade decades
    old young fresh graduate graduated student junior senior lead principal staff intern
    role position job jobs opening vacancy post interview interviewing interviewer
    candidate application company team backend back-end frontend front-end fullstack
    full-stack stack developer developers engineer engineers engineering software hardware
    data scientist science analyst analytics product manager management designer design
    programmer coder architect consultant specialist administrator admin devops ml ai
    machine learning web mobile cloud qa test tester support sales marketing
    skip pass repeat clarify stop end quit finished wait pause continue question questions
    answer answers mean meaning understand know idea clue sure dunno busy sorry fine
    zero two three four five six seven eight nine ten eleven twelve twenty thirty forty
    fifty sixty dot at com org net underscore dash hyphen gmail hotmail yahoo outlook
    meet meeting nice pleasure morning afternoon evening day today glad mr mrs ms miss
    dr prof sir madam
    """.split()
)
_PARTICLES = frozenset(
    "de da del della der den di du dos das van von la le bin binti ibn al el".split()
)
_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?")
_STRONG_LEAD_IN = re.compile(
    r"\b(?:my (?:full |first |last )?name(?:\s+is|'s|\s*:)|name(?:\s+is|'s|\s*:)"
    r"|(?:you can |people |everyone |friends )?call me|i go by|i am called|i'm called)\s+",
    re.I,
)
_WEAK_LEAD_IN = re.compile(r"\b(?:i'm|i’m|i am|im|it's|it’s|it is|this is|here is|here's)\s+", re.I)
_NAME_SEGMENTS = re.compile(
    r"[,;:!?\n()/\"“”]+|\.\s+(?=[a-z])|\.$|\s+[-–—]+\s+"
    r"|\s+(?:[Aa]nd|[Bb]ut|[Oo]r|&|[Ff]rom|[Ww]ith)\s+"
)
# Words that are never a name, even capitalized right after "my name is".
_FUNCTION_WORDS = frozenset(
    """a an the my your his her our their i me you we they it this that is am are was be
    not no yes and or but of to in on at for with from by as so just very""".split()
)
MAX_NAME_WORDS = 5
MAX_NAME_LENGTH = 100


def _name_word(token: str, *, after_lead_in: bool = False) -> str | None:
    """`token` without surrounding punctuation when it can be part of a name, else None.

    `after_lead_in`: right after "my name is", a capitalized common word is a name
    ("Will", "Rose").
    """
    word = token.strip("\"'“”‘’()[]{}<>*_")
    if len(word) > 30 or not _NAME_TOKEN.fullmatch(word):
        return None
    bare = word.rstrip(".").lower().replace("’", "'")
    common = bare in _NOT_NAME_WORDS and not (len(bare) == 1 and word.endswith("."))
    if after_lead_in and word[:1].isupper() and bare not in _FUNCTION_WORDS:
        common = False
    if common:
        return None
    if len(bare) == 1 and not word.endswith(".") and not word.isupper():
        return None  # a lone lower-case letter is a spelled address, not an initial
    return word


def _name_runs(segment: str) -> list[list[str]]:
    runs: list[list[str]] = []
    current: list[str] = []
    for token in segment.split():
        word = _name_word(token)
        if word is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(word)
    if current:
        runs.append(current)
    trimmed = [_trim_particles(run) for run in runs]
    return [run for run in trimmed if run]


def _trim_particles(run: list[str]) -> list[str]:
    while run and run[0].lower() in _PARTICLES:
        run = run[1:]
    while run and run[-1].lower() in _PARTICLES:
        run = run[:-1]
    return run


def _as_name(words: list[str], titles: Sequence[str]) -> str | None:
    if not 1 <= len(words) <= MAX_NAME_WORDS:
        return None
    name = " ".join(words)
    if name.endswith(".") and not re.search(r"\b\w\.$", name):
        name = name[:-1]
    if name.lower() in {title.lower() for title in titles}:
        return None
    if name == name.lower():
        name = " ".join(part[:1].upper() + part[1:] for part in name.split())
    return name[:MAX_NAME_LENGTH]


def _after_lead_in(
    text: str, lead_in: re.Pattern[str], *, strong: bool = False
) -> list[str] | None:
    for match in lead_in.finditer(text):
        rest = _NAME_SEGMENTS.split(text[match.end() :], maxsplit=1)[0]
        words: list[str] = []
        for token in rest.split():
            word = _name_word(token, after_lead_in=strong)
            if word is None:
                break
            words.append(word)
            if len(words) > MAX_NAME_WORDS:
                break
        words = _trim_particles(words)
        if words:
            return words
    return None


def _capitalized(words: list[str]) -> bool:
    return all(word[:1].isupper() for word in words)


def find_name(
    text: str, *, asked: bool, listing: bool = False, titles: Sequence[str] = ()
) -> str | None:
    """The candidate's name in `text` (the email address already taken out), or None.

    `asked`: a name is what the interviewer asked for, so a bare name counts.
    `listing`: the message also carries other fields ("Priya, priya@x.com, 5 years").
    """
    text = text[:MAX_READ_LENGTH]
    words = _after_lead_in(text, _STRONG_LEAD_IN, strong=True)
    if words:
        return _as_name(words, titles)
    words = _after_lead_in(text, _WEAK_LEAD_IN)
    if words and (asked or listing or _capitalized(words)):
        return _as_name(words, titles)
    segments = [s for s in _NAME_SEGMENTS.split(text) if s and s.strip()]
    if asked:
        runs = [run for segment in segments for run in _name_runs(segment)]
        if len(runs) > 1 and text != text.lower():
            runs = [run for run in runs if _capitalized(run)]
        if len(runs) == 1:
            return _as_name(runs[0], titles)
        return None
    for segment in segments:
        body = _LEADING_EDGE_ANY_CASE.sub("", segment.strip())
        runs = _name_runs(body)
        if len(runs) != 1 or len(runs[0]) != len(body.split()):
            continue
        run = runs[0]
        if (listing and (len(run) >= 2 or _capitalized(run))) or (
            len(segments) == 1 and len(run) >= 2 and _capitalized(run)
        ):
            return _as_name(run, titles)
    return None


# --- Positions --------------------------------------------------------------------------

# Words a candidate uses for a kind of role, keyed by the title they most likely mean.
# A keyword counts only when that title is among the open positions.
POSITION_ALIASES: dict[str, tuple[str, ...]] = {
    "software engineer": (
        "software",
        "backend",
        "back end",
        "frontend",
        "front end",
        "full stack",
        "fullstack",
        "developer",
        "engineer",
        "engineering",
        "programmer",
        "programming",
        "coder",
        "swe",
        "sde",
        "dev",
        "web",
    ),
    "data scientist": (
        "data",
        "ml",
        "machine learning",
        "analytics",
        "analyst",
        "data science",
        "scientist",
        "ai",
        "statistics",
    ),
    "product manager": ("product", "pm", "product management", "product owner"),
}
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


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9+#]+", " ", text.lower().replace("-", " ")).split()


def _contains(haystack: list[str], needle: list[str]) -> bool:
    if not needle:
        return False
    size = len(needle)
    return any(haystack[i : i + size] == needle for i in range(len(haystack) - size + 1))


def match_position(text: str, titles: Sequence[str]) -> str | None:
    """The one title in `titles` that `text` names, loosely; None when none or several do."""
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
        content = [w for w in _words(phrase) if w not in _NOT_NAME_WORDS or len(w) > 3]
        partial = [t for t, words in by_words.items() if content and set(content) <= set(words)]
        if len(partial) == 1:
            return partial[0]
        if len(partial) > 1:
            return None
    aliased = set()
    lowered = {title.lower(): title for title in titles}
    for canonical, keywords in POSITION_ALIASES.items():
        if canonical in lowered and any(_contains(said, _words(k)) for k in keywords):
            aliased.add(lowered[canonical])
    if len(aliased) == 1:
        return aliased.pop()
    return None


def position_phrase(text: str) -> str | None:
    """The candidate's words for a position, without "I'm applying for the ... role"."""
    clauses = [c for c in _CLAUSE_SPLIT.split(text[:300].lower()) if _normal(c)]
    for clause in clauses:
        phrase = _normal(clause)
        phrase = _POSITION_LEAD_IN.sub("", phrase, count=1)
        phrase = _POSITION_TAIL.sub("", phrase).strip()
        if phrase and len(phrase.split()) <= 6 and _FILLER.fullmatch(phrase) is None:
            if find_request(phrase) is None:
                return phrase
    return None


# --- One message ------------------------------------------------------------------------


def understand(text: str, *, asking: Asking, titles: Sequence[str] = ()) -> Understanding:
    """What `text` contains, given what the interviewer asked for last.

    `titles`: the open positions' titles, to match a position against (and never to
    mistake for a name).
    """
    if not isinstance(text, str):
        return Understanding(noise=True)
    text = " ".join(text.replace("\x00", "").split())
    request = find_request(text)
    question = is_question(text)
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
        words = _after_lead_in(rest, _STRONG_LEAD_IN, strong=True)
        name = _as_name(words, titles) if words else None
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


def name_as_given(text: str) -> str | None:
    """`text` as a name when nothing better was understood: the words as given, without a
    lead-in, when they could be a name (not an address, a question, a request or only
    common words); None otherwise."""
    if not isinstance(text, str) or "@" in text or is_question(text) or find_request(text):
        return None
    text = " ".join(text.split())
    text = _STRONG_LEAD_IN.sub("", text, count=1)
    text = _WEAK_LEAD_IN.sub("", text, count=1).strip(" .,;:!-\"'")
    if not text or len(text) > MAX_NAME_LENGTH or len(text.split()) > 8:
        return None
    if find_email(text) or not any(_name_word(token) for token in text.split()):
        return None
    return text.title() if text == text.lower() else text
