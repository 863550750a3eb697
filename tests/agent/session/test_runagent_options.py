"""`runagent` chooses how interviews run: the job executor and the warm process pool,
from its options or, without them, from settings."""

import pytest
from django.core.management import CommandError, call_command
from livekit.agents import JobExecutorType

from agent_worker.session import runner


@pytest.fixture
def started(monkeypatch) -> list:
    """The servers runagent would have run, instead of running them."""
    servers: list = []
    monkeypatch.setattr(runner, "run_worker", lambda server, options: servers.append(server))
    return servers


def test_the_options_choose_the_thread_executor_and_the_idle_processes(started):
    call_command("runagent", "start", "--executor", "thread", "--idle-processes", "12")

    [server] = started
    assert server._job_executor_type == JobExecutorType.THREAD
    assert server._num_idle_processes == 12


def test_without_options_the_settings_choose(settings, started):
    settings.AGENT_JOB_EXECUTOR = "thread"
    settings.AGENT_IDLE_PROCESSES = 3

    call_command("runagent", "start")

    [server] = started
    assert server._job_executor_type == JobExecutorType.THREAD
    assert server._num_idle_processes == 3


def test_by_default_each_interview_runs_in_a_process_of_its_own(settings, started):
    settings.AGENT_JOB_EXECUTOR = "process"
    settings.AGENT_IDLE_PROCESSES = None

    call_command("runagent", "start")

    [server] = started
    assert server._job_executor_type == JobExecutorType.PROCESS
    # LiveKit's own default (the number of CPUs) applies.
    assert not isinstance(server._num_idle_processes, int)


def test_a_negative_number_of_idle_processes_is_refused(started):
    with pytest.raises(CommandError, match="--idle-processes must be 0 or more"):
        call_command("runagent", "start", "--idle-processes", "-1")
    assert started == []


def test_by_default_a_worker_holds_four_interviews_per_cpu(monkeypatch):
    import importlib
    import os

    import hiring.settings

    monkeypatch.delenv("AGENT_MAX_INTERVIEWS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    try:
        assert importlib.reload(hiring.settings).AGENT_MAX_INTERVIEWS == 12
    finally:
        monkeypatch.undo()
        importlib.reload(hiring.settings)
