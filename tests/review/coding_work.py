"""Interviews with a coding round behind them, for the review, data-rights and evaluation
tests: the work as the interview creates it (asking the coding question), then the server's
runs and the hints written as the coding service records them, at known times."""

from datetime import timedelta

from django.utils import timezone

from interviews.models import (
    CodeRun,
    CodingExercise,
    CodingHint,
    CodingWork,
    Interview,
    Position,
    Question,
    Stage,
)
from interviews.services.lifecycle import interview_finish, interview_start
from interviews.services.questions import interview_next_question, interview_record_answer
from interviews.services.transcript import transcript_append
from tests.factories import CandidateFactory, InterviewFactory, PositionFactory

STATEMENT = "Write reverse_words(text): the words of text in reverse order."
RUBRIC = "Splits on whitespace, reverses, joins; explains the cost."
STARTER = "def reverse_words(text):\n    raise NotImplementedError\n"
FIRST_TRY = "def reverse_words(text):\n    return text[::-1]\n"
# The candidate's own words in a comment, and markup that must reach the page escaped.
FINAL_CODE = (
    "def reverse_words(text):\n"
    '    """Words in reverse order."""\n'
    "    # split on whitespace <b>not</b> on one space\n"
    "    return ' '.join(reversed(text.split()))\n"
)
EXPLANATION = "I split on whitespace, reversed the list and joined it: linear in the length."
HINTS = ("Think about the words, not the letters.", "str.split gives you the words.")


def coding_position(*, coding_questions: int = 1, title: str = "Backend engineer") -> Position:
    position = PositionFactory(title=title, technical_questions=0, behavioral_questions=0)
    Position.objects.filter(pk=position.pk).update(coding_questions=coding_questions)
    position.refresh_from_db()
    for n in range(coding_questions):
        question = Question.objects.create(
            position=position,
            stage=Stage.CODING,
            text=STATEMENT if n == 0 else f"Exercise {n + 1}: {STATEMENT}",
            rubric=RUBRIC,
            order=n,
        )
        CodingExercise.objects.create(
            question=question,
            starter_code=STARTER,
            visible_tests="def test_two_words():\n    assert reverse_words('a b') == 'b a'\n",
            hidden_tests="def test_no_words():\n    assert reverse_words('') == ''\n",
            time_limit_minutes=20,
            hint_1=HINTS[0],
            hint_2=HINTS[1],
            hint_3="Join them back with one space.",
        )
    return position


def _at(model, pk: int, **times) -> None:
    # created_at / given_at are set on insert; tests place them on a known timeline.
    model.objects.filter(pk=pk).update(**times)


def work_through(
    interview: Interview, *, runs_before: int = 1, submit: bool = True, started=None
) -> CodingWork:
    """Ask the next (coding) question and work on it: `runs_before` failing runs, two
    hints, then a passing submission and the explanation (when `submit`)."""
    asked = interview_next_question(interview=interview)
    assert asked is not None and asked.stage == Stage.CODING
    transcript_append(interview=interview, speaker="agent", text=asked.text)
    work = CodingWork.objects.get(asked=asked)
    start = started or timezone.now() - timedelta(minutes=30)
    CodingWork.objects.filter(pk=work.pk).update(started_at=start)
    for n in range(runs_before):
        run = CodeRun.objects.create(
            work=work,
            kind=CodeRun.Kind.RUN,
            code=FIRST_TRY,
            outcome=CodeRun.Outcome.FAILED,
            visible_passed=0,
            visible_total=1,
            results=[{"name": "test_two_words", "passed": False, "message": "AssertionError"}],
            error="",
            duration_ms=40,
        )
        _at(CodeRun, run.pk, created_at=start + timedelta(minutes=2 + n, seconds=5))
    for level, text in enumerate(HINTS, start=1):
        hint = CodingHint.objects.create(work=work, level=level, text=text)
        _at(CodingHint, hint.pk, given_at=start + timedelta(minutes=4, seconds=level * 30))
    if submit:
        run = CodeRun.objects.create(
            work=work,
            kind=CodeRun.Kind.SUBMIT,
            code=FINAL_CODE,
            outcome=CodeRun.Outcome.PASSED,
            visible_passed=1,
            visible_total=1,
            hidden_passed=1,
            hidden_total=1,
            duration_ms=55,
        )
        submitted = start + timedelta(minutes=12, seconds=34)
        _at(CodeRun, run.pk, created_at=submitted)
        CodingWork.objects.filter(pk=work.pk).update(code=FINAL_CODE, submitted_at=submitted)
        transcript_append(interview=interview, speaker="candidate", text=EXPLANATION)
        interview_record_answer(interview=interview, answer=EXPLANATION)
    else:
        CodingWork.objects.filter(pk=work.pk).update(code=FIRST_TRY)
    return CodingWork.objects.get(pk=work.pk)


def coding_interview(
    *, name: str = "Cora Coder", email: str = "cora.coder@example.com", exercises: int = 1
) -> Interview:
    """A completed interview whose only stage is coding: `exercises` coding questions, each
    worked through and submitted."""
    position = coding_position(coding_questions=exercises)
    candidate = CandidateFactory(position=position, name=name, email=email)
    interview = InterviewFactory(position=position, candidate=candidate)
    interview_start(interview=interview, ai_mode="structured")
    for _ in range(exercises):
        work_through(interview)
    interview_finish(interview=interview)
    return Interview.objects.get(pk=interview.pk)
