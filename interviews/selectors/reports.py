"""Reads for the recruiters' review: the interview report, transcript exports and the
export of everything held about a candidate."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, Q, QuerySet
from django.utils.safestring import SafeString

from interviews.highlight import highlight_python
from interviews.models import (
    Candidate,
    CodeRun,
    CodingHint,
    CodingWork,
    DecisionRecord,
    Evaluation,
    Interview,
    InterviewQuestion,
    Question,
    QuestionScore,
    Recording,
    TranscriptSegment,
)
from interviews.selectors.recordings import (
    ReportRecording,
    recording_export,
    recording_of,
    report_recording,
)


def one_line(text: str) -> str:
    """Text for a line of a plain-text document: its own line breaks written as "\\n", so
    what a candidate (or a model) wrote cannot start a line of its own."""
    return "\\n".join(str(text).splitlines())


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def coding_work_of(question: InterviewQuestion) -> CodingWork | None:
    """The candidate's work on an asked coding question, as fetched with it."""
    try:
        return question.coding_work
    except ObjectDoesNotExist:
        return None


def clock(span: timedelta) -> str:
    """A span as a stopwatch shows it: 4:05, or 1:02:03 past an hour."""
    seconds = max(0, int(span.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


@dataclass(frozen=True)
class CodingEvent:
    """A run, a submission or a hint on the coding work's timeline."""

    since_start: timedelta
    run: CodeRun | None = None
    hint: CodingHint | None = None

    @property
    def since_start_clock(self) -> str:
        return clock(self.since_start)


@dataclass(frozen=True)
class CodingReport:
    """What a candidate did on one coding question: the final code, every run the server
    executed and every hint given, in time order from the work's start."""

    work: CodingWork
    runs: list[CodeRun]
    hints: list[CodingHint]
    hints_available: int | None
    time_limit_minutes: int | None

    @property
    def submission(self) -> CodeRun | None:
        submissions = [run for run in self.runs if run.kind == CodeRun.Kind.SUBMIT]
        return submissions[-1] if submissions else None

    @property
    def final_code(self) -> str:
        """The code submitted, or as the candidate last left it when never submitted."""
        submission = self.submission
        return submission.code if submission is not None else self.work.code

    @property
    def final_code_html(self) -> SafeString:
        return highlight_python(self.final_code)

    @property
    def line_numbers(self) -> str:
        # A last line break ends the last line; it does not start another.
        lines = self.final_code.removesuffix("\n").count("\n") + 1
        return "\n".join(str(n) for n in range(1, lines + 1))

    @property
    def time_taken(self) -> timedelta | None:
        if self.work.submitted_at is None:
            return None
        return self.work.submitted_at - self.work.started_at

    @property
    def time_taken_clock(self) -> str | None:
        taken = self.time_taken
        return None if taken is None else clock(taken)

    @property
    def timeline(self) -> list[CodingEvent]:
        start = self.work.started_at
        events = [CodingEvent(run.created_at - start, run=run) for run in self.runs] + [
            CodingEvent(hint.given_at - start, hint=hint) for hint in self.hints
        ]
        return sorted(events, key=lambda event: event.since_start)


def coding_report(question: InterviewQuestion) -> CodingReport | None:
    work = coding_work_of(question)
    if work is None:
        return None
    exercise = getattr(question.question, "exercise", None) if question.question_id else None
    return CodingReport(
        work=work,
        runs=list(work.runs.all()),
        hints=list(work.hints.all()),
        hints_available=len(exercise.hints) if exercise is not None else None,
        time_limit_minutes=exercise.time_limit_minutes if exercise is not None else None,
    )


# An asked question with its coding work (runs and hints in order), a query per kind.
ASKED_WITH_CODING = (
    Prefetch("coding_work__runs", queryset=CodeRun.objects.order_by("created_at", "id")),
    Prefetch("coding_work__hints", queryset=CodingHint.objects.order_by("level", "id")),
)


@dataclass(frozen=True)
class ReportItem:
    question: InterviewQuestion
    score: QuestionScore | None
    coding: CodingReport | None = None
    # Where the question was asked in the recording, in seconds; None without one.
    plays_at: float | None = None


@dataclass(frozen=True)
class TranscriptLine:
    segment: TranscriptSegment
    plays_at: float | None  # seconds into the recording; None when it was not recorded


@dataclass(frozen=True)
class InterviewReport:
    interview: Interview
    evaluation: Evaluation | None
    items: list[ReportItem]
    transcript: list[TranscriptSegment]
    decisions: list[DecisionRecord]
    recording: ReportRecording | None = None

    @property
    def transcript_lines(self) -> list[TranscriptLine]:
        offsets = self.recording.line_offsets if self.recording else {}
        return [TranscriptLine(segment, offsets.get(segment.pk)) for segment in self.transcript]

    @property
    def current_decision(self) -> DecisionRecord | None:
        return self.decisions[0] if self.decisions else None

    @property
    def is_scored(self) -> bool:
        return self.evaluation is not None and self.evaluation.status == Evaluation.Status.EVALUATED


def interview_report(*, interview_id: int) -> InterviewReport | None:
    interview = (
        Interview.objects.select_related("candidate", "position", "recording")
        .prefetch_related(
            Prefetch(
                "asked",
                queryset=InterviewQuestion.objects.select_related(
                    "coding_work", "question__exercise"
                )
                .prefetch_related(*ASKED_WITH_CODING)
                .order_by("sequence"),
            ),
            Prefetch("transcript", queryset=TranscriptSegment.objects.order_by("sequence")),
            Prefetch("decisions", queryset=DecisionRecord.objects.order_by("-decided_at", "-id")),
        )
        .filter(pk=interview_id)
        .first()
    )
    if interview is None:
        return None
    evaluation = Evaluation.objects.filter(interview=interview).first()
    scores = {}
    if evaluation is not None:
        scores = {s.interview_question_id: s for s in evaluation.question_scores.all()}
    transcript, asked = list(interview.transcript.all()), list(interview.asked.all())
    recording = report_recording(interview=interview, transcript=transcript, questions=asked)
    return InterviewReport(
        interview=interview,
        evaluation=evaluation,
        items=[
            ReportItem(q, scores.get(q.pk), coding_report(q), recording.question_offsets.get(q.pk))
            for q in asked
        ],
        transcript=transcript,
        decisions=list(interview.decisions.all()),
        recording=recording,
    )


# --- Transcript exports ----------------------------------------------------------------


def _segment_row(segment: TranscriptSegment) -> dict:
    return {
        "sequence": segment.sequence,
        "speaker": segment.speaker,
        "spoken_at": _iso(segment.spoken_at),
        "text": segment.text,
    }


def _question_row(item: InterviewQuestion) -> dict:
    return {
        "sequence": item.sequence,
        "stage": item.stage,
        "question": item.text,
        "rubric": item.rubric,
        "rubric_written_by": "interviewer" if item.follow_up_to_id else "hiring team",
        "answer": item.answer,
        "asked_at": _iso(item.asked_at),
        "answered_at": _iso(item.answered_at),
        "skipped_at": _iso(item.skipped_at),
        "follow_up_to": item.follow_up_to.sequence if item.follow_up_to else None,
    }


def transcript_rows(*, interview: Interview) -> list[dict]:
    return [_segment_row(segment) for segment in interview.transcript.order_by("sequence")]


def question_rows(*, interview: Interview) -> list[dict]:
    """Each question asked, with its answer, or when it was skipped."""
    asked = interview.asked.select_related("follow_up_to").order_by("sequence")
    return [_question_row(item) for item in asked]


def transcript_as_json(*, interview: Interview) -> dict:
    return {
        "interview": str(interview.public_id),
        "position": interview.position.title,
        "ai_mode": interview.ai_mode,
        "started_at": _iso(interview.started_at),
        "ended_at": _iso(interview.ended_at),
        # What the interviewer could not settle with the candidate, for the recruiter.
        "flags": list(interview.flags or []),
        "questions": question_rows(interview=interview),
        "segments": transcript_rows(interview=interview),
    }


def transcript_as_text(*, interview: Interview) -> str:
    speakers = dict(TranscriptSegment.Speaker.choices)
    lines = [
        f"Interview {interview.public_id} - {interview.position.title}",
        f"Interviewer: {interview.ai_mode or 'unknown'}",
        "",
    ]
    for segment in interview.transcript.order_by("sequence"):
        stamp = segment.spoken_at.strftime("%Y-%m-%d %H:%M:%S %Z")
        # One line per segment: a newline typed in the chat must not start a forged line.
        text = one_line(segment.text)
        lines.append(f"[{stamp}] {speakers.get(segment.speaker, segment.speaker)}: {text}")
    return "\n".join(lines) + "\n"


# --- A candidate's data ----------------------------------------------------------------


def _evaluation_export(evaluation: Evaluation | None) -> dict | None:
    if evaluation is None:
        return None
    return {
        "status": evaluation.status,
        "summary": evaluation.summary,
        "strengths": evaluation.strengths,
        "concerns": evaluation.concerns,
        "suggested_next_step": evaluation.suggested_recommendation,
        "model": evaluation.model_name,
        "prompt_version": evaluation.prompt_version,
        "rubric_snapshot": evaluation.rubric_snapshot,
        "evaluated_at": _iso(evaluation.evaluated_at),
        "error": evaluation.error,
        "scores": [
            {
                "question_sequence": score.interview_question.sequence,
                "score": score.score,
                "insufficient_evidence": score.insufficient_evidence,
                "evidence": score.evidence,
                "unverified_quotes": score.unverified_quotes,
                "rationale": score.rationale,
            }
            for score in evaluation.question_scores.all()
        ],
    }


def _coding_work_export(question: InterviewQuestion, work: CodingWork) -> dict:
    return {
        "question_sequence": question.sequence,
        "language": work.language,
        "code": work.code,
        "started_at": _iso(work.started_at),
        "saved_at": _iso(work.saved_at),
        "submitted_at": _iso(work.submitted_at),
        "runs": [{**run.as_json(), "code": run.code} for run in work.runs.all()],
        "hints": [
            {"level": hint.level, "text": hint.text, "given_at": _iso(hint.given_at)}
            for hint in work.hints.all()
        ],
    }


def _interview_export(interview: Interview) -> dict:
    """One interview of a candidate's export, from what `candidate_export` fetched with it
    (`_WHOLE_INTERVIEW`)."""
    evaluation = getattr(interview, "evaluation", None)
    return {
        "id": str(interview.public_id),
        "position": interview.position.title,
        "kind": interview.kind,
        "status": interview.status,
        "ai_mode": interview.ai_mode,
        "created_at": _iso(interview.created_at),
        "consent_at": _iso(interview.consent_at),
        "accommodation_requested_at": _iso(interview.accommodation_requested_at),
        "accommodation_note": interview.accommodation_note,
        "started_at": _iso(interview.started_at),
        "ended_at": _iso(interview.ended_at),
        "flags": list(interview.flags or []),
        "questions": [_question_row(item) for item in interview.asked.all()],
        # The code they wrote on each coding question, every run of it and the hints given.
        "coding_work": [
            _coding_work_export(item, work)
            for item in interview.asked.all()
            if (work := coding_work_of(item)) is not None
        ],
        "transcript": [_segment_row(segment) for segment in interview.transcript.all()],
        "evaluation": _evaluation_export(evaluation),
        "decisions": [
            {"decision": d.decision, "note": d.note, "decided_at": _iso(d.decided_at)}
            for d in interview.decisions.all()
        ],
        "suggested_questions": [
            {"question": q.text, "rubric": q.rubric} for q in interview.suggested_questions.all()
        ],
        # Its audio file travels beside the export, under this name (candidate_export_files).
        "recording": recording_export(
            recording_of(interview), file_in_archive=recording_file_in_export(interview)
        ),
    }


def recording_file_in_export(interview: Interview) -> str | None:
    recording = recording_of(interview)
    if recording is None or not recording.file:
        return None
    return f"recordings/interview-{interview.public_id}.ogg"


def candidate_recordings(*, candidate: Candidate, unidentified: Collection[int] = ()) -> list:
    """(name in the export, recording) for each recording file of the candidate's
    interviews, for the export archive."""
    interviews = candidate_interviews(candidate=candidate, unidentified=unidentified)
    recordings = Recording.objects.filter(interview__in=interviews).exclude(file="")
    return [
        (f"recordings/interview-{recording.interview.public_id}.ogg", recording)
        for recording in recordings.select_related("interview")
    ]


# Everything a candidate's export reads, a query per kind whatever the number of interviews.
_WHOLE_INTERVIEW = (
    Prefetch(
        "asked",
        queryset=InterviewQuestion.objects.select_related("follow_up_to", "coding_work")
        .prefetch_related(*ASKED_WITH_CODING)
        .order_by("sequence"),
    ),
    Prefetch("transcript", queryset=TranscriptSegment.objects.order_by("sequence")),
    Prefetch("decisions", queryset=DecisionRecord.objects.order_by("decided_at", "id")),
    Prefetch("suggested_questions", queryset=Question.objects.order_by("pk")),
    Prefetch(
        "evaluation__question_scores",
        queryset=QuestionScore.objects.select_related("interview_question").order_by("pk"),
    ),
)


def candidate_interviews(
    *, candidate: Candidate, unidentified: Collection[int] = ()
) -> QuerySet[Interview]:
    """The candidate's interviews, and the open-link ones nobody was identified in that a
    person confirmed are theirs (`unidentified`: ids among
    address_matches.unidentified_matches, checked by `confirmed_unidentified`)."""
    return (
        Interview.objects.filter(
            Q(candidate=candidate) | Q(pk__in=list(unidentified), candidate__isnull=True)
        )
        .select_related("position", "evaluation")
        .order_by("created_at", "pk")
    )


def candidate_export(*, candidate: Candidate, unidentified: Collection[int] = ()) -> dict:
    """Everything held about a candidate, for their right of access: their interviews, and
    the unidentified ones a person confirmed are theirs."""
    interviews = (
        candidate_interviews(candidate=candidate, unidentified=unidentified)
        .select_related("recording")
        .prefetch_related(*_WHOLE_INTERVIEW)
    )
    return {
        "candidate": {
            "email": candidate.email,
            "name": candidate.name,
            "position": candidate.position.title,
            "experience_years": candidate.experience_years,
            "created_at": _iso(candidate.created_at),
            "updated_at": _iso(candidate.updated_at),
        },
        "interviews": [_interview_export(interview) for interview in interviews],
    }
