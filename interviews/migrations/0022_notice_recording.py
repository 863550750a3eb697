"""A new notice version that tells candidates their interview is recorded: shown to
candidates of a position that records its interviews ("only_if": "recorded"). The
transcription point's "the audio is used for the conversation only" stays true only
where nothing is recorded, so it becomes a point of its own ("only_if": "not_recorded").

The texts are frozen data in the JSON file beside this migration. The new version is the
latest published text with these changes, so a text the hiring team published since is
kept; a latest version that already has a recording point is left as it is.
"""

import json
from pathlib import Path

from django.db import migrations

RECORDING_NOTICE = json.loads(Path(__file__).with_suffix(".json").read_text(encoding="utf-8"))
RECORDED = RECORDING_NOTICE["point"]["only_if"]


def publish_recording_notice(apps, schema_editor):
    NoticeVersion = apps.get_model("interviews", "NoticeVersion")
    latest = NoticeVersion.objects.order_by("-version").first()
    if latest is None or any(p.get("only_if") == RECORDED for p in latest.points):
        return
    points = [dict(point) for point in latest.points]
    anchor = next(
        (i for i, p in enumerate(points) if RECORDING_NOTICE["after_point_with"] in p["text"]),
        len(points) - 2,
    )
    added = [dict(RECORDING_NOTICE["point"])]
    moved = RECORDING_NOTICE["sentence_moved"]
    if points[anchor]["text"].endswith(moved):
        points[anchor]["text"] = points[anchor]["text"][: -len(moved)]
        added.append(dict(RECORDING_NOTICE["not_recorded_point"]))
    points[anchor + 1 : anchor + 1] = added
    NoticeVersion.objects.create(
        version=latest.version + 1,
        heading=latest.heading,
        points=points,
        consent_statement=latest.consent_statement,
        modes=latest.modes,
    )


def withdraw_recording_notice(apps, schema_editor):
    # A version someone agreed to stays (consents protect it).
    NoticeVersion = apps.get_model("interviews", "NoticeVersion")
    latest = NoticeVersion.objects.order_by("-version").first()
    if (
        latest is not None
        and RECORDING_NOTICE["point"] in latest.points
        and not latest.consents.exists()
    ):
        latest.delete()


class Migration(migrations.Migration):
    dependencies = [("interviews", "0021_recordings")]

    operations = [migrations.RunPython(publish_recording_notice, withdraw_recording_notice)]
