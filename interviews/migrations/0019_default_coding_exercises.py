"""Coding exercises for the default bank's engineering positions (software engineer, data
scientist), so a recruiter who turns the coding round on has exercises to ask. The plans
are left as they are (no coding exercise per interview): recruiters turn it on.

The exercises are frozen data in the JSON file beside this migration: what this migration
loads never changes. Each: position (a slug), text (the statement the candidate reads),
rubric (what good code and a good explanation cover, and weak signals), min_experience and
max_experience, and the exercise: language, starter code, visible tests, hidden tests (edge
cases), a time limit and a ladder of three hints that never gives the answer. Positions
that no longer exist are skipped; a question already there (same position, stage and text)
is left alone.
"""

import json
from pathlib import Path

from django.db import migrations

_BANK = json.loads(Path(__file__).with_suffix(".json").read_text(encoding="utf-8"))
QUESTIONS = _BANK["questions"]
CODING = "coding"


def load_coding_exercises(apps, schema_editor):
    Position = apps.get_model("interviews", "Position")
    Question = apps.get_model("interviews", "Question")
    CodingExercise = apps.get_model("interviews", "CodingExercise")
    positions = {
        p.slug: p for p in Position.objects.filter(slug__in={q["position"] for q in QUESTIONS})
    }
    order: dict[str, int] = {}
    for spec in QUESTIONS:
        position = positions.get(spec["position"])
        order[spec["position"]] = order.get(spec["position"], 0) + 10
        if position is None:
            continue
        if Question.objects.filter(position=position, stage=CODING, text=spec["text"]).exists():
            continue
        question = Question.objects.create(
            position=position,
            stage=CODING,
            text=spec["text"],
            rubric=spec["rubric"],
            min_experience=spec["min_experience"],
            max_experience=spec["max_experience"],
            order=order[spec["position"]],
        )
        CodingExercise.objects.create(question=question, **spec["exercise"])


def remove_coding_exercises(apps, schema_editor):
    Question = apps.get_model("interviews", "Question")
    for spec in QUESTIONS:
        Question.objects.filter(
            position__slug=spec["position"],
            stage=CODING,
            text=spec["text"],
            asked_in__isnull=True,
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("interviews", "0018_coding_round")]

    operations = [migrations.RunPython(load_coding_exercises, remove_coding_exercises)]
