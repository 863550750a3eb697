"""The report's player in Chromium: a click on a transcript line plays the recording from
where the line was said (the browser asks for byte ranges to seek), and the line playing
is highlighted."""

import asyncio
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from interviews.models import TranscriptSegment
from tests.browser.conftest import chromium
from tests.review.conftest import completed_interview
from tests.review.recording_files import record_part

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINE_SECONDS = 1.5


@pytest.fixture
def recordings_in_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "recordings": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "recordings")},
        },
    }


def test_a_click_on_a_transcript_line_plays_the_recording_from_there(
    live_server, django_user_model, tmp_path, recordings_in_files
):
    interview = completed_interview()
    lines = list(interview.transcript.order_by("sequence"))
    first = lines[0].spoken_at
    for number, line in enumerate(lines):
        line.spoken_at = first + timedelta(seconds=number * LINE_SECONDS)
    TranscriptSegment.objects.bulk_update(lines, ["spoken_at"])
    record_part(interview, tmp_path, started_at=first, seconds=len(lines) * LINE_SECONDS + 2)
    reviewer = django_user_model.objects.create_superuser("reviewer", "rv@example.com", "pw")
    client = Client()
    client.force_login(reviewer)
    cookie = client.cookies["sessionid"].value
    report = f"{live_server.url}{reverse('admin:interviews_interview_report', args=[interview.pk])}"
    clicked = 3  # the fourth line, said 4.5 s in

    async def flow() -> list[int]:
        statuses: list[int] = []
        async with chromium(extra_args=("--autoplay-policy=no-user-gesture-required",)) as page:
            page.on(
                "response",
                lambda r: statuses.append(r.status) if r.url.endswith("recording.ogg") else None,
            )
            await page.context.add_cookies(
                [{"name": "sessionid", "value": cookie, "url": live_server.url}]
            )
            assert (await page.goto(report)).status == 200
            rows = page.locator("tr[data-at]")
            assert await rows.count() == len(lines)
            await rows.nth(clicked).locator("td").last.click()
            await page.wait_for_function(
                """([at, index]) => {
                  const audio = document.getElementById('recording');
                  const row = document.querySelectorAll('tr[data-at]')[index];
                  return audio.currentTime >= at && !audio.paused
                    && row.classList.contains('playing')
                    && row.getAttribute('aria-current') === 'true';
                }""",
                arg=[clicked * LINE_SECONDS, clicked],
                timeout=15_000,
            )
            # The line before is no longer highlighted.
            assert await rows.nth(clicked - 1).get_attribute("aria-current") is None
        return statuses

    statuses = asyncio.run(flow())

    assert 206 in statuses
