"""A candidate's coding work (code, runs, hints) under their rights: exported with the
rest, erased with their interviews, purged with an expired interview."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interviews.models import (
    Candidate,
    CodeRun,
    CodingHint,
    CodingWork,
    ErasureRecord,
    Interview,
    InterviewQuestion,
)
from interviews.selectors.reports import candidate_export
from interviews.services.erasure import candidate_erase
from interviews.services.lifecycle import interview_finish, interview_start
from tests.factories import InterviewFactory
from tests.review.coding_work import (
    EXPLANATION,
    FINAL_CODE,
    FIRST_TRY,
    HINTS,
    coding_interview,
    work_through,
)

pytestmark = pytest.mark.django_db


def coding_rows(interview: Interview) -> tuple[int, int, int]:
    return (
        CodingWork.objects.filter(asked__interview=interview).count(),
        CodeRun.objects.filter(work__asked__interview=interview).count(),
        CodingHint.objects.filter(work__asked__interview=interview).count(),
    )


def test_the_export_holds_the_code_every_run_and_the_hints(recruiter_client):
    interview = coding_interview()

    response = recruiter_client.get(
        reverse("admin:interviews_candidate_export", args=[interview.candidate.pk])
    )

    assert response.status_code == 200
    [exported] = json.loads(response.content)["interviews"]
    assert exported["questions"][0]["stage"] == "coding"
    assert exported["questions"][0]["answer"] == EXPLANATION
    [work] = exported["coding_work"]
    assert work["question_sequence"] == 1 and work["language"] == "python"
    assert work["code"] == FINAL_CODE and work["submitted_at"] is not None
    assert [(r["kind"], r["outcome"], r["code"]) for r in work["runs"]] == [
        ("run", "failed", FIRST_TRY),
        ("submit", "passed", FINAL_CODE),
    ]
    assert work["runs"][0]["results"][0]["name"] == "test_two_words"
    assert (work["runs"][1]["hidden_passed"], work["runs"][1]["hidden_total"]) == (1, 1)
    assert [(h["level"], h["text"]) for h in work["hints"]] == [(1, HINTS[0]), (2, HINTS[1])]
    assert all(h["given_at"] for h in work["hints"])


def test_an_interview_without_a_coding_round_exports_no_coding_work(recruiter):
    from tests.review.conftest import completed_interview

    interview = completed_interview()

    [exported] = candidate_export(candidate=interview.candidate)["interviews"]

    assert exported["coding_work"] == []


def test_the_export_reads_as_many_times_for_several_coding_interviews_as_for_one():
    interview = coding_interview(exercises=1)
    candidate = Candidate.objects.select_related("position").get(pk=interview.candidate_id)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            exported = candidate_export(candidate=candidate)
        return len(captured), sum(len(i["coding_work"]) for i in exported["interviews"])

    one = queries()
    for _ in range(2):
        more = InterviewFactory(position=candidate.position, candidate=candidate)
        interview_start(interview=more, ai_mode="structured")
        work_through(more)
        interview_finish(interview=more)
    several = queries()

    assert (one[1], several[1]) == (1, 3)
    assert several[0] == one[0] <= 12, (one, several)


def test_erasure_removes_the_coding_work_with_the_interview_and_counts_it(recruiter):
    interview = coding_interview()
    other = coding_interview(name="Otto Other", email="otto.other@example.com", exercises=2)
    assert coding_rows(interview) == (1, 2, 2)

    record = candidate_erase(candidate=interview.candidate, erased_by=recruiter)

    assert coding_rows(interview) == (0, 0, 0)
    assert not InterviewQuestion.objects.filter(interview_id=interview.pk).exists()
    assert not CodeRun.objects.filter(code=FIRST_TRY, work__asked__interview=interview).exists()
    assert (record.counts["coding_work"], record.counts["code_runs"]) == (1, 2)
    assert record.counts["coding_hints"] == 2
    assert ErasureRecord.objects.get() == record
    # The other candidate's work is untouched, and nothing else is left.
    assert coding_rows(other) == (2, 4, 4)
    assert (CodingWork.objects.count(), CodeRun.objects.count()) == (2, 4)


def test_the_retention_purge_removes_the_coding_work_of_an_expired_interview(settings):
    settings.DATA_RETENTION_DAYS = 30
    expired = coding_interview()
    recent = coding_interview(name="Rita Recent", email="rita.recent@example.com")
    long_ago = timezone.now() - timedelta(days=31)
    Interview.objects.filter(pk=expired.pk).update(created_at=long_ago)
    Candidate.objects.filter(pk=expired.candidate_id).update(created_at=long_ago)
    out = io.StringIO()

    call_command("purge_expired", stdout=out)

    assert not Interview.objects.filter(pk=expired.pk).exists()
    assert coding_rows(expired) == (0, 0, 0)
    assert "coding_work: 1, code_runs: 2, coding_hints: 2" in out.getvalue()
    assert coding_rows(recent) == (1, 2, 2)
    assert (CodingWork.objects.count(), CodingHint.objects.count()) == (1, 2)
    assert ErasureRecord.objects.get().counts["code_runs"] == 2
