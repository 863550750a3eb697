"""The interviewer worker as `runagent start` builds it, with the job executor and the
idle-process pool chosen by the benchmark (runagent has no option for them yet):

    BENCH_JOB_EXECUTOR=process|thread BENCH_IDLE_PROCESSES=4 python -m bench.agent_server
"""

import math
import os

from bench.common import setup_django

setup_django()

from livekit.agents import JobExecutorType  # noqa: E402

# Plugins register on the main thread only; prewarm imports silero in the job's thread
# under the thread executor, and every job dies. (agent_worker.session.worker should import it at
# module level.)
from livekit.plugins import silero  # noqa: E402, F401

from agent_worker.session.runner import RunOptions, run_worker  # noqa: E402
from agent_worker.session.worker import build_server  # noqa: E402


def main() -> None:
    if os.environ.get("BENCH_NO_VAD"):
        # A tuning experiment: the structured interviewer without voice detection, so the
        # candidate's microphone is neither decoded nor analysed (it only drives the
        # typing reminder).
        import dataclasses

        from agent_worker import ai_modes

        modes = ai_modes.INTERVIEWER_MODES
        modes["structured"] = dataclasses.replace(modes["structured"], uses_vad=False)
    # One worker on a shared machine: take every job (AGENT_MAX_INTERVIEWS still reports
    # the load), and serve the health check on a free port.
    server = build_server(max_retry=3, health_port=0, load_threshold=math.inf)
    options: dict = {
        "job_executor_type": JobExecutorType(os.environ.get("BENCH_JOB_EXECUTOR", "process"))
    }
    if os.environ.get("BENCH_IDLE_PROCESSES"):
        options["num_idle_processes"] = int(os.environ["BENCH_IDLE_PROCESSES"])
    server.update_options(**options)
    run_worker(server, RunOptions())


if __name__ == "__main__":
    main()
