"""The coding panel of the join page in Chromium: the editor, Run in the browser (Pyodide)
and on the server, saving as the candidate types, and Submit.

The interview's coding question is already asked in the database, so the page opens the
panel when the call starts; the media server is a port that never answers (the panel
needs no room), and every run is the real server's sandbox."""

import asyncio
import re

import pytest
from playwright.async_api import expect

from interviews.models import CodeRun, CodingExercise, CodingWork, Interview, Stage
from interviews.services.consent import interview_record_consent
from interviews.services.invites import NewInterview, interview_create
from interviews.services.turns import interview_next_question
from tests.browser.conftest import ROOT, accessibility_violations, chromium, db
from tests.factories import CandidateFactory, PositionFactory, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITOR_BUNDLE = ROOT / "build" / "editor" / "editor.js"

STARTER = "def reverse_words(sentence):\n    pass\n"
VISIBLE_TESTS = """\
def test_reverses_two_words():
    assert reverse_words("hello world") == "world hello"


def test_keeps_one_word():
    assert reverse_words("hello") == "hello"
"""
HIDDEN_TESTS = """\
def test_reverses_three_words():
    assert reverse_words("a b c") == "c b a"


def test_an_empty_sentence_stays_empty():
    assert reverse_words("") == ""
"""
WRONG = 'def reverse_words(sentence):\n    print("reversing", sentence)\n    return sentence\n'
RIGHT = 'def reverse_words(sentence):\n    return " ".join(reversed(sentence.split()))\n'


@pytest.fixture
def coding_interview(transactional_db, settings, silent_server) -> NewInterview:
    if not EDITOR_BUNDLE.exists():
        pytest.fail(f"{EDITOR_BUNDLE.relative_to(ROOT)} is missing: run `make npm`.")
    settings.LIVEKIT_PUBLIC_URL = f"ws://127.0.0.1:{silent_server}"
    settings.LIVEKIT_API_KEY = "browser-test-key"
    settings.LIVEKIT_API_SECRET = "browser-test-secret-long-enough-for-hs256"
    position = PositionFactory(
        title="Backend engineer",
        technical_questions=0,
        coding_questions=1,
        behavioral_questions=0,
    )
    question = QuestionFactory(
        position=position,
        stage=Stage.CODING,
        text="Write reverse_words(sentence): the words of the sentence in reverse order.",
    )
    CodingExercise.objects.create(
        question=question,
        starter_code=STARTER,
        visible_tests=VISIBLE_TESTS,
        hidden_tests=HIDDEN_TESTS,
        hint_1="Split the sentence into words first.",
        hint_2="Lists can be reversed.",
    )
    candidate = CandidateFactory(name="Ada Example", position=position)
    invited = interview_create(position=position, candidate=candidate)
    interview_record_consent(interview=invited.interview)
    asked = interview_next_question(interview=invited.interview)
    assert asked is not None and asked.stage == Stage.CODING
    return invited


def work_of(interview: Interview) -> CodingWork:
    return CodingWork.objects.get(asked__interview=interview)


def server_runs(interview: Interview) -> list[tuple[str, str, int, int, int, int]]:
    return [
        (r.kind, r.outcome, r.visible_passed, r.visible_total, r.hidden_passed, r.hidden_total)
        for r in CodeRun.objects.filter(work__asked__interview=interview).order_by("id")
    ]


async def start_call(page, live_server, invited: NewInterview) -> None:
    """Open the invitation (consent is given), start the call: the panel opens."""
    await page.goto(f"{live_server.url}/interview/{invited.invite_secret}/")
    await page.wait_for_selector("body[data-ready=true]")
    await page.get_by_role("button", name="Start the interview").click()
    await page.wait_for_selector("#coding[data-editor=ready]", timeout=30_000)


