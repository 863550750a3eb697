"""The join page in Debian's Chromium, driven by Playwright, against a live Django server.

Chromium gets fake media devices (a tone generator as the microphone). The browser tests
fail, never skip, when Chromium or the npm packages are missing.
"""

import os
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from devtools.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LIVEKIT_UMD = ROOT / "node_modules" / "livekit-client" / "dist" / "livekit-client.umd.js"
# The README's screenshots are refreshed on purpose (SCREENSHOTS_DIR=docs/screenshots); a
# plain run keeps its own beside the failures, leaving the checkout as it was.
SCREENSHOTS = ROOT / os.environ.get("SCREENSHOTS_DIR", "test-results/screenshots")
FAILURES = ROOT / "test-results"  # the last failing page, not committed

COMMON_ARGS = [
    "--no-sandbox",
    "--use-fake-device-for-media-stream",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _require_tools() -> None:
    if not CHROMIUM.exists():
        pytest.fail(
            "Chromium is missing at /usr/bin/chromium: install it with "
            "`apt-get install -y chromium` (`make system` does).",
            pytrace=False,
        )
    for path in (AXE, LIVEKIT_UMD):
        if not path.exists():
            pytest.fail(f"{path.relative_to(ROOT)} is missing: run `npm ci`.", pytrace=False)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("Playwright is missing: pip install -r requirements-dev.txt", pytrace=False)


class PageProblems:
    """JavaScript errors and Content-Security-Policy violations seen by a page."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page) -> None:
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on(
            "console",
            lambda message: (
                self.errors.append(f"console: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )


@asynccontextmanager
async def chromium(*, microphone: bool = True, extra_args: tuple[str, ...] = ()) -> AsyncIterator:
    """A fresh Chromium and page. Playwright's async API runs inside the test's own event
    loop, so Django's ORM stays usable outside it and goes through `db()` inside it."""
    _require_tools()
    from playwright.async_api import async_playwright

    # Granted: the fake device plays a tone. Denied: every permission prompt is refused,
    # as when a candidate blocks the microphone.
    permission = "--use-fake-ui-for-media-stream" if microphone else "--deny-permission-prompts"
    problems = PageProblems()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[*COMMON_ARGS, permission, *extra_args],
        )
        try:
            context = await browser.new_context(viewport={"width": 900, "height": 1000})
            # An init script runs outside the page's Content-Security-Policy (which blocks
            # injected <script> tags), so axe-core scans with the policy on.
            await context.add_init_script(path=str(AXE))
            page = await context.new_page()
            page.set_default_timeout(10_000)
            problems.watch(page)
            try:
                yield page
            except BaseException:
                FAILURES.mkdir(exist_ok=True)
                await page.screenshot(path=str(FAILURES / "browser-failure.png"), full_page=True)
                raise
        finally:
            # As a candidate closing the tab: each page hides first (the join page leaves
            # its room, so the interviewer learns at once), then the browser goes.
            for open_context in browser.contexts:
                for open_page in open_context.pages:
                    await open_page.close()
            await browser.close()
    assert problems.errors == []


async def db(function: Callable, *args, **kwargs):
    """Call the ORM from inside the browser's event loop."""

    def call():
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    return await sync_to_async(call, thread_sensitive=False)()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nobody listens on: connecting is refused at once."""
    return free_port()


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A loopback port that accepts connections and never answers, so a client stays in
    its connecting state (until its own timeout)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


async def accessibility_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    results = await page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))})))"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}"
        for v in results
        if v["impact"] in ("serious", "critical")
    ]


async def capture(page, name: str) -> None:
    """Check accessibility, then save the screenshot shown in the README."""
    assert await accessibility_violations(page) == [], name
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
