"""An explanation a candidate can read: in plain language, what the automated
interviewer did in their interview, the questions and their answers, the evaluation with
its evidence (if any), and the human decision with its note. Never the candidate's
self-identification: it plays no part in any of these."""

from django.db.models import Prefetch

from interviews.models import (
    Candidate,
    DecisionRecord,
    Evaluation,
    Interview,
    InterviewQuestion,
    QuestionScore,
)
from interviews.selectors.notices import current_notice, notice_agreed
from interviews.selectors.reports import one_line

RIGHTS = (
    "Your rights: you can ask for a person on the hiring team to look at this decision "
    "again, tell them your point of view, and contest it; you can also ask for a copy of "
    "all the data held about you or for its erasure. Reply to the hiring team that "
    "invited you."
)


def _day(value) -> str:
    return value.strftime("%d %B %Y") if value else "an unknown date"


def _mode_text(interview: Interview) -> str:
    notice = notice_agreed(interview=interview) or current_notice()
    mode = interview.ai_mode or "structured"
    texts = notice.modes.get(mode)
    if not interview.ai_mode or texts is None:
        return "The interview did not start, so no interviewer took part."
    return f"You were interviewed by {texts['long']}"


def _evaluation_lines(evaluation: Evaluation | None, scores: dict[int, QuestionScore]) -> list:
    if evaluation is None or evaluation.status == Evaluation.Status.AWAITING_REVIEW:
        return [
            "No automated evaluation was made. A person on the hiring team read your "
            "answers and the transcript."
        ]
    if evaluation.status == Evaluation.Status.FAILED:
        return [
            "An automated evaluation was attempted but did not complete, so no score was "
            "given. A person on the hiring team read your answers and the transcript."
        ]
    lines = [
        f"An AI model ({evaluation.model_name}) suggested an assessment. It compared each "
        "answer with what the hiring team said a good answer covers, and gave a score from "
        "1 to 5 only where it could quote your own words in support. It decided nothing: "
        "a person made the decision.",
        f"Its summary: {one_line(evaluation.summary)}" if evaluation.summary else "",
        f"Suggested next step: {evaluation.get_suggested_recommendation_display()}."
        if evaluation.suggested_recommendation
        else "",
    ]
    return [line for line in lines if line]


def _score_lines(score: QuestionScore | None) -> list[str]:
    if score is None:
        return []
    if score.insufficient_evidence or score.score is None:
        lines = ["   Score: none (what was said was not enough to support a score)."]
    else:
        lines = [f"   Score suggested by the AI: {score.score} out of 5."]
    lines += [f'   Based on your words: "{one_line(quote)}"' for quote in score.evidence]
    if score.rationale:
        lines.append(f"   Why: {one_line(score.rationale)}")
    return lines


def interview_explanation(*, interview: Interview) -> str:
    """The explanation of one interview, as plain text."""
    interview = (
        Interview.objects.select_related("position", "notice_consent__notice")
        .prefetch_related(
            Prefetch("asked", queryset=InterviewQuestion.objects.order_by("sequence")),
            Prefetch("decisions", queryset=DecisionRecord.objects.order_by("decided_at", "id")),
        )
        .get(pk=interview.pk)
    )
    evaluation = Evaluation.objects.filter(interview=interview).first()
    scores = {}
    if evaluation is not None and evaluation.status == Evaluation.Status.EVALUATED:
        scores = {s.interview_question_id: s for s in evaluation.question_scores.all()}
    agreed = notice_agreed(interview=interview)
    lines = [
        f"Your interview for {interview.position.title} on {_day(interview.started_at)}",
        "",
        "1. How the interview was run",
        _mode_text(interview),
        (
            f"You agreed to notice version {agreed.version} on "
            f"{_day(interview.notice_consent.agreed_at)}."
        )
        if agreed
        else None,
        f"Status: {interview.get_status_display().lower()}.",
        "",
        "2. The questions and your answers",
    ]
    asked = list(interview.asked.all())
    for item in asked:
        follow_up = " (a follow-up question)" if item.follow_up_to_id else ""
        lines += [
            f"Q{item.sequence}{follow_up}: {one_line(item.text)}",
            f"   Your answer: {one_line(item.answer) or '(no answer recorded)'}",
            *_score_lines(scores.get(item.pk)),
        ]
    if not asked:
        lines.append("No questions were asked.")
    lines += ["", "3. The evaluation", *_evaluation_lines(evaluation, scores), ""]
    lines.append("4. The decision")
    decisions = list(interview.decisions.all())
    if decisions:
        current = decisions[-1]
        lines += [
            f"A person on the hiring team decided: {current.get_decision_display()}, on "
            f"{_day(current.decided_at)}.",
            f"Their reason: {one_line(current.note)}",
        ]
        if len(decisions) > 1:
            earlier = ", ".join(
                f"{d.get_decision_display()} on {_day(d.decided_at)}" for d in decisions[:-1]
            )
            lines.append(f"Earlier decisions, since replaced: {earlier}.")
    else:
        lines.append("No decision has been made yet. A person on the hiring team will decide.")
    lines += ["", RIGHTS]
    return "\n".join(line for line in lines if line is not None) + "\n"


def candidate_explanation(*, candidate: Candidate) -> str:
    """The explanation of each of a candidate's interviews."""
    interviews = candidate.interviews.order_by("created_at", "pk")
    parts = [interview_explanation(interview=interview) for interview in interviews]
    if not parts:
        return "No interview is held for this candidate.\n"
    return ("\n" + "-" * 60 + "\n\n").join(parts)
