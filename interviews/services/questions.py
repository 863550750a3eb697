"""Questions and answers: the next question of the interview plan, the candidate's
answer, a skipped question, going back to the previous one, the interviewer's own
follow-ups, and recruiters approving questions.

A question is closed once `answered_at` is set: answered, or skipped (then `skipped_at`
is set too and the answer stays empty), so the plan moves on either way. Going back
re-opens the previous main question; the candidate's new answer is appended to what they
said before, after a separator, so the recruiter sees both.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from interviews.errors import ErrorCode
from interviews.models import Interview, InterviewQuestion, Question, Stage
from interviews.services import turn_queries
from interviews.services.common import locked_interview, refuse_if_finished, without_nul
from interviews.services.turn_queries import AskedRow, LockedInterview

MAX_ANSWER_LENGTH = 20_000
MAX_QUESTION_LENGTH = 1_000
# An interviewer may suggest a few follow-ups per interview, not flood the bank.
MAX_SUGGESTIONS_PER_INTERVIEW = 10
# Between a re-opened question's first answer and what the candidate added after going back.


def _next_sequence(interview: Interview) -> int:
    last = interview.asked.aggregate(last=Max("sequence"))["last"]
    return (last or 0) + 1


def _waiting(asked: list[AskedRow]) -> AskedRow:
    """The most recently asked question still awaiting an answer."""
    waiting = [question for question in asked if question.is_open]
    if not waiting:
        raise ValidationError(
            "No question is waiting for an answer; get the next question first.",
            code=ErrorCode.NO_OPEN_QUESTION,
        )
    return waiting[-1]


def _answered_main_questions(asked: list[AskedRow]) -> int:
    return sum(1 for q in asked if q.follow_up_to_id is None and not q.is_open)


def _locked_for_turn(interview: Interview) -> LockedInterview:
    locked = turn_queries.lock_interview(interview.pk)
    refuse_if_finished(locked.interview)
    return locked


def _pick_next(locked: LockedInterview, asked: list[AskedRow]) -> InterviewQuestion | None:
    """The question to ask now, from the locked interview and its asked questions."""
    interview_pk = locked.interview.pk
    if locked.candidate_id is None:
        raise ValidationError(
            "The candidate is not identified yet; ask for their email first.",
            code=ErrorCode.CANDIDATE_UNKNOWN,
        )
    main_questions = [question for question in asked if question.follow_up_to_id is None]
    pending = next((q for q in main_questions if q.is_open), None)
    if pending is not None:
        return pending.as_model(interview_pk)
    asked_ids = [q.question_id for q in main_questions if q.question_id]
    planned = {
        Stage.TECHNICAL: locked.technical_questions,
        Stage.BEHAVIORAL: locked.behavioral_questions,
    }
    for stage in (Stage.TECHNICAL, Stage.BEHAVIORAL):
        if sum(1 for q in main_questions if q.stage == stage) >= planned[stage]:
            continue
        question = turn_queries.ask_first_fitting(
            InterviewQuestion(
                interview_id=interview_pk,
                sequence=max((q.sequence for q in asked), default=0) + 1,
                stage=stage,
            ),
            position_id=locked.position_id,
            experience=locked.experience_years,  # unknown experience: every band
            excluding=asked_ids,
        )
        if question is not None:
            return question
        # The bank has no more for this stage: move on rather than stall.
    return None


def interview_next_question(*, interview: Interview) -> InterviewQuestion | None:
    """The question to ask now, or None when the interview plan is complete.

    Technical questions come before behavioral ones, each fits the candidate's
    experience, none repeats, and the position's plan sets how many of each. A question
    asked but not yet answered (after a reconnect) is asked again rather than skipped.
    """
    return interview_next_question_numbered(interview=interview).question


@dataclass(frozen=True)
class NextQuestion:
    """The question to ask now (None: the plan is complete) and its number in the
    interview (the main questions closed so far, plus one)."""

    question: InterviewQuestion | None
    number: int


@dataclass(frozen=True)
class AnswerAndNext:
    """An answer recorded and the question to ask after it."""

    answered: InterviewQuestion
    next: NextQuestion


def interview_next_question_numbered(*, interview: Interview) -> NextQuestion:
    """interview_next_question, with the question's number in the interview."""
    with transaction.atomic():
        locked = _locked_for_turn(interview)
        asked = turn_queries.asked_in_order(interview.pk)
        question = _pick_next(locked, asked)
        return NextQuestion(question=question, number=_answered_main_questions(asked) + 1)


