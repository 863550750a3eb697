"""A real LiveKit job process: Django is set up there and the ORM is used safely."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from agent_worker.prompts import WELCOME_MESSAGE


def test_an_interview_job_runs_in_its_own_process_with_django_and_async_safe_orm(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'job.sqlite3'}",
        "INTERVIEW_AI": "structured",
    }
    probe = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "tests.agent.job_process_probe"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert probe.returncode == 0, probe.stderr[-3000:]
    result = json.loads(probe.stdout.strip().splitlines()[-1])
    assert result["problems"] == []
    assert result["errors"] == []
    # The interview ran in a job process, not in the worker.
    assert result["interview_pids"] and result["pid"] not in result["interview_pids"]
    assert result["ai_mode"] == "structured"
    [greeting] = result["agent_said"]
    assert greeting.startswith(WELCOME_MESSAGE)
    assert "Question 1." in greeting
    # The worker stopped before the interview's end: interrupted, resumable.
    assert result["status"] == "interrupted"
