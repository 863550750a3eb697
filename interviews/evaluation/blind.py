"""What the model sees: questions, rubrics and what was said, with the candidate's name
and email scrubbed."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from interviews.models import Candidate, Interview, TranscriptSegment

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NAME_PLACEHOLDER = "[candidate]"
EMAIL_PLACEHOLDER = "[email]"


def _scrubber(candidate: Candidate | None) -> Callable[[str], str]:
    """Removes the candidate's email and name (whole, and each part) from a text."""
    patterns: list[tuple[re.Pattern[str], str]] = []
    if candidate is not None:
        patterns.append((re.compile(re.escape(candidate.email), re.IGNORECASE), EMAIL_PLACEHOLDER))
        words = [candidate.name, *candidate.name.split(), candidate.email.split("@")[0]]
        for word in sorted({w for w in words if len(w) >= 2}, key=len, reverse=True):
            patterns.append(
                (re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE), NAME_PLACEHOLDER)
            )

    def scrub(text: str) -> str:
        for pattern, placeholder in patterns:
            text = pattern.sub(placeholder, text)
        return EMAIL_PATTERN.sub(EMAIL_PLACEHOLDER, text)

    return scrub


# Where an interviewer model (realtime, pipeline) records an answer, it records its own
# summary of what was said: not the candidate's words. The structured interviewer records
# the candidate's words.
VERBATIM_ANSWER_MODES = ("structured",)
SUMMARY_KEY = "interviewer_summary_of_answer"
# A follow-up's rubric is the interviewer's, not the hiring team's.
RUBRIC_BY_INTERVIEWER = "the AI interviewer (not the hiring team)"
RUBRIC_BY_TEAM = "the hiring team"


@dataclass(frozen=True)
class BlindInput:
    """The evaluator's whole view of an interview."""

    questions: list[dict]
    transcript: list[dict]

    @property
    def candidate_texts(self) -> list[str]:
        """What the candidate said, as the model saw it: where quotes must come from. The
        transcript, and answers only where they are the candidate's words."""
        said = [s["text"] for s in self.transcript if s["speaker"] == "candidate"]
        return said + [q["answer"] for q in self.questions if q.get("answer")]

    def as_prompt(self) -> str:
        return json.dumps(
            {"questions": self.questions, "transcript": self.transcript},
            ensure_ascii=False,
            indent=1,
        )


def blind_input(*, interview: Interview) -> BlindInput:
    """Questions, rubrics, answers and the transcript from the first question on (before
    it, the candidate is identifying themselves), with name and email scrubbed."""
    scrub = _scrubber(interview.candidate)
    asked = list(interview.asked.select_related("follow_up_to").order_by("sequence"))
    answer_key = "answer" if interview.ai_mode in VERBATIM_ANSWER_MODES else SUMMARY_KEY
    questions = [
        {
            "id": f"q{item.sequence}",
            "stage": item.stage,
            "follow_up_to": f"q{item.follow_up_to.sequence}" if item.follow_up_to else None,
            "question": scrub(item.text),
            "rubric": scrub(item.rubric),
            "rubric_written_by": RUBRIC_BY_INTERVIEWER if item.follow_up_to_id else RUBRIC_BY_TEAM,
            answer_key: scrub(item.answer),
        }
        for item in asked
    ]
    segments = interview.transcript.order_by("sequence")
    if asked:
        segments = segments.filter(spoken_at__gte=min(item.asked_at for item in asked))
    transcript = [
        {
            "speaker": "candidate"
            if segment.speaker == TranscriptSegment.Speaker.CANDIDATE
            else "interviewer",
            "text": scrub(segment.text),
        }
        for segment in segments
    ]
    return BlindInput(questions=questions, transcript=transcript)
