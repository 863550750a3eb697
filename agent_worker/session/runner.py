"""Runs the worker until it fails or is asked to stop, and says which with the exit code.

LiveKit's own `cli.run_app` logs a failed connection and exits 0; an operator's
supervisor (systemd, Kubernetes, `make dev`) needs a non-zero exit to notice. SIGTERM or
SIGINT drains: interviews in progress run to their end, no new ones are accepted; a
second signal stops at once.
"""

import asyncio
import logging
import os
import signal
from dataclasses import dataclass

from django.conf import settings
from livekit import api
from livekit.agents import AgentServer

logger = logging.getLogger(__name__)


class WorkerFailed(Exception):
    pass


@dataclass(frozen=True)
class RunOptions:
    devmode: bool = False
    # Set for `connect`: no registration, one job in this room.
    room: str | None = None


async def _dispatch_to_room(server: AgentServer, room: str) -> None:
    async with api.LiveKitAPI(
        settings.LIVEKIT_URL, settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET
    ) as livekit:
        found = await livekit.room.list_rooms(api.ListRoomsRequest(names=[room]))
        room_info = (
            found.rooms[0]
            if found.rooms
            else await livekit.room.create_room(api.CreateRoomRequest(name=room))
        )
    await server.simulate_job(
        room=room, fake_job=False, room_info=room_info, agent_identity=f"agent-{room}"[:120]
    )


async def _serve(server: AgentServer, options: RunOptions) -> None:
    loop = asyncio.get_running_loop()
    stop_requested = asyncio.Event()
    signals_seen = 0

    def on_signal() -> None:
        nonlocal signals_seen
        signals_seen += 1
        if signals_seen > 1:
            logger.warning("second stop signal: exiting without draining")
            os._exit(1)
        stop_requested.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, on_signal)

    tasks: list[asyncio.Task[None]] = []
    failures: list[BaseException] = []
    if options.room is not None:
        started = asyncio.Event()
        server.once("worker_started", lambda *_: started.set())

        async def connect_when_started() -> None:
            await started.wait()
            await _dispatch_to_room(server, options.room or "")

        def on_connected(task: asyncio.Task[None]) -> None:
            error = None if task.cancelled() else task.exception()
            if error is not None:
                failures.append(error)
                stop_requested.set()

        connecting = asyncio.create_task(connect_when_started(), name="connect_room")
        connecting.add_done_callback(on_connected)
        tasks.append(connecting)

    running = asyncio.create_task(
        server.run(devmode=options.devmode, unregistered=options.room is not None),
        name="agent_server",
    )
    stopping = asyncio.create_task(stop_requested.wait(), name="stop_signal")
    try:
        done, _ = await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if failures:
            raise WorkerFailed(f"could not join the room: {failures[0]}") from failures[0]
        if running in done:
            if running.exception() is not None:
                raise WorkerFailed(str(running.exception())) from running.exception()
            return
        logger.info("stopping: finishing running interviews, accepting no new ones")
        if not options.devmode:
            try:
                await server.drain()
            except TimeoutError:
                logger.warning("drain timed out; stopping the remaining interviews")
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        stopping.cancel()
        for task in tasks:
            task.cancel()
        await server.aclose()
        if not running.done():
            running.cancel()
        await asyncio.gather(running, stopping, *tasks, return_exceptions=True)


def run_worker(server: AgentServer, options: RunOptions) -> None:
    """Run until stopped (returns) or failed (raises WorkerFailed)."""
    asyncio.run(_serve(server, options))
