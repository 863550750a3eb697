import io
import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from interviews.evaluation.run import evaluation_run
from interviews.models import (
    Candidate,
    DecisionRecord,
    ErasureRecord,
    Interview,
    Question,
    QuestionScore,
    TranscriptSegment,
)
from interviews.services.decisions import decision_record
from interviews.services.erasure import candidate_erase
from tests.review.conftest import (
    EMAIL,
    NAME,
    TECHNICAL_ANSWER,
    ScriptedModel,
    completed_interview,
    model_reply,
)

pytestmark = pytest.mark.django_db


def reviewed_interview(recruiter, **kwargs) -> Interview:
    """A completed interview with an AI evaluation, a decision and an admin history entry."""
    interview = completed_interview(**kwargs)
    evaluation_run(interview=interview, model=ScriptedModel(model_reply()))
    decision_record(
        interview=interview, decision="advance", note="Strong answers.", decided_by=recruiter
    )
    for obj in (interview.candidate, interview):
        LogEntry.objects.log_actions(
            user_id=recruiter.pk, queryset=[obj], action_flag=CHANGE, change_message="Edited."
        )
    return interview


def rows_mentioning(*needles: str) -> list[str]:
    """Every row of every table that contains one of the needles, as 'model: row'."""
    found = []
    for model in apps.get_models():
        for row in model._default_manager.all().values():
            text = json.dumps(row, default=str).lower()
            if any(needle.lower() in text for needle in needles):
                found.append(f"{model._meta.label}: {text[:200]}")
    return found


def test_a_recruiter_exports_everything_held_about_a_candidate(recruiter_client, recruiter):
    interview = reviewed_interview(recruiter)

    response = recruiter_client.get(
        reverse("admin:interviews_candidate_export", args=[interview.candidate.pk])
    )

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["candidate"]["email"] == EMAIL and data["candidate"]["name"] == NAME
    [exported] = data["interviews"]
    assert exported["id"] == str(interview.public_id)
    assert exported["questions"][0]["answer"] == TECHNICAL_ANSWER
    assert len(exported["transcript"]) == 8
    assert exported["evaluation"]["scores"][0]["evidence"] == [
        "integration tests against a real database"
    ]
    assert exported["decisions"][0]["decision"] == "advance"
    assert exported["suggested_questions"] == [
        {"question": "How do you keep the tests fast?", "rubric": ""}
    ]


def test_the_export_reads_as_many_times_for_one_interview_as_for_several(recruiter):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from interviews.selectors.reports import candidate_export
    from interviews.services.lifecycle import interview_finish, interview_start
    from interviews.services.transcript import transcript_append
    from tests.factories import InterviewFactory

    candidate = reviewed_interview(recruiter).candidate
    assert candidate.position.title  # read with the candidate, as the admin page does

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            exported = candidate_export(candidate=candidate)
        return len(captured), len(exported["interviews"])

    one = queries()
    for _ in range(2):
        more = InterviewFactory(position=candidate.position, candidate=candidate)
        interview_start(interview=more, ai_mode="structured")
        transcript_append(interview=more, speaker="agent", text="Welcome back.")
        interview_finish(interview=more)
        decision_record(interview=more, decision="hold", note="Later.", decided_by=recruiter)

    three = queries()
    assert (one[1], three[1]) == (1, 3)
    assert three[0] == one[0] <= 12, (one, three)


def test_the_export_command_writes_the_same_data_by_email(recruiter, tmp_path):
    interview = reviewed_interview(recruiter)
    out = io.StringIO()

    call_command("export_candidate", "--email", f"  {EMAIL.upper()} ", stdout=out)
    call_command("export_candidate", "--email", EMAIL, "--output", str(tmp_path / "data.json"))

    printed = json.loads(out.getvalue())
    assert printed["interviews"][0]["id"] == str(interview.public_id)
    assert json.loads((tmp_path / "data.json").read_text()) == printed


def test_the_export_command_refuses_an_unknown_email():
    with pytest.raises(CommandError, match="No candidate"):
        call_command("export_candidate", "--email", "nobody@example.com")


def test_the_erase_page_asks_for_confirmation_before_erasing(recruiter_client, recruiter):
    interview = reviewed_interview(recruiter)
    url = reverse("admin:interviews_candidate_erase", args=[interview.candidate.pk])

    response = recruiter_client.get(url)

    assert response.status_code == 200
    assert "Yes, erase all of it" in response.content.decode()
    assert Candidate.objects.filter(pk=interview.candidate.pk).exists()
    assert not ErasureRecord.objects.exists()


