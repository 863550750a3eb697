"""Runs one interview job in a real LiveKit job process, without a LiveKit server, and
prints what the database says afterwards as JSON. Used by test_job_process.py in a
subprocess whose DATABASE_URL points at a fresh SQLite file, so that the job process (a
separate process) sees the same data.

    DATABASE_URL=sqlite:////tmp/x.sqlite3 python -m tests.agent.job_process_probe
"""

import asyncio
import json
import logging
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiring.settings")

import django  # noqa: E402

django.setup()

from asgiref.sync import sync_to_async  # noqa: E402
from django.core.management import call_command  # noqa: E402
from livekit.agents.job import JobAcceptArguments, RunningJobInfo  # noqa: E402
from livekit.protocol import agent as agent_proto  # noqa: E402
from livekit.protocol import models  # noqa: E402

from interviews.dispatch import DispatchMetadata  # noqa: E402
from interviews.models import Candidate, Interview, Position  # noqa: E402
from interviews.services.invites import interview_create  # noqa: E402

PROBLEMS = ("SynchronousOnlyOperation", "AppRegistryNotReady", "ImproperlyConfigured")


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.lines: list[str] = []
        # Job processes send their log records to the worker: where each interview ran.
        self.interview_pids: set[int] = set()

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if text == "interview starting":
            self.interview_pids.add(record.process)
        if record.exc_info:
            text += " " + logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            text += " " + record.exc_text
        self.lines.append(f"{record.levelname} {record.name}: {text}")


def create_interview() -> Interview:
    position = Position.objects.get(slug="software-engineer")
    candidate = Candidate.objects.create(
        email="probe@example.com", name="Pro Be", position=position, experience_years=2
    )
    return interview_create(position=position, candidate=candidate).interview


def agent_said(interview: Interview) -> list[str]:
    return list(interview.transcript.filter(speaker="agent").values_list("text", flat=True))


async def run_one_job(interview: Interview) -> None:
    from agent_worker.session.worker import build_server

    server = build_server(max_retry=0)
    started = asyncio.Event()
    server.once("worker_started", lambda *_: started.set())
    running = asyncio.create_task(server.run(devmode=True, unregistered=True))
    await asyncio.wait_for(started.wait(), 30)
    # What server.simulate_job(fake_job=True) does, plus the dispatch metadata it lacks.
    job = agent_proto.Job(
        id="probe-job",
        room=models.Room(sid="RM_probe", name=interview.room_name),
        type=agent_proto.JobType.JT_ROOM,
        metadata=DispatchMetadata(interview_id=interview.public_id).to_json(),
    )
    await server._proc_pool.launch_job(
        RunningJobInfo(
            accept_arguments=JobAcceptArguments(identity="probe-agent", name="", metadata=""),
            job=job,
            url="",
            token="",
            worker_id="probe",
            fake_job=True,
        )
    )
    try:
        for _ in range(600):
            if await sync_to_async(agent_said)(interview):
                break
            await asyncio.sleep(0.1)
    finally:
        # Stopping the worker stops the job: the interview must end up interrupted.
        await server.aclose()
        await asyncio.gather(running, return_exceptions=True)


def main() -> int:
    collect = Collect()
    logging.getLogger().addHandler(collect)
    call_command("migrate", verbosity=0)
    interview = create_interview()
    asyncio.run(run_one_job(interview))
    interview.refresh_from_db()
    print(
        json.dumps(
            {
                "pid": os.getpid(),
                "interview_pids": sorted(collect.interview_pids),
                "status": interview.status,
                "ai_mode": interview.ai_mode,
                "agent_said": agent_said(interview),
                "problems": [line for line in collect.lines if any(p in line for p in PROBLEMS)],
                "errors": [line for line in collect.lines if line.startswith("ERROR")],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
