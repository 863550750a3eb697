"""A recruiter who never used the Django admin, in Chromium at 1280x800: invites a
candidate, finds the completed interview awaiting a decision, reads the report and
decides. Every back-office page is checked with axe-core, must not scroll sideways, and
is saved as a screenshot for the README."""

import asyncio
import re

import pytest
from playwright.async_api import expect

from interviews.models import Candidate, DecisionRecord, Interview, Question
from tests.backoffice.conftest import HEIGHT, WIDTH, candidate_completes, log_in, shoot
from tests.browser.conftest import chromium, db
from tests.factories import CandidateFactory, PositionFactory, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting_up(recruiter) -> dict:
    position = PositionFactory(title="Backend engineer", slug="backend-engineer")
    for order, text in enumerate(["How do you test a web service?", "How do you design an API?"]):
        QuestionFactory(position=position, text=text, order=order)
    QuestionFactory(position=position, stage="behavioral", text="Tell me about a conflict.")
    # Someone with an interview already waiting, for the duplicate warning.
    waiting = CandidateFactory(name="Wendy Waiting", email="wendy@example.com", position=position)
    Interview.objects.create(position=position, candidate=waiting)
    return {"position": position}


def decisions_of(email: str) -> list[tuple[str, str]]:
    return list(
        DecisionRecord.objects.filter(interview__candidate__email=email).values_list(
            "decision", "decided_by_username"
        )
    )


