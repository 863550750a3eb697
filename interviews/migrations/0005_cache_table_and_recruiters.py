"""The shared cache's table (rate limits hold across web processes) and the "Recruiters"
group with exactly the back-office permissions recruiters need."""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

RECRUITERS = "Recruiters"
# model -> actions. Erasing candidates, deleting anything and reading raw webhook events
# stay with administrators.
RECRUITER_PERMISSIONS = {
    "position": ("view", "add", "change"),
    "question": ("view", "add", "change"),
    "candidate": ("view", "add", "change"),
    "interview": ("view", "add", "change"),
    "interviewquestion": ("view",),
    "transcriptsegment": ("view",),
    "evaluation": ("view",),
    "questionscore": ("view",),
    "decisionrecord": ("view", "add"),
}


def create_cache_table(apps, schema_editor):
    # Whatever CACHES says now: switching from Redis to the database later must just work.
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, settings.CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(settings.CACHE_TABLE)}")


def create_recruiters(apps, schema_editor):
    # Permissions are normally created after migrate; the group needs them now.
    app_config = apps.get_app_config("interviews")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [
        f"{action}_{model}"
        for model, actions in RECRUITER_PERMISSIONS.items()
        for action in actions
    ]
    permissions = Permission.objects.filter(
        content_type__app_label="interviews", codename__in=codenames
    )
    assert permissions.count() == len(codenames), "a recruiter permission is missing"  # noqa: S101
    group, _ = Group.objects.get_or_create(name=RECRUITERS)
    group.permissions.set(permissions)


def delete_recruiters(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=RECRUITERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0004_review_and_data_rights"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, drop_cache_table),
        migrations.RunPython(create_recruiters, delete_recruiters),
    ]
