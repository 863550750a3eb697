import importlib

import pytest
from django.apps import apps

from interviews.models import Position, Question, Stage
from tests.factories import PositionFactory, QuestionFactory


@pytest.fixture
def position_with_bank() -> Position:
    """A position planning 2 technical + 1 behavioral, with junior and senior questions."""
    position = PositionFactory(technical_questions=2, behavioral_questions=1)
    QuestionFactory(position=position, text="T1 for all?", order=1)
    QuestionFactory(position=position, text="T2 junior?", order=2, max_experience=3)
    QuestionFactory(position=position, text="T3 senior?", order=3, min_experience=4)
    QuestionFactory(position=position, text="T4 for all?", order=4)
    QuestionFactory(position=position, stage=Stage.BEHAVIORAL, text="B1 for all?", order=1)
    QuestionFactory(position=position, stage=Stage.BEHAVIORAL, text="B2 for all?", order=2)
    QuestionFactory(position=position, text="Inactive?", order=0, is_active=False)
    assert Question.objects.filter(position=position).count() == 7
    return position


@pytest.fixture
def default_bank() -> None:
    """The bank migration 0002 loads. Transactional tests flush the database afterwards,
    so later tests load it again the same way the migration does."""
    migration = importlib.import_module("interviews.migrations.0002_default_question_bank")
    if not Position.objects.filter(slug="software-engineer").exists():
        migration.load_default_bank(apps, None)
        aliases = importlib.import_module("interviews.migrations.0012_position_aliases")
        aliases.add_default_aliases(apps, None)
