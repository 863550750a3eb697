"""The interview's questions outside a turn (interviews.services.turns): a skipped
question, going back to the previous one, the interviewer's own follow-ups, and
recruiters approving and adding questions.

Going back re-opens the previous main question; the candidate's next answer replaces
what they said before, whose words stay in the transcript.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from interviews.errors import ErrorCode
from interviews.models import (
    MAX_EXPERIENCE_YEARS,
    Interview,
    InterviewQuestion,
    Position,
    Question,
    Stage,
)
from interviews.services.common import locked_interview, refuse_if_finished, without_nul

# The turn's services, where the interviewer and the tests have always found them.
from interviews.services.turns import (  # noqa: F401
    MAX_ANSWER_LENGTH,
    AnswerAndNext,
    NextQuestion,
    interview_answer_and_next_question,
    interview_next_question,
    interview_next_question_numbered,
    interview_record_answer,
)

MAX_QUESTION_LENGTH = 1_000
# An interviewer may suggest a few follow-ups per interview, not flood the bank.
MAX_SUGGESTIONS_PER_INTERVIEW = 10


def _next_sequence(interview: Interview) -> int:
    last = interview.asked.aggregate(last=Max("sequence"))["last"]
    return (last or 0) + 1


def interview_skip_question(
    *, interview: Interview, at: datetime | None = None
) -> InterviewQuestion:
    """Close the question waiting for an answer without one: the candidate skipped it or
    said they did not know. The recruiter sees it as skipped; the plan moves on."""
    with transaction.atomic():
        locked = locked_interview(interview)
        refuse_if_finished(locked)
        waiting = locked.asked.filter(answered_at__isnull=True).order_by("-sequence").first()
        if waiting is None:
            raise ValidationError(
                "No question is waiting for an answer; get the next question first.",
                code=ErrorCode.NO_OPEN_QUESTION,
            )
        now = at or timezone.now()
        waiting.answered_at = waiting.skipped_at = now
        waiting.save(update_fields=["answered_at", "skipped_at"])
        return waiting


def interview_previous_question(*, interview: Interview) -> tuple[InterviewQuestion, int]:
    """Re-open the main question before the one being asked (with its number in the
    interview), for the candidate to redo its answer: the next answer replaces it.

    The question being asked, not answered yet, is withdrawn (with its open follow-ups):
    the plan asks it again after the re-opened one. Its words stay in the transcript. A
    question that holds an answer is never withdrawn: one re-opened by an earlier step back
    closes again with it. An open coding exercise is never withdrawn: it holds the
    candidate's code and runs.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = locked_interview(interview)
        refuse_if_finished(locked)
        main_questions = list(locked.asked.filter(follow_up_to__isnull=True).order_by("sequence"))
        open_now = [q for q in main_questions if q.answered_at is None]
        if any(q.stage == Stage.CODING for q in open_now):
            raise ValidationError(
                "The coding exercise is open: finish and submit it before going back.",
                code=ErrorCode.CODING_OPEN,
            )
        closed = [q for q in main_questions if q.answered_at is not None]
        if open_now:
            closed = [q for q in closed if q.sequence < open_now[0].sequence]
        if not closed:
            raise ValidationError(
                "There is no earlier question to go back to; ask the current one again.",
                code=ErrorCode.NO_PREVIOUS_QUESTION,
            )
        previous = closed[-1]
        # Open follow-ups would take the re-opened question's answer: the unanswered ones
        # go, one that holds an answer closes with it.
        open_follow_ups = locked.asked.filter(follow_up_to__isnull=False, answered_at__isnull=True)
        open_follow_ups.exclude(answer="").update(answered_at=now)
        open_follow_ups.filter(answer="").delete()
        for question in open_now:
            if question.answer:
                question.answered_at = now
                question.save(update_fields=["answered_at"])
            else:
                question.delete()
        previous.answered_at = previous.skipped_at = None
        previous.save(update_fields=["answered_at", "skipped_at"])
        return previous, main_questions.index(previous) + 1


