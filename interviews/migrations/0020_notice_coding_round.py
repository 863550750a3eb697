"""A new notice version that tells candidates about the coding round: shown to candidates
of a position whose plan holds coding exercises ("only_if": "coding_round"), it says their
code, every run's result and the hints given are stored and reviewed by a person.

The point is frozen data in the JSON file beside this migration. The new version is the
latest published text with this point added after the one that describes the questions,
so a text the hiring team published since is kept; a latest version that already has a
coding-round point is left as it is.
"""

import json
from pathlib import Path

from django.db import migrations

CODING_NOTICE = json.loads(Path(__file__).with_suffix(".json").read_text(encoding="utf-8"))
CODING_ROUND = CODING_NOTICE["point"]["only_if"]


def publish_coding_notice(apps, schema_editor):
    NoticeVersion = apps.get_model("interviews", "NoticeVersion")
    latest = NoticeVersion.objects.order_by("-version").first()
    if latest is None or any(p.get("only_if") == CODING_ROUND for p in latest.points):
        return
    points = [dict(point) for point in latest.points]
    anchor = next(
        (i for i, p in enumerate(points) if CODING_NOTICE["after_point_with"] in p["text"]),
        len(points) - 2,
    )
    points.insert(anchor + 1, dict(CODING_NOTICE["point"]))
    NoticeVersion.objects.create(
        version=latest.version + 1,
        heading=latest.heading,
        points=points,
        consent_statement=latest.consent_statement,
        modes=latest.modes,
    )


def withdraw_coding_notice(apps, schema_editor):
    # A version someone agreed to stays (consents protect it).
    NoticeVersion = apps.get_model("interviews", "NoticeVersion")
    latest = NoticeVersion.objects.order_by("-version").first()
    if (
        latest is not None
        and latest.points
        and CODING_NOTICE["point"] in latest.points
        and not latest.consents.exists()
    ):
        latest.delete()


class Migration(migrations.Migration):
    dependencies = [("interviews", "0019_default_coding_exercises")]

    operations = [migrations.RunPython(publish_coding_notice, withdraw_coding_notice)]