def test_erasing_a_candidate_leaves_no_personal_data_in_any_table(recruiter_client, recruiter):
    interview = reviewed_interview(recruiter)
    other = reviewed_interview(recruiter, name="Otto Brennan", email="otto.brennan@example.com")
    assert rows_mentioning(EMAIL, NAME)  # the scan sees the data while it is there

    response = recruiter_client.post(
        reverse("admin:interviews_candidate_erase", args=[interview.candidate.pk]), follow=True
    )

    assert response.status_code == 200
    assert "Candidate data erased: 1 interview(s)" in response.content.decode()
    assert rows_mentioning(EMAIL, NAME, "zelda", "quistorp") == []
    assert not Interview.objects.filter(pk=interview.pk).exists()
    record = ErasureRecord.objects.get()
    assert record.reason == ErasureRecord.Reason.REQUEST
    assert record.erased_by_username == "recruiter"
    assert record.counts == {
        "candidates": 1,
        "interviews": 1,
        "answers": 3,
        "coding_work": 0,
        "code_runs": 0,
        "coding_hints": 0,
        "transcript_segments": 8,
        "evaluations": 1,
        "question_scores": 3,
        "decisions": 1,
        "room_events": 0,
        "notice_consents": 0,
        "self_identifications": 0,
        "recordings": 0,
        "recording_files": 0,
        "suggested_questions_deleted": 1,
        "suggested_questions_unlinked": 0,
        "email_codes": 0,
    }
    # The follow-up the interviewer wrote from this candidate's answers is gone too.
    assert not Question.objects.filter(suggested_in=None, origin=Question.Origin.AGENT).exists()
    assert Question.objects.filter(suggested_in=other).exists()
    # The other candidate is untouched.
    assert Candidate.objects.filter(email="otto.brennan@example.com").exists()
    assert TranscriptSegment.objects.filter(interview=other).count() == 8
    assert DecisionRecord.objects.filter(interview=other).count() == 1
    assert LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Candidate), object_id=str(other.candidate.pk)
    ).exists()


def test_candidates_leave_only_through_erasure(recruiter_client, recruiter):
    interview = reviewed_interview(recruiter)
    candidate = interview.candidate

    plain_delete = recruiter_client.post(
        reverse("admin:interviews_candidate_delete", args=[candidate.pk]), {"post": "yes"}
    )

    assert plain_delete.status_code == 403
    assert Candidate.objects.filter(pk=candidate.pk).exists()


def test_erasing_needs_the_permission_to_delete_candidates(client, django_user_model, recruiter):
    from django.contrib.auth.models import Permission

    interview = reviewed_interview(recruiter)
    reader = django_user_model.objects.create_user("reader", "x@example.com", "pw", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_candidate"))
    client.force_login(reader)

    url = reverse("admin:interviews_candidate_erase", args=[interview.candidate.pk])
    assert client.post(url).status_code == 403
    assert Candidate.objects.filter(pk=interview.candidate.pk).exists()
    assert not ErasureRecord.objects.exists()


def age(interview: Interview, days: int) -> None:
    created = timezone.now() - timedelta(days=days)
    Interview.objects.filter(pk=interview.pk).update(created_at=created)
    Candidate.objects.filter(pk=interview.candidate_id).update(created_at=created)


def test_purge_deletes_interviews_older_than_the_retention_period(settings, recruiter):
    settings.DATA_RETENTION_DAYS = 30
    expired = reviewed_interview(recruiter)
    kept = reviewed_interview(recruiter, name="Otto Brennan", email="otto.brennan@example.com")
    age(expired, days=31)
    age(kept, days=29)
    out = io.StringIO()

    call_command("purge_expired", stdout=out)

    assert "interviews: 1" in out.getvalue() and "candidates: 1" in out.getvalue()
    assert not Interview.objects.filter(pk=expired.pk).exists()
    assert not Candidate.objects.filter(email=EMAIL).exists()
    assert not QuestionScore.objects.filter(evaluation__interview_id=expired.pk).exists()
    assert Interview.objects.filter(pk=kept.pk).exists()
    assert TranscriptSegment.objects.filter(interview=kept).count() == 8
    record = ErasureRecord.objects.get()
    assert record.reason == ErasureRecord.Reason.RETENTION and record.erased_by_username == ""
    assert rows_mentioning(EMAIL, NAME) == []


def test_purge_keeps_a_candidate_who_has_a_recent_interview(settings, recruiter):
    settings.DATA_RETENTION_DAYS = 30
    old = reviewed_interview(recruiter)
    age(old, days=90)
    recent = Interview.objects.create(position=old.position, candidate=old.candidate)

    call_command("purge_expired", stdout=io.StringIO())

    assert not Interview.objects.filter(pk=old.pk).exists()
    assert Interview.objects.filter(pk=recent.pk).exists()
    assert Candidate.objects.filter(email=EMAIL).exists()


def test_purge_with_nothing_expired_deletes_nothing(settings, recruiter):
    settings.DATA_RETENTION_DAYS = 30
    interview = reviewed_interview(recruiter)
    out = io.StringIO()

    call_command("purge_expired", stdout=out)

    assert "Nothing is older than the retention period." in out.getvalue()
    assert Interview.objects.filter(pk=interview.pk).exists()
    assert not ErasureRecord.objects.exists()


def test_the_erasure_trail_cannot_be_edited_in_the_admin(recruiter_client, recruiter):
    interview = reviewed_interview(recruiter)
    candidate_erase(candidate=interview.candidate, erased_by=recruiter)
    record = ErasureRecord.objects.get()

    listing = recruiter_client.get(reverse("admin:interviews_erasurerecord_changelist"))
    delete = recruiter_client.post(
        reverse("admin:interviews_erasurerecord_delete", args=[record.pk]), {"post": "yes"}
    )

    assert listing.status_code == 200
    assert delete.status_code == 403
    assert ErasureRecord.objects.filter(pk=record.pk).exists()