async def replace_code(page, editor, code: str) -> None:
    """Select everything in the editor and paste `code` in its place (typed key by key, the
    editor's own indentation and closing brackets would add to it)."""
    await page.evaluate("code => navigator.clipboard.writeText(code)", code)
    await editor.click()
    await page.keyboard.press("Control+a")
    await page.keyboard.press("Control+v")


async def copied(page, editor) -> str:
    """The editor's whole text, copied out with the keyboard (the editor draws only the
    visible part of a long line, so its DOM does not hold it all)."""
    await editor.click()
    await page.keyboard.press("Control+a")
    await page.keyboard.press("Control+c")
    return await page.evaluate("() => navigator.clipboard.readText()")


def test_the_candidate_runs_saves_and_submits_code(live_server, coding_interview):
    interview = coding_interview.interview

    async def flow():
        async with chromium() as page:
            # Wide enough for the panel to sit beside the conversation.
            await page.set_viewport_size({"width": 1400, "height": 1000})
            await page.context.grant_permissions(
                ["clipboard-read", "clipboard-write"], origin=live_server.url
            )
            await start_call(page, live_server, coding_interview)

            panel = page.get_by_role("region", name="Coding exercise")
            await expect(panel.get_by_text("Write reverse_words(sentence)")).to_be_visible()
            tests = page.get_by_role("region", name="Visible tests (read-only)")
            await expect(tests).to_contain_text("def test_reverses_two_words():")
            await expect(page.locator("#coding-time")).to_have_text(
                re.compile(r"^(20:00|1\d:\d\d)$")
            )
            editor = page.get_by_role("textbox", name="Your code (Python)")
            await expect(editor).to_have_text("def reverse_words(sentence):    pass")
            # The conversation stays usable beside the panel.
            await expect(page.get_by_role("log", name="Live captions")).to_be_visible()
            await expect(page.get_by_label("Type a message or an answer")).to_be_editable()
            assert await accessibility_violations(page) == []

            # Tab indents inside the editor; Escape then Tab leaves it for the next control.
            await editor.click()
            await page.keyboard.press("Control+End")
            await page.keyboard.press("Tab")
            await expect(editor).to_have_text("def reverse_words(sentence):    pass    ")
            await page.keyboard.press("Escape")
            await page.keyboard.press("Tab")
            await expect(page.get_by_role("button", name="Run")).to_be_focused()

            # Wrong code: the browser says which test fails and why, then the server.
            await replace_code(page, editor, WRONG)
            await page.get_by_role("button", name="Run").click()
            browser = page.locator("#coding-browser-box")
            server = page.locator("#coding-server-box")
            await expect(browser).to_contain_text("In your browser")
            await expect(browser).to_contain_text("1 of 2 visible tests passed.", timeout=60_000)
            await expect(browser.locator("li[data-passed=false]")).to_contain_text(
                "test_reverses_two_words"
            )
            await expect(browser).to_contain_text("left: 'hello world', right: 'world hello'")
            await expect(browser).to_contain_text("reversing hello world")  # what it printed
            await expect(server).to_contain_text("Checked by the server")
            await expect(server).to_contain_text("1 of 2 visible tests passed.", timeout=30_000)
            await expect(server.locator("li[data-passed=false]")).to_contain_text(
                "test_reverses_two_words"
            )
            announcer = page.locator("#coding-announcer")
            await expect(announcer).to_contain_text("In your browser: 1 of 2 visible tests passed.")
            await expect(announcer).to_contain_text(
                "Checked by the server: 1 of 2 visible tests passed."
            )

            # Fixed: both pass.
            await replace_code(page, editor, RIGHT)
            await expect(page.get_by_role("button", name="Run")).to_have_attribute(
                "aria-disabled", "false"
            )
            await page.get_by_role("button", name="Run").click()
            await expect(browser).to_contain_text("2 of 2 visible tests passed.", timeout=30_000)
            await expect(server).to_contain_text("2 of 2 visible tests passed.", timeout=30_000)
            assert await accessibility_violations(page) == []

            # Saved as typed: a reload shows the code as it was left.
            await expect(page.locator("#coding-saved")).to_have_text("Saved", timeout=15_000)
            assert (await db(work_of, interview)).code == RIGHT
            await page.reload()
            await page.wait_for_selector("body[data-ready=true]")
            await page.get_by_role("button", name="Start the interview").click()
            await page.wait_for_selector("#coding[data-editor=ready]", timeout=30_000)
            await expect(editor).to_have_text(RIGHT.replace("\n", ""))
            # The server's last result is shown again; the browser's was never kept.
            await expect(server).to_contain_text("2 of 2 visible tests passed.")
            await expect(browser).to_be_hidden()

            # Submit asks first, then the server runs every test and the editing ends.
            await page.get_by_role("button", name="Submit").click()
            dialog = page.get_by_role("dialog", name="Submit your code?")
            await expect(dialog).to_be_visible()
            await dialog.get_by_role("button", name="Yes, submit").click()
            await expect(server).to_contain_text(
                "2 of 2 visible tests passed; 2 of 2 hidden tests passed.", timeout=30_000
            )
            await expect(server).to_contain_text("Your submission, checked by the server")
            await expect(page.locator("#coding-saved")).to_have_text("Submitted")
            await expect(editor).to_have_attribute("aria-readonly", "true")
            await expect(page.get_by_role("button", name="Run")).to_have_attribute(
                "aria-disabled", "true"
            )
            # Typing changes nothing (read back after the keys, by copying it out).
            await editor.click()
            await page.keyboard.type("# more")
            assert await copied(page, editor) == RIGHT
            assert await accessibility_violations(page) == []

            # Asking for a hint needs the interviewer: the room never connected here.
            await page.get_by_role("button", name="Repeat the task").click()
            await expect(page.locator("#coding-problem")).to_have_text(
                "You can ask the interviewer once the interview is connected."
            )

    asyncio.run(flow())

    # Only the server's executions are recorded: two runs and the submission.
    assert server_runs(interview) == [
        ("run", "failed", 1, 2, 0, 0),
        ("run", "passed", 2, 2, 0, 0),
        ("submit", "passed", 2, 2, 2, 2),
    ]
    work = work_of(interview)
    assert work.submitted_at is not None
    assert work.code == RIGHT


