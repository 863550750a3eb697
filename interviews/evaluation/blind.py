"""What the model sees: questions, rubrics and what was said, with the candidate's name
and email scrubbed."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from interviews.models import Candidate, CodeRun, Interview, InterviewQuestion, TranscriptSegment
from interviews.selectors.reports import ASKED_WITH_CODING, coding_work_of

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
        transcript, answers only where they are the candidate's words, and the code they
        wrote."""
        said = [s["text"] for s in self.transcript if s["speaker"] == "candidate"]
        code = [q["coding"]["final_code"] for q in self.questions if q.get("coding")]
        return said + [q["answer"] for q in self.questions if q.get("answer")] + code

    def as_prompt(self) -> str:
        return json.dumps(
            {"questions": self.questions, "transcript": self.transcript},
            ensure_ascii=False,
            indent=1,
        )


def _coding(item: InterviewQuestion, scrub: Callable[[str], str]) -> dict | None:
    """A coding question's evidence: the final code and the server's results (the only
    ones recorded: nothing the candidate's browser reported), runs and hints used."""
    work = coding_work_of(item)
    if work is None:
        return None
    runs = list(work.runs.all())
    submissions = [run for run in runs if run.kind == CodeRun.Kind.SUBMIT]
    final = submissions[-1] if submissions else None
    return {
        "submitted": final is not None,
        "final_code": scrub(final.code if final is not None else work.code),
        "server_result_of_submission": None
        if final is None
        else {
            "outcome": final.outcome,
            "visible_tests_passed": f"{final.visible_passed}/{final.visible_total}",
            "hidden_tests_passed": f"{final.hidden_passed}/{final.hidden_total}",
            "error": scrub(final.error),
        },
        "runs_before_submission": sum(1 for run in runs if run.kind == CodeRun.Kind.RUN),
        "hints_used": len(work.hints.all()),
        "minutes_to_submit": None
        if work.submitted_at is None
        else round((work.submitted_at - work.started_at).total_seconds() / 60, 1),
    }


def blind_input(*, interview: Interview) -> BlindInput:
    """Questions, rubrics, answers and the transcript from the first question on (before
    it, the candidate is identifying themselves), with name and email scrubbed."""
    scrub = _scrubber(interview.candidate)
    asked = list(
        interview.asked.select_related("follow_up_to", "coding_work")
        .prefetch_related(*ASKED_WITH_CODING)
        .order_by("sequence")
    )
    answer_key = "answer" if interview.ai_mode in VERBATIM_ANSWER_MODES else SUMMARY_KEY
    questions = []
    for item in asked:
        question: dict[str, object] = {
            "id": f"q{item.sequence}",
            "stage": item.stage,
            "follow_up_to": f"q{item.follow_up_to.sequence}" if item.follow_up_to else None,
            "question": scrub(item.text),
            "rubric": scrub(item.rubric),
            "rubric_written_by": RUBRIC_BY_INTERVIEWER if item.follow_up_to_id else RUBRIC_BY_TEAM,
            answer_key: scrub(item.answer),
        }
        coding = _coding(item, scrub)
        if coding is not None:
            question["coding"] = coding
        questions.append(question)
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
