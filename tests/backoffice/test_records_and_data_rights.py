"""The rest of the back office, in Chromium at 1280x800, after some months of hiring: the
audit records (decisions, erasures, the operation log), the notice versions, the
self-identifications and the bias audit; a candidate's data request (their export, then
their erasure); the explanation of an interview for its candidate; and the forms behind
every list. Each page is checked with axe-core, must not scroll sideways, and is saved
as a screenshot for the README."""

import asyncio
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.async_api import expect

from interviews.models import (
    Candidate,
    ErasureRecord,
    Interview,
    NoticeConsent,
    NoticeVersion,
    Question,
)
from interviews.selectors.notices import current_notice
from interviews.services.consent import interview_record_consent
from interviews.services.decisions import decision_record
from interviews.services.erasure import interview_purge_expired
from interviews.services.evaluations import (
    EvaluationResult,
    ScoredAnswer,
    evaluation_prepare,
    evaluation_record_result,
)
from interviews.services.invites import interview_create
from interviews.services.notices import notice_publish
from interviews.services.self_identification import self_identification_record
from tests.backoffice.conftest import HEIGHT, WIDTH, candidate_completes, log_in, shoot
from tests.browser.conftest import chromium, db
from tests.factories import CandidateFactory, PositionFactory, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# name, email, sex, race/ethnicity, the recruiter's decision, the AI's score for each answer
HISTORY = [
    ("Ada Lovelace", "ada@example.com", "female", "white", "advance", 5),
    ("Ben Okafor", "ben@example.com", "male", "black", "hold", 3),
    ("Chen Wei", "chen@example.com", "female", "asian", "reject", 2),
    ("Diego Ruiz", "diego@example.com", "male", "hispanic_latino", "advance", 4),
    ("Eli Moss", "eli@example.com", "prefer_not_to_say", "prefer_not_to_say", None, None),
    ("Fay Kealoha", "fay@example.com", "nonbinary", "pacific_islander", "advance", None),
    # Asks for a copy of their data, then for its erasure, during the walk-through.
    ("Erin Request", "erin@example.com", "female", "two_or_more", "reject", 3),
]
NOTES = {
    "advance": "Clear answers on testing and on API design.",
    "hold": "Good on testing; ask again about API design.",
    "reject": "The answers stayed general, with no example.",
}


def evaluate(interview: Interview, score: int) -> None:
    evaluation = evaluation_prepare(interview=interview)
    answers = [
        ScoredAnswer(
            sequence=item.sequence,
            score=score,
            evidence=[item.answer],
            unverified_quotes=[],
            rationale="Names the practice the rubric asks for.",
        )
        for item in interview.asked.order_by("sequence")
    ]
    result = EvaluationResult(
        answers=answers,
        summary="Answers every question with a concrete practice.",
        next_step="advance" if score >= 4 else "hold",
        strengths=["Concrete"],
        concerns=["Brief"],
    )
    evaluation_record_result(
        evaluation=evaluation,
        result=result,
        model_name="evaluator-test",
        prompt_version="2025-01",
        attempts=1,
    )


def interviewed(position, recruiter, name, email, sex, race, decision, score) -> Interview:
    """Invited, agreed to the notice, interviewed, self-identified, evaluated, decided."""
    candidate = CandidateFactory(name=name, email=email, position=position)
    interview = interview_create(position=position, candidate=candidate).interview
    interview_record_consent(interview=interview)
    candidate_completes(email)
    interview.refresh_from_db()
    self_identification_record(interview=interview, sex=sex, race_ethnicity=race)
    if score is not None:
        evaluate(interview, score)
    if decision is not None:
        decision_record(
            interview=interview, decision=decision, note=NOTES[decision], decided_by=recruiter
        )
    return interview


@pytest.fixture
def hiring_history(recruiter) -> dict:
    position = PositionFactory(title="Backend engineer", slug="backend-engineer")
    for order, text in enumerate(["How do you test a web service?", "How do you design an API?"]):
        QuestionFactory(position=position, text=text, order=order)
    QuestionFactory(position=position, stage="behavioral", text="Tell me about a conflict.")
    interviews = {}
    for number, person in enumerate(HISTORY):
        if number == 3:  # The notice was revised partway: later candidates agreed to it.
            first = current_notice()
            notice_publish(
                heading=f"{first.heading} (revised)",
                points=first.points,
                consent_statement=first.consent_statement,
                modes=first.modes,
                published_by=recruiter,
            )
        interviews[person[1]] = interviewed(position, recruiter, *person)
    # Someone interviewed more than the retention period ago: purged, with a record.
    old = interviewed(
        position, recruiter, "Olga Old", "olga@example.com", "female", "white", "hold", None
    )
    long_ago = timezone.now() - timedelta(days=400)
    Interview.objects.filter(pk=old.pk).update(created_at=long_ago)
    Candidate.objects.filter(pk=old.candidate_id).update(created_at=long_ago)
    assert interview_purge_expired() is not None
    # Someone on file who has not been invited yet.
    CandidateFactory(name="Gus Newcomer", email="gus@example.com", position=position)
    return {"position": position, "interviews": interviews}


