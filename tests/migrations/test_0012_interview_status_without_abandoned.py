import importlib

import pytest
from django.apps import apps

from interviews.models import Interview
from tests.factories import InterviewFactory

MIGRATION = importlib.import_module("interviews.migrations.0012_interview_status_without_abandoned")

pytestmark = pytest.mark.django_db


def test_an_interview_stored_as_abandoned_becomes_interrupted():
    stored = InterviewFactory(status=Interview.Status.INTERRUPTED)
    Interview.objects.filter(pk=stored.pk).update(status="abandoned")
    untouched = InterviewFactory(status=Interview.Status.COMPLETED)

    MIGRATION.abandoned_to_interrupted(apps, None)

    assert Interview.objects.get(pk=stored.pk).status == Interview.Status.INTERRUPTED
    assert Interview.objects.get(pk=untouched.pk).status == Interview.Status.COMPLETED


def test_abandoned_is_no_longer_a_status():
    assert "abandoned" not in Interview.Status.values
