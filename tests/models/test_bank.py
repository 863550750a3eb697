import pytest
from django.db import IntegrityError, transaction

from interviews.models import Question
from tests.factories import PositionFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_a_question_band_must_run_from_low_to_high():
    position = PositionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionFactory(position=position, min_experience=5, max_experience=2)
    assert not Question.objects.filter(position=position).exists()
