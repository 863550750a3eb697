"""An interview with a coding exercise: one technical question, the exercise (two hints),
one behavioral question; and runs recorded as the server's sandbox would record them."""

import pytest
from django.utils import timezone

from interviews.models import CodeRun, CodingExercise, CodingWork, Interview, Stage
from interviews.services.invites import interview_create
from interviews.services.lifecycle import interview_start
from interviews.services.questions import (
    interview_answer_and_next_question,
    interview_next_question,
)
from tests.factories import CandidateFactory, PositionFactory, QuestionFactory
from tests.provider_protocol.conftest import (  # noqa: F401 - the local provider server
    ai_settings,
    openai_server,
)

TECHNICAL = "How does a hash map work?"
STATEMENT = "Write first_unique(s) that returns the first character of s that does not repeat."
BEHAVIORAL = "Tell me about a disagreement in your team."
HINTS = ("Count each character first.", "A second pass finds the first count of one.")


@pytest.fixture
def coding_position():
    position = PositionFactory(technical_questions=1, coding_questions=1, behavioral_questions=1)
    QuestionFactory(position=position, text=TECHNICAL, order=1)
    coding = QuestionFactory(position=position, stage=Stage.CODING, text=STATEMENT, order=1)
    CodingExercise.objects.create(
        question=coding,
        starter_code="def first_unique(s):\n    pass\n",
        visible_tests="def test_abc():\n    assert first_unique('aab') == 'b'\n",
        hidden_tests="def test_empty():\n    assert first_unique('') is None\n",
        hint_1=HINTS[0],
        hint_2=HINTS[1],
    )
    QuestionFactory(position=position, stage=Stage.BEHAVIORAL, text=BEHAVIORAL, order=1)
    return position


def _personal(position) -> Interview:
    candidate = CandidateFactory(email="cody@example.com", name="Cody Coder", position=position)
    return interview_create(position=position, candidate=candidate).interview


@pytest.fixture
def coding_interview(coding_position) -> Interview:
    return _personal(coding_position)


@pytest.fixture
def other_interview(coding_position) -> Interview:
    candidate = CandidateFactory(email="other@example.com", position=coding_position)
    return interview_create(position=coding_position, candidate=candidate).interview


def work_of(interview: Interview) -> CodingWork:
    return CodingWork.objects.get(asked__interview=interview)


def record_run(
    work: CodingWork,
    *,
    kind: str = CodeRun.Kind.RUN,
    outcome: str = CodeRun.Outcome.FAILED,
    visible: tuple[int, int] = (0, 1),
    hidden: tuple[int, int] = (0, 0),
) -> CodeRun:
    """A run as the server records it; a submission it executed closes the work."""
    if kind == CodeRun.Kind.SUBMIT and outcome != CodeRun.Outcome.UNAVAILABLE:
        work.submitted_at = timezone.now()
        work.save(update_fields=["submitted_at"])
    passed = outcome == CodeRun.Outcome.PASSED
    return CodeRun.objects.create(
        work=work,
        kind=kind,
        code=work.code,
        outcome=outcome,
        visible_passed=visible[0],
        visible_total=visible[1],
        hidden_passed=hidden[0],
        hidden_total=hidden[1],
        results=[{"name": "test_abc", "passed": passed, "message": "" if passed else "boom"}],
    )


def open_the_exercise(interview: Interview) -> CodingWork:
    """The technical question answered and the exercise asked, as the services do it."""
    interview_start(interview=interview, ai_mode="scripted")
    interview_next_question(interview=interview)
    interview_answer_and_next_question(interview=interview, answer="Buckets and a hash.")
    return work_of(interview)
