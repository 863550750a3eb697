"""Reads for the recruiters' review: the interview report, transcript exports and the
export of everything held about a candidate."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from interviews.models import (
    Candidate,
    DecisionRecord,
    Evaluation,
    Interview,
    InterviewQuestion,
    Question,
    QuestionScore,
    TranscriptSegment,
)


def one_line(text: str) -> str:
    """Text for a line of a plain-text document: its own line breaks written as "\\n", so
    what a candidate (or a model) wrote cannot start a line of its own."""
    return "\\n".join(str(text).splitlines())


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class ReportItem:
    question: InterviewQuestion
    score: QuestionScore | None


@dataclass(frozen=True)
class InterviewReport:
    interview: Interview
    evaluation: Evaluation | None
    items: list[ReportItem]
    transcript: list[TranscriptSegment]
    decisions: list[DecisionRecord]

    @property
    def current_decision(self) -> DecisionRecord | None:
        return self.decisions[0] if self.decisions else None

    @property
    def is_scored(self) -> bool:
        return self.evaluation is not None and self.evaluation.status == Evaluation.Status.EVALUATED


def interview_report(*, interview_id: int) -> InterviewReport | None:
    interview = (
        Interview.objects.select_related("candidate", "position")
        .prefetch_related(
            Prefetch("asked", queryset=InterviewQuestion.objects.order_by("sequence")),
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
    return InterviewReport(
        interview=interview,
        evaluation=evaluation,
        items=[ReportItem(q, scores.get(q.pk)) for q in interview.asked.all()],
        transcript=list(interview.transcript.all()),
        decisions=list(interview.decisions.all()),
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
        "transcript": [_segment_row(segment) for segment in interview.transcript.all()],
        "evaluation": _evaluation_export(evaluation),
        "decisions": [
            {"decision": d.decision, "note": d.note, "decided_at": _iso(d.decided_at)}
            for d in interview.decisions.all()
        ],
        "suggested_questions": [
            {"question": q.text, "rubric": q.rubric} for q in interview.suggested_questions.all()
        ],
    }


# Everything a candidate's export reads, a query per kind whatever the number of interviews.
_WHOLE_INTERVIEW = (
    Prefetch(
        "asked",
        queryset=InterviewQuestion.objects.select_related("follow_up_to").order_by("sequence"),
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
    interviews = candidate_interviews(
        candidate=candidate, unidentified=unidentified
    ).prefetch_related(*_WHOLE_INTERVIEW)
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
