import importlib

import pytest
from django.apps import apps
from django.db.models.signals import post_migrate

from interviews.models import Position, Question, Stage
from tests.factories import PositionFactory, QuestionFactory

COMPLIANCE_MIGRATION = importlib.import_module("interviews.migrations.0007_compliance")
CODING_NOTICE_MIGRATION = importlib.import_module("interviews.migrations.0020_notice_coding_round")
RECORDING_NOTICE_MIGRATION = importlib.import_module("interviews.migrations.0022_notice_recording")
RECRUITERS_MIGRATION = importlib.import_module(
    "interviews.migrations.0005_cache_table_and_recruiters"
)


def _restore_recruiters() -> None:
    """The recruiters' group as migrations 0005 (its permissions) and 0006 (watching live)
    leave it."""
    from django.contrib.auth.models import Group, Permission

    codenames = [
        f"{action}_{model}"
        for model, actions in RECRUITERS_MIGRATION.RECRUITER_PERMISSIONS.items()
        for action in actions
    ]
    codenames.append("watch_interview")
    group, _ = Group.objects.get_or_create(name=RECRUITERS_MIGRATION.RECRUITERS)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="interviews", codename__in=codenames)
    )


def _restore_migrated_rows(sender, **kwargs) -> None:
    """The notice's versions (migrations 0007, 0020 and 0022) and the recruiters' group (0005,
    0006) are stored by migrations, and a transactional test's flush deletes them; a test run
    after it on the same pytest-xdist worker may read them. A flush ends with post_migrate
    (after Django's own handlers create the permissions): store them again then."""
    if sender.name == "interviews":
        COMPLIANCE_MIGRATION.load_first_notice(apps, None)
        CODING_NOTICE_MIGRATION.publish_coding_notice(apps, None)
        RECORDING_NOTICE_MIGRATION.publish_recording_notice(apps, None)
        _restore_recruiters()


post_migrate.connect(_restore_migrated_rows, dispatch_uid="tests.restore_migrated_rows")


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        # What the PostgreSQL pass runs: tests that reach the database.
        if item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.database)
    # The scale-out test (about 4 minutes) first, so that it runs beside the rest of the
    # PostgreSQL pass instead of alone at its end; it restores the database it flushes.
    items.sort(key=lambda item: item.get_closest_marker("scaleout") is None)


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
    """The bank migrations 0002 and 0019 (its coding exercises) load. Transactional tests
    flush the database afterwards, so later tests load it again the same way the
    migrations do."""
    migration = importlib.import_module("interviews.migrations.0002_default_question_bank")
    if not Position.objects.filter(slug="software-engineer").exists():
        migration.load_default_bank(apps, None)
        aliases = importlib.import_module("interviews.migrations.0015_position_aliases")
        aliases.add_default_aliases(apps, None)
        coding = importlib.import_module("interviews.migrations.0019_default_coding_exercises")
        coding.load_coding_exercises(apps, None)
