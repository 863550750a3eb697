"""The back office in Chromium against a Django server thread of the test's own, and what
every back-office walk-through shares: the recruiter, logging in, and the checks each page
passes before its screenshot is saved."""

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test.testcases import LiveServerThread

from interviews.models import Interview
from interviews.services.lifecycle import interview_finish, interview_start
from interviews.services.questions import interview_next_question, interview_record_answer
from interviews.services.transcript import transcript_append
from tests.browser.conftest import capture

WIDTH, HEIGHT = 1280, 800
PASSWORD = "a-recruiter-password-0"


@pytest.fixture
def backoffice_server(transactional_db) -> Iterator[str]:
    """A server thread on a free loopback port. It depends on the test database, so it is
    stopped, with its connections closed, before the database is flushed: a request
    thread still holding a connection would make PostgreSQL's flush wait forever."""
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.terminate()
        connections.close_all()


@pytest.fixture
def recruiter(transactional_db) -> User:
    """Staff with every permission of the interviews app (the bias audit's and the
    self-identifications' own included), and no superuser shortcut."""
    user = User.objects.create_user("rita", password=PASSWORD, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="interviews"))
    return user


async def log_in(page) -> None:
    await page.get_by_label("Username").fill("rita")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()


def candidate_completes(email: str) -> None:
    """The candidate's side, through the services the interviewer agent calls."""
    interview = Interview.objects.get(candidate__email=email)
    interview_start(interview=interview, ai_mode="structured")
    transcript_append(interview=interview, speaker="agent", text="Welcome! Let us begin.")
    while (question := interview_next_question(interview=interview)) is not None:
        transcript_append(interview=interview, speaker="agent", text=question.text)
        answer = f"My answer to: {question.text}"
        transcript_append(interview=interview, speaker="candidate", text=answer)
        interview_record_answer(interview=interview, answer=answer)
    interview_finish(interview=interview)


async def no_sideways_scroll(page) -> None:
    """Neither the page nor a list's table (the admin lets `.results` scroll on its own)
    is wider than the window."""
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} scrolls sideways: {width}px"
    tables = await page.evaluate(
        "() => [...document.querySelectorAll('#changelist .results')]"
        ".filter(e => e.scrollWidth > e.clientWidth).map(e => e.scrollWidth)"
    )
    assert tables == [], f"{page.url}: the list scrolls sideways inside the page: {tables}px"


async def shoot(page, name: str) -> None:
    """No sideways scroll, no serious or critical axe-core finding, then the screenshot
    docs/screenshots/backoffice-<name>.png."""
    await no_sideways_scroll(page)
    await capture(page, f"backoffice-{name}")
