"""Questions and answers: the next question of the interview plan, the candidate's
answer, the interviewer's own follow-ups, and recruiters approving questions."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from interviews.models import Interview, InterviewQuestion, Question, Stage
from interviews.services.common import locked_interview, refuse_if_finished, without_nul

MAX_ANSWER_LENGTH = 20_000
MAX_QUESTION_LENGTH = 1_000
# An interviewer may suggest a few follow-ups per interview, not flood the bank.
MAX_SUGGESTIONS_PER_INTERVIEW = 10


def _next_sequence(interview: Interview) -> int:
    last = interview.asked.aggregate(last=Max("sequence"))["last"]
    return (last or 0) + 1


def interview_next_question(*, interview: Interview) -> InterviewQuestion | None:
    """The question to ask now, or None when the interview plan is complete.

    Technical questions come before behavioral ones, each fits the candidate's
    experience, none repeats, and the position's plan sets how many of each. A question
    asked but not yet answered (after a reconnect) is asked again rather than skipped.
    """
    with transaction.atomic():
        locked = locked_interview(interview)
        refuse_if_finished(locked)
        if locked.candidate is None:
            raise ValidationError(
                "The candidate is not identified yet; ask for their email first.",
                code="candidate_unknown",
            )
        main_questions = locked.asked.filter(follow_up_to__isnull=True)
        pending = main_questions.filter(answered_at__isnull=True).order_by("sequence").first()
        if pending is not None:
            return pending
        experience = locked.candidate.experience_years
        asked_ids = [qid for qid in main_questions.values_list("question_id", flat=True) if qid]
        for stage in (Stage.TECHNICAL, Stage.BEHAVIORAL):
            if main_questions.filter(stage=stage).count() >= locked.position.planned_count(stage):
                continue
            question = (
                Question.objects.filter(
                    position=locked.position,
                    stage=stage,
                    is_active=True,
                    min_experience__lte=experience,
                    max_experience__gte=experience,
                )
                .exclude(pk__in=asked_ids)
                .order_by("order", "pk")
                .first()
            )
            if question is None:
                continue  # The bank has no more for this stage: move on rather than stall.
            return InterviewQuestion.objects.create(
                interview=locked,
                question=question,
                sequence=_next_sequence(locked),
                stage=stage,
                text=question.text,
                rubric=question.rubric,
            )
        return None


def interview_record_answer(
    *, interview: Interview, answer: str, at: datetime | None = None
) -> InterviewQuestion:
    """Record the answer to the most recently asked question still awaiting one."""
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
    with transaction.atomic():
        locked = locked_interview(interview)
        refuse_if_finished(locked)
        waiting = locked.asked.filter(answered_at__isnull=True).order_by("-sequence").first()
        if waiting is None:
            raise ValidationError(
                "No question is waiting for an answer; get the next question first.",
                code="no_open_question",
            )
        waiting.answer = answer
        waiting.answered_at = at or timezone.now()
        waiting.save(update_fields=["answer", "answered_at"])
        return waiting


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
