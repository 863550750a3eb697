import importlib.util
from pathlib import Path

import pytest

from interviews.models import CodingWork, Interview, Position, Stage
from interviews.services.turns import interview_next_question, interview_record_answer
from tests.factories import CodingExerciseFactory, PositionFactory, QuestionFactory

# The web tests' browser, interview and limits, as tests/web sets them up.
from tests.web.conftest import (  # noqa: F401
    _fresh_rate_limits,
    _livekit_keys,
    consented,
    invited,
    joined,
)

HARNESS = Path(__file__).resolve().parents[2] / "static" / "interviews" / "coding" / "harness.py"
SOLUTION = "def reverse_words(sentence):\n    return ' '.join(sentence.split()[::-1])\n"
# Right on the visible tests, wrong on one hidden test (extra spaces).
NEARLY = "def reverse_words(sentence):\n    return ' '.join(sentence.split(' ')[::-1])\n"


@pytest.fixture(scope="session")
def harness():
    """The harness file the browser fetches, loaded as a module of this Python."""
    spec = importlib.util.spec_from_file_location("harness", HARNESS)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def plan_with_coding(position: Position) -> Position:
    """One technical question, then the reverse-words exercise, then one behavioral."""
    position.technical_questions = 1
    position.coding_questions = 1
    position.behavioral_questions = 1
    position.save()
    QuestionFactory(position=position, text="What is a hash map?", order=1)
    CodingExerciseFactory(question__position=position, question__order=1)
    QuestionFactory(position=position, stage=Stage.BEHAVIORAL, text="A hard bug?", order=1)
    return position


def open_coding(interview: Interview) -> CodingWork:
    """Answer the questions before the exercise; the exercise is then asked."""
    while True:
        asked = interview_next_question(interview=interview)
        assert asked is not None
        if asked.stage == Stage.CODING:
            return CodingWork.objects.get(asked=asked)
        interview_record_answer(interview=interview, answer="An answer.")


@pytest.fixture
def coding_position(db) -> Position:
    return plan_with_coding(PositionFactory())
