"""A running worker tells the web app what it can take: its capacity and the interviews it
holds, from the moment LiveKit registers it until it stops."""

import asyncio
import contextlib
from types import SimpleNamespace

import pytest

from agent_worker.session import runner
from interviews.models import InterviewerWorker


@pytest.mark.django_db(transaction=True)
def test_a_registered_worker_reports_its_capacity_until_it_stops(settings):
    """The web app admits candidates to free slots from these reports
    (interviews.services.interview_queue); the row goes when the worker stops."""
    settings.AGENT_MAX_INTERVIEWS = 3
    settings.LIVEKIT_AGENT_NAME = "reporting-interviewer"
    server = SimpleNamespace(id=runner.UNREGISTERED, active_jobs=[object()], draining=False)

    def rows() -> list[tuple[str, str, int, int, bool]]:
        return list(
            InterviewerWorker.objects.values_list(
                "worker_id", "agent_name", "capacity", "in_use", "draining"
            )
        )

    async def scenario() -> tuple[list, list, list]:
        reporting = asyncio.create_task(runner._report_capacity(server))
        await asyncio.sleep(0.6)  # not registered yet: nothing to report
        before = await asyncio.to_thread(rows)
        server.id = "AW_registered"
        deadline = asyncio.get_running_loop().time() + 30
        while not await asyncio.to_thread(rows):
            assert asyncio.get_running_loop().time() < deadline, "no report once registered"
            await asyncio.sleep(0.05)
        during = await asyncio.to_thread(rows)
        reporting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reporting
        return before, during, await asyncio.to_thread(rows)

    before, during, after = asyncio.run(scenario())

    assert before == []
    assert during == [("AW_registered", "reporting-interviewer", 3, 1, False)]
    assert after == []
