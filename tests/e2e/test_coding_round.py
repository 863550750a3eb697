"""The coding round end to end: a candidate in Chromium works through a coding exercise
with the real `runagent` interviewer over a real livekit-server, every run checked by the
server's sandbox."""

import pytest
from playwright.async_api import expect

from agent_worker import prompts
from interviews.models import (
    CodingExercise,
    CodingHint,
    CodingWork,
    Interview,
    Stage,
    TranscriptSegment,
)
from interviews.services.invites import NewInterview, interview_create
from tests.browser.conftest import chromium
from tests.browser.test_coding_editor import EDITOR_BUNDLE, replace_code, server_runs
from tests.e2e.test_interview import answer, join
from tests.factories import CandidateFactory, CodingExerciseFactory, PositionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Passes one visible test of two: a one-word sentence comes back as it was.
WRONG = "def reverse_words(sentence):\n    return sentence\n"
RIGHT = 'def reverse_words(sentence):\n    return " ".join(reversed(sentence.split()))\n'
EXPLANATION = (
    "I split the sentence into its words, reverse that list and join it with single "
    "spaces. It is linear in the length of the sentence, in time and in space."
)
# On a busy machine the sandbox's Pyodide, and the browser's, may take a minute to start
# (the browser gives up on its own after 90 s and leaves the server's result).
SLOW = 120_000


async def interviewer_says(page, text: str) -> None:
    await page.locator("#captions").get_by_text(text, exact=False).first.wait_for(timeout=60_000)


def coding_interview() -> tuple[NewInterview, CodingExercise]:
    """A personal invite to a plan of one coding exercise and nothing else."""
    if not EDITOR_BUNDLE.exists():
        pytest.fail("build/editor/editor.js is missing: run `make npm`.", pytrace=False)
    position = PositionFactory(
        title="Backend engineer",
        technical_questions=0,
        coding_questions=1,
        behavioral_questions=0,
    )
    exercise = CodingExerciseFactory(question__position=position)
    candidate = CandidateFactory(name="Ada Example", position=position)
    return interview_create(position=position, candidate=candidate), exercise


def test_a_candidate_runs_asks_for_a_hint_submits_and_explains_a_coding_exercise(
    live_server, agent
):
    new, exercise = coding_interview()
    statement = exercise.question.text
    hint = prompts.STRUCTURED_CODING_HINT.format(hint=exercise.hint_1)
    # The exercise's two visible tests and three hidden ones.
    result = prompts.STRUCTURED_CODING_RESULT["passed"].format(passed=5, total=5)

    async def scenario() -> None:
        async with chromium() as page:
            # Wide enough for the panel to sit beside the conversation.
            await page.set_viewport_size({"width": 1400, "height": 1000})
            await page.context.grant_permissions(
                ["clipboard-read", "clipboard-write"], origin=live_server.url
            )
            await join(page, live_server.url, path=f"/interview/{new.invite_secret}/")
            await interviewer_says(page, prompts.STRUCTURED_CODING_INTRO)
            await interviewer_says(page, statement)

            # The exercise asked, the panel opens with its task and the starter code.
            await page.wait_for_selector("#coding[data-editor=ready]", timeout=30_000)
            panel = page.get_by_role("region", name="Coding exercise")
            await expect(panel.get_by_text(statement)).to_be_visible()
            editor = page.get_by_role("textbox", name="Your code (Python)")
            await expect(editor).to_have_text("def reverse_words(sentence):    pass")

            # A first try fails a visible test, and the server says which.
            await replace_code(page, editor, WRONG)
            run = page.get_by_role("button", name="Run")
            await expect(run).to_have_attribute("aria-disabled", "false")
            await run.click()
            server = page.locator("#coding-server-box")
            await expect(server).to_contain_text("1 of 2 visible tests passed.", timeout=SLOW)
            await expect(server.locator("li[data-passed=false]")).to_contain_text("test_two_words")

            # The Hint button asks the interviewer, who gives the ladder's first hint.
            await page.get_by_role("button", name="Hint").click()
            await interviewer_says(page, hint)
            await expect(page.locator("#coding-hints")).to_contain_text(exercise.hint_1)

            # Fixed and submitted: the server runs the hidden tests too.
            await replace_code(page, editor, RIGHT)
            submit = page.get_by_role("button", name="Submit")
            # The browser's own run of the first try holds the buttons until it ends.
            await expect(submit).to_have_attribute("aria-disabled", "false", timeout=SLOW)
            await submit.click()
            dialog = page.get_by_role("dialog", name="Submit your code?")
            await dialog.get_by_role("button", name="Yes, submit").click()
            await expect(server).to_contain_text(
                "2 of 2 visible tests passed; 3 of 3 hidden tests passed.", timeout=SLOW
            )
            await expect(page.locator("#coding-saved")).to_have_text("Submitted")

            # The interviewer hears of the submission, says the server's result and asks
            # for the walk-through, which is the answer.
            await interviewer_says(page, result)
            await interviewer_says(page, prompts.STRUCTURED_CODING_WALK_THROUGH)
            await answer(page, EXPLANATION)
            await interviewer_says(page, prompts.STRUCTURED_ANYTHING_ELSE)
            await answer(page, "No, that's all, thank you.")
            await page.wait_for_selector("#step-done:not([hidden])", timeout=60_000)

    agent.run(scenario())

    interview = Interview.objects.get(pk=new.interview.pk)
    assert interview.status == Interview.Status.COMPLETED, agent.log()[-3000:]
    # Only the server's executions are recorded: the failing run, then the submission
    # with every hidden test passed.
    assert server_runs(interview) == [
        ("run", "failed", 1, 2, 0, 0),
        ("submit", "passed", 2, 2, 3, 3),
    ]
    (asked,) = interview.asked.all()
    assert (asked.stage, asked.text, asked.answer) == (Stage.CODING, statement, EXPLANATION)
    work = CodingWork.objects.get(asked=asked)
    assert work.submitted_at is not None
    assert work.code == RIGHT
    assert list(CodingHint.objects.filter(work=work).values_list("level", "text")) == [
        (1, exercise.hint_1)
    ]
    transcript = interview.transcript.order_by("sequence")
    agent_lines = " ".join(
        transcript.filter(speaker=TranscriptSegment.Speaker.AGENT).values_list("text", flat=True)
    )
    for line in (
        prompts.STRUCTURED_CODING_INTRO,
        statement,
        hint,
        result,
        prompts.STRUCTURED_CODING_WALK_THROUGH,
    ):
        assert line in agent_lines
    candidate_lines = transcript.filter(speaker=TranscriptSegment.Speaker.CANDIDATE)
    assert EXPLANATION in candidate_lines.values_list("text", flat=True)
