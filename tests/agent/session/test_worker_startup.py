"""Job processes get time to warm up: LiveKit kills a job process that has not finished
importing the agent and running prewarm within its initialize timeout (SIGUSR1, exit
code -10), 10 s by default, which loading the speech models can outlast on a busy
machine."""

from django.core.management import call_command

from agent_worker.session import runner
from agent_worker.session.worker import build_server

LIVEKIT_DEFAULT_INITIALIZE_TIMEOUT = 10.0


def test_job_processes_get_the_configured_time_to_warm_up(settings):
    settings.AGENT_PREWARM_TIMEOUT_SECONDS = 90.0

    assert build_server()._initialize_process_timeout == 90.0


def test_by_default_job_processes_get_far_longer_than_livekits_ten_seconds():
    timeout = build_server()._initialize_process_timeout
    assert timeout >= 6 * LIVEKIT_DEFAULT_INITIALIZE_TIMEOUT


def test_runagent_passes_the_warm_up_time_to_its_server(settings, monkeypatch):
    settings.AGENT_PREWARM_TIMEOUT_SECONDS = 45.0
    servers: list = []
    monkeypatch.setattr(runner, "run_worker", lambda server, options: servers.append(server))

    call_command("runagent", "start")

    [server] = servers
    assert server._initialize_process_timeout == 45.0
