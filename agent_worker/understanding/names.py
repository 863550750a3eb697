"""A candidate's name in a message: after a lead-in ("my name is", "I'm"), or bare
("Priya Natarajan") when a name is what was asked or the message lists other fields.
Words that are not names (question words, job titles, numbers, requests) never are; a
question, an email address or a request is never a name.
"""

import re
from collections.abc import Sequence

from agent_worker.understanding.emails import find_email
from agent_worker.understanding.limits import MAX_READ_LENGTH
from agent_worker.understanding.requests import LEADING_FILLER, find_request, is_question

NOT_NAME_WORDS = frozenset(
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
# Short words that are also family or given names ("Nguyen Van An", "Minh Do"): a name
# when capitalized after the first word of a name.
_SHORT_NAMES = frozenset("an do ho to".split())
MAX_NAME_WORDS = 5
MAX_NAME_LENGTH = 100


def _name_word(token: str, *, after_lead_in: bool = False, within_name: bool = False) -> str | None:
    """`token` without surrounding punctuation when it can be part of a name, else None.

    `after_lead_in`: right after "my name is", a capitalized common word is a name
    ("Will", "Rose"). `within_name`: a name's first word came before this one.
    """
    word = token.strip("\"'“”‘’()[]{}<>*_")
    if len(word) > 30 or not _NAME_TOKEN.fullmatch(word):
        return None
    bare = word.rstrip(".").lower().replace("’", "'")
    common = bare in NOT_NAME_WORDS and not (len(bare) == 1 and word.endswith("."))
    capitalized = word[:1].isupper()
    if after_lead_in and capitalized and bare not in _FUNCTION_WORDS:
        common = False
    if within_name and capitalized and bare in _SHORT_NAMES:
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
        word = _name_word(token, within_name=bool(current))
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
    while run and run[-1].lower() in _PARTICLES and len(run) > 1 and run[-1].islower():
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
            word = _name_word(token, after_lead_in=strong, within_name=bool(words))
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
        body = LEADING_FILLER.sub("", segment.strip())
        runs = _name_runs(body)
        if len(runs) != 1 or len(runs[0]) != len(body.split()):
            continue
        run = runs[0]
        if (listing and (len(run) >= 2 or _capitalized(run))) or (
            len(segments) == 1 and len(run) >= 2 and _capitalized(run)
        ):
            return _as_name(run, titles)
    return None


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


def name_after_lead_in(text: str, *, titles: Sequence[str] = ()) -> str | None:
    """The name after "my name is" (or "call me"), wherever it is in `text`."""
    words = _after_lead_in(text, _STRONG_LEAD_IN, strong=True)
    return _as_name(words, titles) if words else None
