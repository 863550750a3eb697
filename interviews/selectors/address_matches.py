"""Interviews nobody was identified in that may be a candidate's: an emailed code went to
their address, or the transcript holds the address, whole (typed, or spoken: "ann at
example dot co"). A person confirms each one before it is exported or erased: an address
in a transcript may be someone else's mention of it."""

import re
from dataclasses import dataclass

from interviews.models import Candidate, Interview, TranscriptSegment

_SPOKEN = (
    (re.compile(r"\s+at\s+"), "@"),
    (re.compile(r"\s+(?:dot|period|point|full\s+stop)\s+"), "."),
    (re.compile(r"\s+underscore\s+"), "_"),
    (re.compile(r"\s+(?:dash|hyphen|minus)\s+"), "-"),
    (re.compile(r"\s+plus\s+"), "+"),
    (re.compile(r"\s*@\s*"), "@"),
)
PASSAGE_LENGTH = 160


@dataclass(frozen=True)
class UnidentifiedMatch:
    interview: Interview
    # Why it may be theirs: "a code was emailed to the address" or a transcript passage.
    reason: str
    passage: str


def normalised_text(text: str) -> str:
    """The text with spoken address words written as characters, lower-cased."""
    text = " " + text.lower() + " "
    for pattern, character in _SPOKEN:
        text = pattern.sub(character, text)
    return text


def mentions_address(text: str, email: str) -> bool:
    """Whether `text` holds `email` as a whole address, not inside a longer one."""
    pattern = re.compile(
        r"(?<![a-z0-9._%+\-])" + re.escape(email.lower()) + r"(?![a-z0-9\-]|\.[a-z0-9])"
    )
    return pattern.search(normalised_text(text)) is not None


def unidentified_matches(*, candidate: Candidate) -> list[UnidentifiedMatch]:
    """Open-link interviews without a candidate that may be this candidate's, oldest first."""
    email = candidate.email
    matches: dict[int, UnidentifiedMatch] = {}
    coded = (
        Interview.objects.filter(candidate__isnull=True, email_codes__email=email)
        .select_related("position")
        .distinct()
    )
    for interview in coded:
        matches[interview.pk] = UnidentifiedMatch(
            interview, "A code was emailed to the address in it.", ""
        )
    local_part = email.split("@")[0]
    # Every spoken or typed form holds the local part's first word: a narrow first pass.
    first_word = re.split(r"[._+\-]", local_part)[0] or local_part
    segments = (
        TranscriptSegment.objects.filter(
            interview__candidate__isnull=True, text__icontains=first_word
        )
        .select_related("interview__position")
        .order_by("interview_id", "sequence")
    )
    for segment in segments:
        if segment.interview_id in matches or not mentions_address(segment.text, email):
            continue
        matches[segment.interview_id] = UnidentifiedMatch(
            segment.interview,
            "The address is in its transcript.",
            segment.text[:PASSAGE_LENGTH],
        )
    return sorted(matches.values(), key=lambda m: (m.interview.created_at, m.interview.pk))


def confirmed_unidentified(*, candidate: Candidate, confirmed: object) -> list[int]:
    """The interviews among `confirmed` (ids a person ticked) that do match the candidate."""
    wanted = set()
    for value in confirmed if isinstance(confirmed, list | tuple | set) else ():
        try:
            wanted.add(int(value))
        except (TypeError, ValueError):
            continue
    if not wanted:  # nothing ticked: nothing to look up
        return []
    return [
        m.interview.pk
        for m in unidentified_matches(candidate=candidate)
        if m.interview.pk in wanted
    ]