def test_a_recruiter_invites_finds_reads_and_decides(backoffice_server, setting_up):
    base = backoffice_server

    async def walk():
        async with chromium(microphone=False) as page:
            await page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
            await page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
            await page.goto(f"{base}/admin/")
            await log_in(page)

            # The start page says what to do first.
            await expect(page.get_by_role("heading", name="Start here")).to_be_visible()
            await expect(
                page.get_by_role("heading", name="Awaiting your decision (0)")
            ).to_be_visible()
            await expect(page.get_by_text(f"{base}/apply/backend-engineer/")).to_be_visible()
            await shoot(page, "01-start")

            # Invite someone new in one form.
            await page.get_by_role("link", name="Invite a candidate").click()
            await page.get_by_label("Email:", exact=True).fill("nina.new@example.com")
            await page.get_by_label("Name:", exact=True).fill("Nina New")
            await page.get_by_label("Position").select_option(label="Backend engineer")
            await page.get_by_label("Experience (years)").fill("5")
            await shoot(page, "02-invite")
            await page.get_by_role("button", name="Create the invitation").click()
            await expect(
                page.get_by_text("the invitation was emailed to nina.new@example.com")
            ).to_be_visible()
            link = await page.locator(".link-box code").first.text_content()
            assert re.fullmatch(rf"{base}/interview/[\w-]+/", link)
            copy = page.get_by_role("button", name="Copy the invite link for Nina New")
            await copy.click()
            await expect(page.locator(".copy-button .copy-label").first).to_have_text("Copied")
            assert await page.evaluate("() => navigator.clipboard.readText()") == link
            await shoot(page, "03-invite-link")
            created = await db(Candidate.objects.get, email="nina.new@example.com")
            assert (created.name, created.experience_years) == ("Nina New", 5)

            # Typing an existing candidate's email suggests them, and warns of the
            # interview they already have waiting.
            await page.goto(f"{base}/admin/interviews/interview/invite/")
            await page.get_by_label("Email:", exact=True).press_sequentially("wendy@exa")
            await expect(page.locator("#candidate-emails option")).to_have_count(1)
            await page.get_by_label("Email:", exact=True).fill("wendy@example.com")
            await expect(page.get_by_text("Already in the system: Wendy Waiting.")).to_be_visible()
            await page.get_by_role("button", name="Create the invitation").click()
            await expect(
                page.get_by_text("already has an interview waiting or in progress")
            ).to_be_visible()
            await expect(page.get_by_label("Invite anyway")).to_be_visible()
            await shoot(page, "04-invite-warning")
            assert (
                await db(Interview.objects.filter(candidate__email="wendy@example.com").count) == 1
            )

            # The candidate completes the interview.
            await db(candidate_completes, "nina.new@example.com")

            # The start page counts it; the list finds it awaiting a decision.
            await page.goto(f"{base}/admin/")
            await expect(
                page.get_by_role("heading", name="Awaiting your decision (1)")
            ).to_be_visible()
            await page.get_by_role("link", name="All interviews awaiting a decision").click()
            await expect(page.locator("#result_list tbody tr")).to_have_count(1)
            row = page.locator("#result_list tbody tr")
            await expect(row).to_contain_text("Awaiting")
            await expect(row).to_contain_text("Completed")
            await shoot(page, "05-interviews-awaiting-decision")

            # The candidate's name opens the report.
            await row.get_by_role("link", name="Nina New").click()
            await expect(page.get_by_role("heading", name="Questions and answers")).to_be_visible()
            await expect(page.get_by_text("No AI evaluation is configured")).to_be_visible()
            answer = page.get_by_role("cell", name="My answer to: How do you test a web service?")
            await expect(answer).to_be_visible()
            await shoot(page, "06-report")

            await page.get_by_label("Advance").check()
            await page.get_by_label("Note").fill("Clear answers on testing and APIs.")
            await page.get_by_role("button", name="Record the decision").click()
            await expect(page.get_by_text("Current decision: Advance")).to_be_visible()
            await expect(page.get_by_text("Awaiting human review")).to_have_count(0)
            await shoot(page, "07-report-decided")
            assert await db(decisions_of, "nina.new@example.com") == [("advance", "rita")]

            # The full list: decision and date columns, no sideways scroll.
            await page.goto(f"{base}/admin/interviews/interview/")
            await expect(page.locator("#result_list tbody tr")).to_have_count(2)
            await expect(page.locator("#result_list thead")).to_contain_text("Decision")
            await shoot(page, "08-interviews")

            await page.goto(f"{base}/admin/interviews/interview/dashboard/")
            await page.wait_for_selector("body[data-ready=true]")
            finished = page.locator("#finished-today tbody tr").first
            await expect(finished.get_by_role("link", name="Nina New")).to_be_visible()
            await shoot(page, "09-dashboard")

            await finished.get_by_role("link", name="Nina New").click()
            await expect(page.get_by_text("Current decision: Advance")).to_be_visible()

            interview = await db(Interview.objects.get, candidate__email="nina.new@example.com")
            await page.goto(f"{base}/admin/interviews/interview/{interview.pk}/watch/")
            await page.wait_for_selector("body[data-ready=true]")
            await expect(page.locator("#interview-status")).to_have_text("Completed")
            await expect(page.get_by_role("link", name="Open the report")).to_be_visible()
            await shoot(page, "10-watch-live")

            # Positions: the open link with a copy button and an on/off switch.
            await page.goto(f"{base}/admin/interviews/position/")
            await expect(page.get_by_text(f"{base}/apply/backend-engineer/")).to_be_visible()
            await shoot(page, "11-positions")
            await page.get_by_role("button", name="Turn off the Backend engineer open link").click()
            await expect(page.get_by_text("The Backend engineer open link is off")).to_be_visible()
            await page.get_by_role("button", name="Turn on the Backend engineer open link").click()
            await expect(page.get_by_text("The Backend engineer open link is on")).to_be_visible()

            await page.goto(f"{base}/admin/interviews/question/")
            await shoot(page, "12-questions")
            await page.goto(f"{base}/admin/interviews/question/import/")
            await page.set_input_files(
                "input[type=file]",
                files=[
                    {
                        "name": "bank.csv",
                        "mimeType": "text/csv",
                        "buffer": (
                            b"position,stage,text,rubric,band,order\n"
                            b"backend-engineer,technical,How do you design an API?,"
                            b"Resources and errors.,0-60,1\n"
                            b"backend-engineer,behavioral,Tell me about a deadline you missed.,"
                            b"Owns it.,2-10,3\n"
                        ),
                    }
                ],
            )
            await page.get_by_role("button", name="Submit").click()
            await expect(page.get_by_role("button", name="Confirm import")).to_be_visible()
            await shoot(page, "13-question-import-preview")
            await page.get_by_role("button", name="Confirm import").click()
            await expect(page.locator(".messagelist")).to_contain_text("Import finished")
            added = await db(
                Question.objects.filter(text="Tell me about a deadline you missed.").count
            )
            assert added == 1

            await page.goto(f"{base}/admin/interviews/candidate/")
            await shoot(page, "14-candidates")

    asyncio.run(walk())
