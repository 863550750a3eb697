"""The coding round in the back office, in Chromium at 1280x800: a recruiter opens a
position's bank, adds a coding question with its exercise from the stage's link, turns the
plan's coding on, and reads a candidate's coding work in the report. Each page passes
axe-core, does not scroll sideways, and is saved as a screenshot."""

import asyncio

import pytest
from playwright.async_api import expect

from interviews.models import CodingExercise, Interview, Position, Question, Stage
from tests.backoffice.conftest import HEIGHT, WIDTH, log_in, shoot
from tests.browser.conftest import chromium, db
from tests.review.coding_work import EXPLANATION, HINTS, coding_interview

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISIBLE = "def test_two_meetings():\n    assert merge_intervals([(1, 3), (2, 4)]) == [(1, 4)]\n"


@pytest.fixture
def bank(recruiter) -> dict:
    interview = coding_interview(name="Cora Coder", email="cora@example.com")
    return {"position": interview.position, "interview": interview}


def test_a_recruiter_writes_a_coding_question_and_reads_the_coding_work(backoffice_server, bank):
    base = backoffice_server
    position: Position = bank["position"]
    interview: Interview = bank["interview"]
    admin = f"{base}/admin/interviews"

    async def walk():
        async with chromium(microphone=False) as page:
            await page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
            await page.goto(f"{base}/admin/")
            await log_in(page)

            # The position's page: its plan beside every question of its bank.
            await page.goto(f"{admin}/position/{position.pk}/change/")
            bank_section = page.locator(".position-bank")
            await expect(bank_section.get_by_role("heading", name="Coding (1)")).to_be_visible()
            await expect(page.get_by_text("This position has no questions yet")).to_have_count(0)
            await shoot(page, "40-position-bank")

            # A coding question, from the stage's own link: the exercise opens beside it.
            # (The page also holds the admin's hidden template of the exercise's form.)
            def exercise(label: str):
                return page.get_by_label(label).first

            await page.get_by_role("link", name="Add a coding question").click()
            await expect(page.get_by_label("Stage:")).to_have_value("coding")
            await page.get_by_label("Text:").fill(
                "Write merge_intervals(intervals): merge overlapping meetings."
            )
            await page.get_by_label("Rubric:").fill("Sorts first, one pass, explains the cost.")
            await exercise("Starter code:").fill("def merge_intervals(intervals):\n")
            await exercise("Visible tests:").fill("assert True\n")
            await exercise("First hint:").fill("Sort them first.")
            await exercise("Second hint:").fill("Compare with the last merged one.")
            await page.get_by_role("button", name="Save", exact=True).click()
            # Refused, naming what is wrong, and nothing saved.
            await expect(page.get_by_text("Line 1: expected an indented block")).to_be_visible()
            await expect(page.get_by_text("define no test function")).to_be_visible()
            await shoot(page, "41-coding-question-errors")
            await exercise("Starter code:").fill("def merge_intervals(intervals):\n    pass\n")
            await exercise("Visible tests:").fill(VISIBLE)
            await page.get_by_role("button", name="Save", exact=True).click()
            await expect(page.locator(".messagelist .success")).to_be_visible()
            written = await db(
                CodingExercise.objects.get,
                question__position=position,
                question__text__startswith="Write merge_intervals",
            )
            assert written.visible_tests == VISIBLE
            assert written.starter_code == "def merge_intervals(intervals):\n    pass\n"

            # The report: the code, the runs and hints on a timeline, the explanation.
            await page.goto(f"{admin}/interview/{interview.pk}/report/")
            await expect(
                page.get_by_role("heading", name="Submitted code (Python)")
            ).to_be_visible()
            timeline = page.locator(".coding-timeline tbody tr")
            await expect(timeline).to_have_count(4)
            await expect(timeline.nth(1)).to_contain_text(HINTS[0])
            await expect(timeline.nth(3)).to_contain_text("All tests passed")
            explained = page.locator("#coding-1 + p")
            await expect(explained).to_contain_text("explanation of their approach")
            await expect(explained).to_contain_text(EXPLANATION)
            await page.locator("#coding-1").scroll_into_view_if_needed()
            await shoot(page, "42-report-coding")

    asyncio.run(walk())
    assert Question.objects.filter(position=position, stage=Stage.CODING).count() == 2
