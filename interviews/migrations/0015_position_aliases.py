"""Position.aliases: the other words candidates use for a position, editable by
recruiters; the three default positions get the words the interviewer used to know."""

from django.db import migrations, models

# Frozen here: later edits belong to recruiters, not to this migration.
DEFAULT_ALIASES = {
    "software-engineer": (
        "software, software engineering, backend, back end, frontend, front end, full stack, "
        "fullstack, developer, engineer, engineering, programmer, programming, coder, SWE, SDE, dev, web"
    ),
    "data-scientist": (
        "data, data science, ML, machine learning, analytics, analyst, scientist, AI, statistics"
    ),
    "product-manager": "product, PM, product management, product owner",
}


def add_default_aliases(apps, schema_editor):
    Position = apps.get_model("interviews", "Position")
    for slug, aliases in DEFAULT_ALIASES.items():
        Position.objects.filter(slug=slug, aliases="").update(aliases=aliases)


class Migration(migrations.Migration):
    dependencies = [("interviews", "0014_outbox_permission")]

    operations = [
        migrations.AddField(
            model_name="position",
            name="aliases",
            field=models.CharField(
                blank=True,
                help_text="Other words candidates use for this position, comma-separated "
                "(for example: backend, developer, SWE). The interviewer matches them when it "
                "asks which position a candidate applies for.",
                max_length=500,
            ),
        ),
        migrations.RunPython(add_default_aliases, migrations.RunPython.noop),
    ]
