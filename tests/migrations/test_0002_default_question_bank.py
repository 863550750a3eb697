import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from interviews.models import Position, Question, Stage

BANK = importlib.import_module("interviews.migrations.0002_default_question_bank")
POSITIONS, QUESTIONS = BANK.POSITIONS, BANK.QUESTIONS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_bank")]

ROOT = Path(__file__).resolve().parents[2]
SEED_POSITIONS = {"software-engineer", "data-scientist", "product-manager"}


def test_migrate_loads_the_bank_into_a_fresh_database(tmp_path):
    # The spoken questions of 0002 (0019 adds coding exercises; test_0019 counts those).
    count = (
        "from interviews.models import Position, Question; "
        "print(Position.objects.count(), "
        "Question.objects.filter(is_active=True).exclude(stage='coding').count())"
    )
    env = {**os.environ, "ENV_FILE": os.devnull, "DATABASE_URL": f"sqlite:///{tmp_path}/fresh.db"}
    for command in (["migrate", "--noinput"], ["shell", "-c", count]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["3", str(len(QUESTIONS))]


def test_the_bank_holds_the_three_seed_positions():
    assert set(Position.objects.values_list("slug", flat=True)) >= SEED_POSITIONS
    assert {p["slug"] for p in POSITIONS} == SEED_POSITIONS


@pytest.mark.parametrize("slug", sorted(SEED_POSITIONS))
@pytest.mark.parametrize("stage", [Stage.TECHNICAL, Stage.BEHAVIORAL])
def test_each_position_and_stage_has_at_least_eight_active_questions_with_rubrics(slug, stage):
    questions = Question.objects.filter(position__slug=slug, stage=stage, is_active=True)
    assert questions.count() >= 8
    assert all(len(q.rubric) > 80 for q in questions)
    assert questions.filter(origin=Question.Origin.RECRUITER).count() == questions.count()


@pytest.mark.parametrize("slug", sorted(SEED_POSITIONS))
def test_juniors_and_seniors_get_different_technical_questions(slug):
    technical = Question.objects.filter(position__slug=slug, stage=Stage.TECHNICAL)
    junior = {q.pk for q in technical if q.fits(1)}
    senior = {q.pk for q in technical if q.fits(10)}
    assert junior - senior and senior - junior
    plan = Position.objects.get(slug=slug).technical_questions
    assert len(junior) >= plan and len(senior) >= plan


def test_the_bank_is_loaded_in_the_order_it_is_written():
    written = [
        q["text"]
        for q in QUESTIONS
        if q["position"] == "data-scientist" and q["stage"] == Stage.TECHNICAL
    ][:3]
    loaded = Question.objects.filter(position__slug="data-scientist", stage=Stage.TECHNICAL)
    assert [q.text for q in loaded.order_by("order")[:3]] == written
