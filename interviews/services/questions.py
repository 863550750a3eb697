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
from django.db.models import Case, F, Max, TextField, Value, When
from django.utils import timezone

from interviews.models import Interview, InterviewQuestion, Question, Stage
from interviews.services.common import locked_interview, refuse_if_finished, without_nul

MAX_ANSWER_LENGTH = 20_000
MAX_QUESTION_LENGTH = 1_000
# An interviewer may suggest a few follow-ups per interview, not flood the bank.
MAX_SUGGESTIONS_PER_INTERVIEW = 10
# Between a re-opened question's first answer and what the candidate added after going back.
ADDED_AFTER_GOING_BACK = "\n\n[Added after going back] "


def _next_sequence(interview: Interview) -> int:
    last = interview.asked.aggregate(last=Max("sequence"))["last"]
    return (last or 0) + 1


def _asked_in_order(interview: Interview) -> list[InterviewQuestion]:
    """Every question asked in the interview (main questions and follow-ups), by sequence,
    in one query. An answer is read only while its question is open (a question re-opened
    by going back keeps what was said before): closed answers can be long and are not
    needed to record an answer or pick the next question."""
    return list(
        interview.asked.defer("answer")
        .annotate(
            open_answer=Case(
                When(answered_at__isnull=True, then=F("answer")),
                default=Value(""),
                output_field=TextField(),
            )
        )
        .order_by("sequence")
    )


def _waiting(asked: list[InterviewQuestion]) -> InterviewQuestion:
    """The most recently asked question still awaiting an answer."""
    waiting = [question for question in asked if question.answered_at is None]
    if not waiting:
        raise ValidationError(
            "No question is waiting for an answer; get the next question first.",
            code="no_open_question",
        )
    return waiting[-1]


def _answered_main_questions(asked: list[InterviewQuestion]) -> int:
    return sum(1 for q in asked if q.follow_up_to_id is None and q.answered_at is not None)


def _pick_next(locked: Interview, asked: list[InterviewQuestion]) -> InterviewQuestion | None:
    """The question to ask now, from the locked interview and its asked questions."""
    if locked.candidate is None:
        raise ValidationError(
            "The candidate is not identified yet; ask for their email first.",
            code="candidate_unknown",
        )
    main_questions = [question for question in asked if question.follow_up_to_id is None]
    pending = next((q for q in main_questions if q.answered_at is None), None)
    if pending is not None:
        return pending
    experience = locked.candidate.experience_years
    asked_ids = [q.question_id for q in main_questions if q.question_id]
    for stage in (Stage.TECHNICAL, Stage.BEHAVIORAL):
        asked_in_stage = sum(1 for q in main_questions if q.stage == stage)
        if asked_in_stage >= locked.position.planned_count(stage):
            continue
        fitting = Question.objects.filter(position=locked.position, stage=stage, is_active=True)
        if experience is not None:  # unknown experience: every band
            fitting = fitting.filter(min_experience__lte=experience, max_experience__gte=experience)
        question = fitting.exclude(pk__in=asked_ids).order_by("order", "pk").first()
        if question is None:
            continue  # The bank has no more for this stage: move on rather than stall.
        return InterviewQuestion.objects.create(
            interview=locked,
            question=question,
            sequence=max((q.sequence for q in asked), default=0) + 1,
            stage=stage,
            text=question.text,
            rubric=question.rubric,
        )
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
        locked = locked_interview(interview)
        refuse_if_finished(locked)
        asked = _asked_in_order(locked)
        question = _pick_next(locked, asked)
        return NextQuestion(question=question, number=_answered_main_questions(asked) + 1)


def _checked_answer(answer: str) -> str:
    if not isinstance(answer, str) or not answer.strip():
        raise ValidationError("The answer is empty; ask the candidate to answer.", code="empty")
    answer = without_nul(answer).strip()
    if not answer:
        raise ValidationError("The answer is empty; ask the candidate to answer.", code="empty")
    if len(answer) > MAX_ANSWER_LENGTH:
        raise ValidationError(
            f"An answer can be at most {MAX_ANSWER_LENGTH} characters; record a summary.",
            code="answer_too_long",
        )
    return answer


def _record(waiting: InterviewQuestion, answer: str, at: datetime | None) -> InterviewQuestion:
    said_before = getattr(waiting, "open_answer", "")  # read by _asked_in_order
    if said_before:  # re-opened by going back: keep what was said before
        answer = f"{said_before}{ADDED_AFTER_GOING_BACK}{answer}"[:MAX_ANSWER_LENGTH]
    waiting.answer = answer
    waiting.answered_at = at or timezone.now()
    waiting.save(update_fields=["answer", "answered_at"])
    return waiting


def interview_record_answer(
    *, interview: Interview, answer: str, at: datetime | None = None
) -> InterviewQuestion:
    """Record the answer to the most recently asked question still awaiting one."""
    answer = _checked_answer(answer)
    with transaction.atomic():
        locked = locked_interview(interview)
        refuse_if_finished(locked)
        return _record(_waiting(_asked_in_order(locked)), answer, at)


def interview_answer_and_next_question(
    *, interview: Interview, answer: str, at: datetime | None = None
) -> AnswerAndNext:
    """interview_record_answer then interview_next_question, as one transaction: the
    interview locked once, its asked questions read once. Nothing is stored when either
    part is refused."""
    answer = _checked_answer(answer)
    with transaction.atomic():
        locked = locked_interview(interview)
        refuse_if_finished(locked)
        asked = _asked_in_order(locked)
        answered = _record(_waiting(asked), answer, at)
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
                code="no_open_question",
            )
        now = at or timezone.now()
        waiting.answered_at = waiting.skipped_at = now
        waiting.save(update_fields=["answered_at", "skipped_at"])
        return waiting


def interview_previous_question(*, interview: Interview) -> tuple[InterviewQuestion, int]:
    """Re-open the main question before the one being asked (with its number in the
    interview), for the candidate to add to or redo its answer.

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
                code="no_previous_question",
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
        raise ValidationError("The follow-up question is empty.", code="empty")
    text, rubric = without_nul(text).strip(), without_nul(rubric or "").strip()
    if not text:
        raise ValidationError("The follow-up question is empty.", code="empty")
    if len(text) > MAX_QUESTION_LENGTH or len(rubric) > MAX_QUESTION_LENGTH:
        raise ValidationError(
            f"Keep a question and its rubric under {MAX_QUESTION_LENGTH} characters each.",
            code="question_too_long",
        )
    with transaction.atomic():
        locked = locked_interview(interview)
        refuse_if_finished(locked)
        parent = locked.asked.filter(follow_up_to__isnull=True).order_by("-sequence").first()
        if parent is None:
            raise ValidationError(
                "Follow-ups come after a question; get the next question first.",
                code="no_question_yet",
            )
        if locked.suggested_questions.count() >= MAX_SUGGESTIONS_PER_INTERVIEW:
            raise ValidationError(
                "No more follow-ups in this interview; continue with the next question.",
                code="suggestion_quota",
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
