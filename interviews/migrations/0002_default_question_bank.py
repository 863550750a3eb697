"""Fill a fresh database with the default positions and question bank, so that an
interview can run right after `migrate`. Positions that already exist are left alone.

The bank is frozen data in the JSON file beside this migration: what this migration
loads never changes. Recruiters edit, deactivate or extend the bank in the admin.

Written for first-round interviews. Each question: position (a slug), stage ("technical"
or "behavioral"), text (as the interviewer says it aloud), rubric (what a good answer
covers, the signals a reviewer looks for, and a common weak-answer signal),
min_experience and max_experience (whole years, inclusive).
"""

import json
from pathlib import Path

from django.db import migrations

_BANK = json.loads(Path(__file__).with_suffix(".json").read_text(encoding="utf-8"))
POSITIONS = _BANK["positions"]
QUESTIONS = _BANK["questions"]


def load_default_bank(apps, schema_editor):
    Position = apps.get_model("interviews", "Position")
    Question = apps.get_model("interviews", "Question")
    created = {}
    for spec in POSITIONS:
        position, was_created = Position.objects.get_or_create(
            slug=spec["slug"],
            defaults={"title": spec["title"], "description": spec["description"]},
        )
        if was_created:
            created[position.slug] = position
    order: dict[tuple[str, str], int] = {}
    for spec in QUESTIONS:
        position = created.get(spec["position"])
        if position is None:
            continue
        key = (spec["position"], spec["stage"])
        order[key] = order.get(key, 0) + 10
        Question.objects.create(
            position=position,
            stage=spec["stage"],
            text=spec["text"],
            rubric=spec["rubric"],
            min_experience=spec["min_experience"],
            max_experience=spec["max_experience"],
            order=order[key],
        )


def remove_default_bank(apps, schema_editor):
    Position = apps.get_model("interviews", "Position")
    Position.objects.filter(
        slug__in=[spec["slug"] for spec in POSITIONS], interviews__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("interviews", "0001_initial")]

    operations = [migrations.RunPython(load_default_bank, remove_default_bank)]