def _checked_answer(answer: str) -> str:
    if not isinstance(answer, str) or not answer.strip():
        raise ValidationError(
            "The answer is empty; ask the candidate to answer.", code=ErrorCode.EMPTY
        )
    answer = without_nul(answer).strip()
    if not answer:
        raise ValidationError(
            "The answer is empty; ask the candidate to answer.", code=ErrorCode.EMPTY
        )
    if len(answer) > MAX_ANSWER_LENGTH:
        raise ValidationError(
            f"An answer can be at most {MAX_ANSWER_LENGTH} characters; record a summary.",
            code=ErrorCode.ANSWER_TOO_LONG,
        )
    return answer


def _record(
    interview_pk: int, waiting: AskedRow, answer: str, at: datetime | None
) -> InterviewQuestion:
    # Re-opened by going back, the new answer replaces the earlier one (whose words
    # stay in the transcript): "that wasn't my answer" is never appended to.
    at = at or timezone.now()
    turn_queries.record(waiting.id, answer, at)
    waiting.is_open, waiting.open_answer = False, ""
    answered = waiting.as_model(interview_pk)
    answered.answer, answered.answered_at = answer, at
    return answered


def interview_record_answer(
    *, interview: Interview, answer: str, at: datetime | None = None
) -> InterviewQuestion:
    """Record the answer to the most recently asked question still awaiting one."""
    answer = _checked_answer(answer)
    with transaction.atomic():
        _locked_for_turn(interview)
        asked = turn_queries.asked_in_order(interview.pk)
        return _record(interview.pk, _waiting(asked), answer, at)


def interview_answer_and_next_question(
    *, interview: Interview, answer: str, at: datetime | None = None
) -> AnswerAndNext:
    """interview_record_answer then interview_next_question, as one transaction: the
    interview locked once, its asked questions read once. Nothing is stored when either
    part is refused."""
    answer = _checked_answer(answer)
    with transaction.atomic():
        locked = _locked_for_turn(interview)
        asked = turn_queries.asked_in_order(interview.pk)
        answered = _record(interview.pk, _waiting(asked), answer, at)
        question = _pick_next(locked, asked)
        number = _answered_main_questions(asked) + 1
        return AnswerAndNext(answered=answered, next=NextQuestion(question, number))


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
    the plan asks it again after the re-opened one. Its words stay in the transcript.
    """
    with transaction.atomic():
        locked = locked_interview(interview)
        refuse_if_finished(locked)
        main_questions = list(locked.asked.filter(follow_up_to__isnull=True).order_by("sequence"))
        open_now = [q for q in main_questions if q.answered_at is None]
        closed = [q for q in main_questions if q.answered_at is not None]
        if open_now:
            closed = [q for q in closed if q.sequence < open_now[0].sequence]
        if not closed:
            raise ValidationError(
                "There is no earlier question to go back to; ask the current one again.",
                code=ErrorCode.NO_PREVIOUS_QUESTION,
            )
        previous = closed[-1]
        for question in open_now:
            question.follow_ups.filter(answered_at__isnull=True).delete()
            question.delete()
        # Open follow-ups of earlier questions would take the re-opened question's answer.
        locked.asked.filter(follow_up_to__isnull=False, answered_at__isnull=True).delete()
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