def interview_add_follow_up(
    *, interview: Interview, text: str, rubric: str = ""
) -> InterviewQuestion:
    """Ask a follow-up of the interviewer's own; it also becomes an inactive suggestion
    for the question bank that a recruiter may approve."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationError("The follow-up question is empty.", code=ErrorCode.EMPTY)
    text, rubric = without_nul(text).strip(), without_nul(rubric or "").strip()
    if not text:
        raise ValidationError("The follow-up question is empty.", code=ErrorCode.EMPTY)
    if len(text) > MAX_QUESTION_LENGTH or len(rubric) > MAX_QUESTION_LENGTH:
        raise ValidationError(
            f"Keep a question and its rubric under {MAX_QUESTION_LENGTH} characters each.",
            code=ErrorCode.QUESTION_TOO_LONG,
        )
    with transaction.atomic():
        locked = locked_interview(interview)
        refuse_if_finished(locked)
        parent = locked.asked.filter(follow_up_to__isnull=True).order_by("-sequence").first()
        if parent is None:
            raise ValidationError(
                "Follow-ups come after a question; get the next question first.",
                code=ErrorCode.NO_QUESTION_YET,
            )
        if locked.suggested_questions.count() >= MAX_SUGGESTIONS_PER_INTERVIEW:
            raise ValidationError(
                "No more follow-ups in this interview; continue with the next question.",
                code=ErrorCode.SUGGESTION_QUOTA,
            )
        suggestion = Question.objects.create(
            position=locked.position,
            stage=parent.stage,
            text=text,
            rubric=rubric,
            is_active=False,
            origin=Question.Origin.AGENT,
            suggested_in=locked,
            order=10_000,
        )
        return InterviewQuestion.objects.create(
            interview=locked,
            question=suggestion,
            follow_up_to=parent,
            sequence=_next_sequence(locked),
            stage=parent.stage,
            text=text,
            rubric=rubric,
        )


def question_set_active(*, questions: list[Question], active: bool) -> int:
    """Recruiters' bulk activate / deactivate / approve of suggestions."""
    ids = [q.pk for q in questions]
    with transaction.atomic():
        return Question.objects.filter(pk__in=ids).update(is_active=active)


def question_save_imported(*, question: Question) -> Question:
    """A question from a CSV import of the bank: checked like a form would, kept as the
    recruiters' own."""
    question.text = without_nul(question.text or "").strip()
    question.rubric = without_nul(question.rubric or "").strip()
    question.origin = Question.Origin.RECRUITER
    question.full_clean()
    with transaction.atomic():
        question.save()
    return question


def question_create(
    *,
    position: Position,
    stage: Stage,
    text: str,
    min_experience: int | None = None,
    max_experience: int | None = None,
) -> Question:
    """A recruiter's own question, active, last in its stage's order. Without an experience
    band it fits every candidate. A coding question gets its exercise on its own page:
    until then interviews do not ask it."""
    text = without_nul(text or "").strip()
    if not text:
        raise ValidationError("The question is empty: write it first.", code=ErrorCode.EMPTY)
    if len(text) > MAX_QUESTION_LENGTH:
        raise ValidationError(
            f"Keep a question to {MAX_QUESTION_LENGTH} characters at most.",
            code=ErrorCode.QUESTION_TOO_LONG,
        )
    low = 0 if min_experience is None else min_experience
    high = MAX_EXPERIENCE_YEARS if max_experience is None else max_experience
    # The model's own checks say "constraint violated": say what to fix instead.
    if not (0 <= low <= MAX_EXPERIENCE_YEARS and 0 <= high <= MAX_EXPERIENCE_YEARS):
        raise ValidationError(
            f"Experience goes from 0 to {MAX_EXPERIENCE_YEARS} years.",
            code=ErrorCode.EXPERIENCE_OUT_OF_RANGE,
        )
    if low > high:
        raise ValidationError(
            f"The minimum experience ({low} years) is above the maximum ({high} years).",
            code=ErrorCode.EXPERIENCE_INVALID,
        )
    with transaction.atomic():
        # Two recruiters adding at once still get an order each.
        locked = Position.objects.select_for_update().get(pk=position.pk)
        in_stage = Question.objects.filter(position=locked, stage=stage)
        last = in_stage.aggregate(last=Max("order"))["last"]
        question = Question(
            position=locked,
            stage=stage,
            text=text,
            min_experience=low,
            max_experience=high,
            order=0 if last is None else last + 1,
            is_active=True,
            origin=Question.Origin.RECRUITER,
        )
        question.full_clean()
        question.save()
        return question
