import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from interviews.evaluation.run import evaluation_run
from interviews.models import Candidate, Interview, OperationRecord
from interviews.services.decisions import decision_record
from interviews.services.erasure import candidate_erase
from interviews.services.operation_log import operation_log_purge, rubric_version
from tests.review.conftest import EMAIL, NAME, ScriptedModel, completed_interview, model_reply
from tests.review.test_data_rights import rows_mentioning

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(admin_user):
    interview = completed_interview()
    evaluation_run(interview=interview, model=ScriptedModel(model_reply()))
    decision_record(interview=interview, decision="hold", note="Ask more.", decided_by=admin_user)
    decision_record(interview=interview, decision="advance", note="Fine.", decided_by=admin_user)
    return Interview.objects.get(pk=interview.pk)


def age(interview: Interview, days: int) -> None:
    created = timezone.now() - timedelta(days=days)
    Interview.objects.filter(pk=interview.pk).update(created_at=created)
    Candidate.objects.filter(pk=interview.candidate_id).update(created_at=created)


def test_erasure_keeps_the_record_of_the_systems_operation_without_personal_data(
    decided, admin_user
):
    evaluation = decided.evaluation

    candidate_erase(candidate=decided.candidate, erased_by=admin_user)

    record = OperationRecord.objects.get()
    assert record.interview is None
    assert record.position_title == decided.position.title
    assert (record.ai_mode, record.status) == ("realtime", "completed")
    assert record.evaluation_model == "scripted-evaluator"
    assert record.evaluation_prompt_version == evaluation.prompt_version
    assert record.rubric_version == rubric_version(evaluation.rubric_snapshot) != ""
    assert record.scores == [4, 3, 4]
    assert [d["decision"] for d in record.decisions] == ["hold", "advance"]
    assert record.decisions[1]["suggested_recommendation"] == "advance"
    assert rows_mentioning(EMAIL, NAME, "Ask more.", "zelda") == []


def test_personal_data_and_the_operation_log_expire_on_their_own_settings(decided, settings):
    settings.DATA_RETENTION_DAYS = 30
    settings.OPERATION_LOG_RETENTION_DAYS = 200
    age(decided, days=100)
    out = io.StringIO()

    call_command("purge_expired", stdout=out)

    assert not Interview.objects.filter(pk=decided.pk).exists()
    record = OperationRecord.objects.get()
    assert record.interview is None and record.decisions[-1]["decision"] == "advance"
    assert "Operation log: 1 record(s) brought up to date, 0 older" in out.getvalue()

    OperationRecord.objects.update(interview_created_at=timezone.now() - timedelta(days=201))
    call_command("purge_expired", stdout=out)

    assert not OperationRecord.objects.exists()


def test_the_operation_log_of_an_interview_still_held_is_never_purged(decided):
    call_command("purge_expired", stdout=io.StringIO())
    OperationRecord.objects.update(interview_created_at=timezone.now() - timedelta(days=400))

    assert operation_log_purge() == 0
    assert OperationRecord.objects.get().interview_id == decided.pk


def test_the_operation_log_is_kept_at_least_six_months():
    with pytest.raises(CommandError, match="at least 183 days"):
        call_command("purge_expired", "--operation-log-days", "30", stdout=io.StringIO())


def test_interviews_that_never_started_leave_no_operation_record(admin_user):
    interview = completed_interview()
    unstarted = Interview.objects.create(position=interview.position, candidate=interview.candidate)

    call_command("purge_expired", stdout=io.StringIO())

    assert list(OperationRecord.objects.values_list("interview_id", flat=True)) == [interview.pk]
    assert not OperationRecord.objects.filter(interview=unstarted).exists()


def test_the_operation_log_is_written_when_an_interview_is_evaluated_and_when_it_is_decided(
    admin_user,
):
    interview = completed_interview()
    assert not OperationRecord.objects.exists()

    evaluation_run(interview=interview, model=ScriptedModel(model_reply()))

    record = OperationRecord.objects.get(interview=interview)
    assert record.evaluation_model == "scripted-evaluator"
    assert record.decisions == []

    decision_record(interview=interview, decision="advance", note="Fine.", decided_by=admin_user)

    record.refresh_from_db()
    assert [d["decision"] for d in record.decisions] == ["advance"]
    assert record.suggested_recommendation == "advance"
