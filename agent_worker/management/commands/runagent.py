from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agent_worker.ai_modes import configuration_problems


class Command(BaseCommand):
    help = (
        "Run the interviewer agent worker. `start` for production, `dev` for development, "
        "`connect --room NAME` to join one room directly. Exits non-zero when settings are "
        "incomplete or LiveKit cannot be reached."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("mode", nargs="?", default="start", choices=["start", "dev", "connect"])
        parser.add_argument("--room", help="For connect: the room to join.")
        parser.add_argument(
            "--max-retry",
            type=int,
            default=16,
            help="Connection attempts to LiveKit before giving up (about 2 minutes by default).",
        )
        parser.add_argument(
            "--drain-timeout",
            type=int,
            default=None,
            help="Seconds to let running interviews finish after SIGTERM (LiveKit's default).",
        )
        parser.add_argument(
            "--health-port",
            type=int,
            default=None,
            help="Port of the health check in start mode (default 8081; 0 picks a free one).",
        )

        parser.add_argument(
            "--load-threshold",
            type=float,
            default=None,
            help="In start mode, refuse new interviews while CPU load is above this "
            "(LiveKit's default 0.7). Use inf when this is the only worker.",
        )
        parser.add_argument(
            "--executor",
            choices=["process", "thread"],
            default=None,
            help="Run each interview in a process of its own (isolated; the default) or in "
            "a thread of the worker (lighter). Default: the AGENT_JOB_EXECUTOR setting.",
        )
        parser.add_argument(
            "--idle-processes",
            type=int,
            default=None,
            help="Job processes kept warm for the next interviews (process executor); "
            "about as many as interviews that may start together. Default: the "
            "AGENT_IDLE_PROCESSES setting, else the number of CPUs.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        mode = options["mode"]
        if mode == "connect" and not options["room"]:
            raise CommandError("connect needs --room NAME.")
        if mode != "connect" and options["room"]:
            raise CommandError("--room only goes with connect.")
        if options["idle_processes"] is not None and options["idle_processes"] < 0:
            raise CommandError("--idle-processes must be 0 or more.")
        problems = configuration_problems()
        if problems:
            raise CommandError("The agent cannot start:\n- " + "\n- ".join(problems))

        # Imported here: the worker module sets Django up and loads livekit-agents.
        from agent_worker.session.runner import RunOptions, WorkerFailed, run_worker
        from agent_worker.session.worker import build_server

        server = build_server(
            max_retry=max(0, int(options["max_retry"])),
            health_port=options["health_port"],
            load_threshold=options["load_threshold"],
        )
        if options["drain_timeout"] is not None:
            server.update_options(drain_timeout=int(options["drain_timeout"]))
        if options["executor"] is not None:
            from livekit.agents import JobExecutorType

            server.update_options(job_executor_type=JobExecutorType(options["executor"]))
        if options["idle_processes"] is not None:
            server.update_options(num_idle_processes=options["idle_processes"])
        try:
            run_worker(
                server,
                RunOptions(devmode=mode != "start", room=options["room"] or None),
            )
        except WorkerFailed as error:
            raise CommandError(f"The agent worker stopped: {error}") from None
