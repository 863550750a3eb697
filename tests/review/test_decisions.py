import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from interviews.evaluation.run import evaluation_run
from interviews.models import DecisionRecord, Interview
from interviews.services.decisions import decision_edit, decision_record
from tests.review.conftest import ScriptedModel, model_reply

pytestmark = pytest.mark.django_db


def report_url(interview: Interview) -> str:
    return reverse("admin:interviews_interview_report", args=[interview.pk])


def decide(client, interview, decision="advance", note="Clear, well-evidenced answers."):
    return client.post(report_url(interview), {"decision": decision, "note": note})


def test_a_recruiter_records_a_decision_from_the_report_page(
    recruiter_client, recruiter, interview
):
    response = decide(recruiter_client, interview)

    assert response.status_code == 302
    assert response.url == report_url(interview)
    record = DecisionRecord.objects.get(interview=interview)
    assert (record.decision, record.note) == ("advance", "Clear, well-evidenced answers.")
    assert record.decided_by == recruiter and record.decided_by_username == "recruiter"
    page = recruiter_client.get(report_url(interview)).content.decode()
    assert "Current decision: Advance" in page


def test_a_change_of_mind_is_appended_and_the_latest_decision_is_current(
    recruiter_client, interview
):
    decide(recruiter_client, interview, "advance", "First look.")
    decide(recruiter_client, interview, "hold", "Waiting for the second reviewer.")

    records = list(DecisionRecord.objects.filter(interview=interview))
    assert [r.decision for r in records] == ["hold", "advance"]
    page = recruiter_client.get(report_url(interview)).content.decode()
    assert "Current decision: Hold" in page
    assert "First look." in page and "Waiting for the second reviewer." in page


def test_a_recorded_decision_cannot_be_edited(recruiter, interview):
    record = decision_record(
        interview=interview, decision="reject", note="Weak answers.", decided_by=recruiter
    )

    record.decision = "advance"
    with pytest.raises(ValidationError, match="cannot be changed"):
        record.save()
    with pytest.raises(ValidationError, match="cannot be changed"):
        decision_edit(record=record, decision="advance")

    assert DecisionRecord.objects.get(pk=record.pk).decision == "reject"


def test_the_admin_offers_no_way_to_change_or_delete_a_decision(
    recruiter_client, recruiter, interview
):
    record = decision_record(
        interview=interview, decision="reject", note="Weak answers.", decided_by=recruiter
    )
    change_url = reverse("admin:interviews_decisionrecord_change", args=[record.pk])

    assert recruiter_client.get(change_url).status_code == 200  # readable
    edit = recruiter_client.post(change_url, {"decision": "advance", "note": "Changed."})
    delete = recruiter_client.post(
        reverse("admin:interviews_decisionrecord_delete", args=[record.pk]), {"post": "yes"}
    )
    bulk = recruiter_client.post(
        reverse("admin:interviews_decisionrecord_changelist"),
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    interview_delete = recruiter_client.post(
        reverse("admin:interviews_interview_delete", args=[interview.pk]), {"post": "yes"}
    )

    assert (edit.status_code, delete.status_code, interview_delete.status_code) == (403, 403, 403)
    assert bulk.status_code == 200  # the action is unknown: nothing happens
    record.refresh_from_db()
    assert (record.decision, record.note) == ("reject", "Weak answers.")
    assert Interview.objects.filter(pk=interview.pk).exists()


def test_people_outside_the_staff_can_neither_decide_nor_read_the_report(
    outsider_client, django_user_model, interview
):
    response = decide(outsider_client, interview)
    page = outsider_client.get(report_url(interview))

    assert response.status_code == 302 and "/login/" in response.url
    assert page.status_code == 302 and "/login/" in page.url
    assert not DecisionRecord.objects.exists()
    outsider = django_user_model.objects.get(username="outsider")
    with pytest.raises(ValidationError, match="staff"):
        decision_record(interview=interview, decision="advance", note="x", decided_by=outsider)
    assert not DecisionRecord.objects.exists()


def test_staff_without_the_permission_to_decide_can_read_but_not_decide(
    client, django_user_model, interview
):
    from django.contrib.auth.models import Permission

    reader = django_user_model.objects.create_user("reader", "x@example.com", "pw", is_staff=True)
    reader.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="interviews", codename__startswith="view_"
        )
    )
    client.force_login(reader)

    assert client.get(report_url(interview)).status_code == 200
    assert decide(client, interview).status_code == 403
    assert not DecisionRecord.objects.exists()


def test_a_decision_needs_a_note(recruiter_client, interview):
    response = decide(recruiter_client, interview, note="   ")

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not DecisionRecord.objects.exists()


def test_no_decision_before_the_interview_has_ended(recruiter_client, interview):
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.IN_PROGRESS)

    response = decide(recruiter_client, interview)

    assert response.status_code == 200
    assert "Decide once the interview has ended." in response.content.decode()
    assert not DecisionRecord.objects.exists()


def test_the_ai_suggestion_never_becomes_a_decision_and_is_kept_beside_the_human_one(
    recruiter_client, interview
):
    model = ScriptedModel(model_reply(next_step="advance"))
    evaluation_run(interview=interview, model=model)

    assert not DecisionRecord.objects.exists()
    page = recruiter_client.get(report_url(interview)).content.decode()
    assert "Awaiting human review." in page

    decide(recruiter_client, interview, "reject", "The answers lacked depth in person.")
    record = DecisionRecord.objects.get(interview=interview)
    assert (record.decision, record.suggested_recommendation) == ("reject", "advance")
