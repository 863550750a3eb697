import json

import pytest
from django.urls import reverse

from interviews.evaluation.run import PROMPT_VERSION, evaluation_run
from interviews.models import Interview
from tests.review.conftest import NAME, TECHNICAL_ANSWER, ScriptedModel, model_reply

pytestmark = pytest.mark.django_db


def report_url(interview: Interview) -> str:
    return reverse("admin:interviews_interview_report", args=[interview.pk])


def test_the_report_shows_each_answer_with_its_score_evidence_and_rubric(
    recruiter_client, interview
):
    invented = "I single-handedly rewrote the test suite"
    evaluation_run(
        interview=interview, model=ScriptedModel(model_reply(q3={"evidence": [invented]}))
    )

    response = recruiter_client.get(report_url(interview))

    page = response.content.decode()
    assert response.status_code == 200
    assert NAME in page and interview.position.title in page
    assert "realtime (AI)" in page
    assert "How do you test a web service?" in page
    assert "Mentions unit and integration tests and automation." in page  # rubric
    assert TECHNICAL_ANSWER in page
    assert "Score: 4 / 5" in page
    assert "integration tests against a real database" in page  # evidence
    assert "Score: insufficient evidence" in page
    assert invented in page and "not found in what the candidate said" in page
    assert "Solid testing practice" in page and "Suggested next step" in page
    assert "scripted-evaluator" in page and PROMPT_VERSION in page
    assert "Welcome! What is your email?" in page  # the full transcript
    assert "@media print" in page
    assert "Awaiting human review." in page  # no decision yet


def test_without_an_evaluation_the_report_says_so_and_shows_no_score(recruiter_client, interview):
    page = recruiter_client.get(report_url(interview)).content.decode()

    assert "No AI evaluation is configured</strong>: nothing has been scored." in page
    assert "/ 5" not in page
    assert TECHNICAL_ANSWER in page


def test_a_failed_evaluation_is_reported_honestly(recruiter_client, interview):
    model = ScriptedModel(*[ConnectionError("refused")] * 3)
    evaluation_run(interview=interview, model=model, sleep=lambda s: None)

    page = recruiter_client.get(report_url(interview)).content.decode()

    assert "AI evaluation failed.</strong> It failed after 3 attempt(s)" in page
    assert "/ 5" not in page


def test_the_report_says_when_no_ai_ran_the_interview(recruiter_client):
    from tests.review.conftest import completed_interview

    interview = completed_interview(ai_mode="structured")

    page = recruiter_client.get(report_url(interview)).content.decode()

    assert "structured (a scripted interviewer, no AI)" in page


def test_the_report_is_linked_from_the_interview_page_and_list(recruiter_client, interview):
    change = recruiter_client.get(reverse("admin:interviews_interview_change", args=[interview.pk]))
    listing = recruiter_client.get(reverse("admin:interviews_interview_changelist"))

    assert report_url(interview) in change.content.decode()
    assert report_url(interview) in listing.content.decode()


def test_the_transcript_downloads_as_timestamped_text(recruiter_client, interview):
    response = recruiter_client.get(
        reverse("admin:interviews_interview_transcript_text", args=[interview.pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    said = [line for line in lines if line.startswith("[")]
    assert len(said) == interview.transcript.count() == 8
    assert said[0].endswith("] Interviewer: Welcome! What is your email?")
    assert any(line.endswith(f"] Candidate: {TECHNICAL_ANSWER}") for line in said)


def test_the_transcript_downloads_as_json(recruiter_client, interview):
    response = recruiter_client.get(
        reverse("admin:interviews_interview_transcript_json", args=[interview.pk])
    )

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["interview"] == str(interview.public_id)
    assert [s["sequence"] for s in data["segments"]] == list(range(1, 9))
    assert data["segments"][3] == {
        "sequence": 4,
        "speaker": "candidate",
        "spoken_at": interview.transcript.get(sequence=4).spoken_at.isoformat(),
        "text": TECHNICAL_ANSWER,
    }


def test_transcript_downloads_are_for_staff_only(outsider_client, interview):
    for name in ("transcript_text", "transcript_json", "report"):
        url = reverse(f"admin:interviews_interview_{name}", args=[interview.pk])
        response = outsider_client.get(url)
        assert response.status_code == 302 and "/login/" in response.url


def test_an_unknown_interview_has_no_report(recruiter_client):
    assert (
        recruiter_client.get(
            reverse("admin:interviews_interview_report", args=[999999])
        ).status_code
        == 404
    )
