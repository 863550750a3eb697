"""The "abandoned" status goes: nothing ever set it. Ending early leaves an interview
interrupted (a new session resumes it), and an expired or revoked link is not final (a
recruiter issues a new one). A row that holds it anyway (written by hand) becomes
interrupted, the status that keeps it visible to recruiters and open to a decision."""

from django.db import migrations, models


def abandoned_to_interrupted(apps, schema_editor):
    Interview = apps.get_model("interviews", "Interview")
    Interview.objects.filter(status="abandoned").update(status="interrupted")


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0011_dashboard_indexes"),
    ]

    operations = [
        migrations.RunPython(abandoned_to_interrupted, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="interview",
            name="status",
            field=models.CharField(
                choices=[
                    ("invited", "Invited"),
                    ("in_progress", "In progress"),
                    ("interrupted", "Interrupted"),
                    ("completed", "Completed"),
                ],
                db_index=True,
                default="invited",
                max_length=20,
            ),
        ),
    ]