async def downloaded(page, link) -> tuple[str, str]:
    """Click a download link: the file's suggested name and its text."""
    async with page.expect_download() as info:
        await link.click()
    download = await info.value
    text = await asyncio.to_thread(Path(await download.path()).read_text)
    return download.suggested_filename, text


def erasure_of(username: str) -> tuple[str, dict] | None:
    record = ErasureRecord.objects.filter(erased_by_username=username).first()
    return (record.reason, record.counts) if record else None


def test_a_recruiter_reads_the_records_and_answers_a_data_request(
    backoffice_server, hiring_history
):
    base = backoffice_server
    position = hiring_history["position"]
    ada = hiring_history["interviews"]["ada@example.com"]
    erin = hiring_history["interviews"]["erin@example.com"]
    # The migrations' versions, and the revision published partway through the history.
    versions = NoticeVersion.objects.count()
    ada_agreed = NoticeConsent.objects.get(interview=ada).notice.version
    a_question = Question.objects.filter(position=position).order_by("order").first()
    admin = f"{base}/admin/interviews"

    async def walk():
        async with chromium(microphone=False) as page:
            await page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
            await page.goto(f"{base}/admin/")
            await expect(page.get_by_label("Username")).to_be_visible()
            await shoot(page, "15-login")
            await log_in(page)
            await expect(page.get_by_role("heading", name="Start here")).to_be_visible()

            # A candidate asks for a copy of their data: the profile page offers it.
            await page.goto(f"{admin}/candidate/{erin.candidate_id}/change/")
            await expect(page.get_by_role("link", name="Export all data (JSON)")).to_be_visible()
            await expect(page.get_by_text(str(erin.public_id))).to_be_visible()
            await shoot(page, "16-candidate")
            filename, text = await downloaded(
                page, page.get_by_role("link", name="Export all data (JSON)")
            )
            export = json.loads(text)
            assert filename == f"candidate-{erin.candidate_id}.json"
            assert export["candidate"]["email"] == "erin@example.com"
            [exported] = export["interviews"]
            assert exported["id"] == str(erin.public_id)
            assert exported["decisions"][0]["note"] == NOTES["reject"]
            assert len(exported["evaluation"]["scores"]) == 3

            # Then for its erasure: a page says what goes and what stays, then it goes.
            await page.get_by_role("link", name="Erase all data").click()
            await expect(
                page.get_by_role("heading", name="Erase all data about this candidate?")
            ).to_be_visible()
            await expect(page.get_by_text("1 interview(s)")).to_be_visible()
            await shoot(page, "17-candidate-erase")
            await page.get_by_role("button", name="Yes, erase all of it").click()
            await expect(page.locator(".messagelist")).to_contain_text("Candidate data erased")
            await expect(page.locator("#result_list")).not_to_contain_text("erin@example.com")
            await shoot(page, "18-candidate-erased")
            assert not await db(Candidate.objects.filter(email="erin@example.com").exists)
            reason, counts = await db(erasure_of, "rita")
            assert reason == "request"
            assert (counts["candidates"], counts["interviews"], counts["decisions"]) == (1, 1, 1)
            assert counts["self_identifications"] == 1

            # The erasures on record: this request and the retention purge, naming no one.
            await page.goto(f"{admin}/erasurerecord/")
            rows = page.locator("#result_list tbody tr")
            await expect(rows).to_have_count(2)
            await expect(rows.filter(has_text="rita")).to_contain_text("request")
            await expect(page.locator("#result_list")).not_to_contain_text("erin@example.com")
            await shoot(page, "19-erasure-records")
            await rows.filter(has_text="rita").locator("th a").click()
            await expect(page.locator(".field-counts")).to_contain_text("transcript_segments")
            await shoot(page, "20-erasure-record")

            # The decisions: every one, the AI's suggestion beside it, read-only.
            await page.goto(f"{admin}/decisionrecord/")
            rows = page.locator("#result_list tbody tr")
            await expect(rows).to_have_count(5)
            await expect(page.locator("#result_list thead")).to_contain_text("AI suggestion")
            await shoot(page, "21-decision-records")
            await rows.filter(has_text=str(ada.public_id)).locator("th a").click()
            await expect(page.get_by_text(NOTES["advance"])).to_be_visible()
            await shoot(page, "22-decision-record")

            # The operation log: each interview evaluated or decided (all but Eli's),
            # the erased and the purged ones kept without their data.
            await page.goto(f"{admin}/operationrecord/")
            rows = page.locator("#result_list tbody tr")
            await expect(rows).to_have_count(7)
            await expect(rows.locator("img[alt=False]")).to_have_count(2)
            await expect(page.locator("#result_list")).to_contain_text("evaluator-test")
            await shoot(page, "23-operation-records")
            await rows.filter(has_text="evaluator-test").first.locator("th a").click()
            await expect(page.locator(".field-rubric_version")).to_be_visible()
            await shoot(page, "24-operation-record")

            # The notice versions: who agreed to which, and publishing the next one.
            await page.goto(f"{admin}/noticeversion/")
            rows = page.locator("#result_list tbody tr")
            await expect(rows).to_have_count(versions)
            await expect(rows.filter(has_text="(revised)")).to_contain_text("rita")
            await shoot(page, "25-notice-versions")
            await rows.filter(has_text="(revised)").locator("th a").click()
            await expect(page.locator(".field-points_shown")).to_contain_text("text")
            await shoot(page, "26-notice-version")
            await page.goto(f"{admin}/noticeversion/add/")
            await expect(page.get_by_label("Heading")).to_have_value(re.compile("revised"))
            await shoot(page, "27-notice-publish")

            # Self-identification, on its own page and nowhere else.
            await page.goto(f"{admin}/selfidentification/")
            rows = page.locator("#result_list tbody tr")
            await expect(rows).to_have_count(6)
            await shoot(page, "28-self-identifications")
            await rows.first.locator("th a").click()
            await expect(page.locator(".field-race_ethnicity")).to_be_visible()
            await shoot(page, "29-self-identification")

            await page.goto(f"{admin}/biasaudit/")
            await expect(page.get_by_text("6 candidate(s) assessed")).to_be_visible()
            await expect(page.get_by_role("heading", name="Sex and race/ethnicity")).to_be_visible()
            await shoot(page, "30-bias-audit")

            # An evaluated, decided interview: the report, and its explanation to give
            # the candidate.
            await page.goto(f"{admin}/interview/{ada.pk}/report/")
            await expect(page.get_by_text("Current decision: Advance")).to_be_visible()
            await expect(page.get_by_text(f"Version {ada_agreed}, on")).to_be_visible()
            await shoot(page, "31-report-evaluated")
            filename, explanation = await downloaded(
                page, page.get_by_role("link", name="Download the explanation (text)")
            )
            assert filename == f"explanation-{ada.public_id}.txt"
            assert explanation.startswith("Your interview for Backend engineer on ")
            assert "Score suggested by the AI: 5 out of 5." in explanation
            assert f"Their reason: {NOTES['advance']}" in explanation
            assert "Your rights:" in explanation

            await page.goto(f"{admin}/interview/{ada.pk}/change/")
            await expect(page.locator("#asked-1")).to_contain_text(
                "My answer to: How do you design an API?"
            )
            await shoot(page, "32-interview")

            # Inviting someone already on file from the candidate list.
            await page.goto(f"{admin}/candidate/")
            await page.get_by_role(
                "checkbox", name="Select this object for an action - Gus Newcomer"
            ).check()
            await page.locator("select[name=action]").select_option(
                label="Invite the selected candidates to an interview"
            )
            await page.get_by_role("button", name="Go").click()
            await expect(page.get_by_role("heading", name="Invite links")).to_be_visible()
            await expect(page.locator(".invite-links tbody tr")).to_have_count(1)
            await shoot(page, "33-invite-links")
            assert await db(Interview.objects.filter(candidate__email="gus@example.com").count) == 1

            # The forms behind the lists.
            await page.goto(f"{admin}/candidate/add/")
            await shoot(page, "34-candidate-add")
            await page.goto(f"{admin}/position/{position.pk}/change/")
            await expect(page.get_by_text(f"{base}/apply/backend-engineer/")).to_be_visible()
            await shoot(page, "35-position")
            await page.goto(f"{admin}/position/add/")
            await shoot(page, "36-position-add")
            await page.goto(f"{admin}/question/{a_question.pk}/change/")
            await expect(page.get_by_label("Rubric")).to_be_visible()
            await shoot(page, "37-question")
            await page.goto(f"{admin}/question/add/")
            await shoot(page, "38-question-add")
            await page.goto(f"{admin}/question/export/")
            await expect(page.get_by_role("button", name="Submit")).to_be_visible()
            await shoot(page, "39-question-export")

    asyncio.run(walk())