def test_without_python_in_the_browser_the_server_still_checks_and_refusals_are_explained(
    live_server, coding_interview
):
    interview = coding_interview.interview
    too_long = "answer = 42\n" + "#" * 50_000 + "\n"

    async def flow():
        async with chromium() as page:
            await page.context.grant_permissions(
                ["clipboard-read", "clipboard-write"], origin=live_server.url
            )
            # Pyodide cannot load (a browser that blocks WebAssembly fails the same way).
            await page.route("**/static/vendor/pyodide/**", lambda route: route.abort())
            await start_call(page, live_server, coding_interview)

            await page.get_by_role("button", name="Run").click()
            await expect(page.locator("#coding-browser-box")).to_contain_text(
                "Your browser could not run Python, so only the server checks your code.",
                timeout=30_000,
            )
            server = page.locator("#coding-server-box")
            await expect(server).to_contain_text("0 of 2 visible tests passed.", timeout=30_000)

            # Code longer than the server keeps: said in plain words, and kept in the editor.
            editor = page.get_by_role("textbox", name="Your code (Python)")
            await replace_code(page, editor, too_long)
            await expect(page.locator("#coding-saved")).to_have_text("Not saved", timeout=15_000)
            await expect(page.get_by_role("alert")).to_have_text(
                "The code can be at most 50,000 characters. "
                "Shorten it; what you typed is still in the editor."
            )
            assert await copied(page, editor) == too_long
            assert await accessibility_violations(page) == []

    asyncio.run(flow())

    assert server_runs(interview) == [("run", "failed", 0, 2, 0, 0)]
    assert work_of(interview).code == STARTER
