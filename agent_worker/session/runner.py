"""Runs the worker until it fails or is asked to stop, and says which with the exit code.

LiveKit's own `cli.run_app` logs a failed connection and exits 0; an operator's
supervisor (systemd, Kubernetes, `make dev`) needs a non-zero exit to notice. SIGTERM or
SIGINT drains: interviews in progress run to their end, no new ones are accepted; a
second signal stops at once.
"""

import asyncio
import contextlib
import logging
import os
import signal
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError, close_old_connections
from livekit import api
from livekit.agents import AgentServer

from interviews.services import interview_queue

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


UNREGISTERED = "unregistered"  # livekit-agents' id of a worker not (yet) registered


def _report(worker_id: str, server: AgentServer) -> None:
    close_old_connections()
    interview_queue.worker_report(
        worker_id=worker_id,
        capacity=settings.AGENT_MAX_INTERVIEWS,
        in_use=len(server.active_jobs),
        draining=server.draining,
        agent_name=settings.LIVEKIT_AGENT_NAME,
    )


def _gone(worker_id: str) -> None:
    close_old_connections()
    interview_queue.worker_gone(worker_id=worker_id)


async def _report_capacity(server: AgentServer) -> None:
    """Tell the web app, every few seconds once LiveKit has registered this worker, what
    it can take and holds: the web app admits candidates to free slots and keeps the
    others in line. The row goes when the worker stops; a worker that died stops
    reporting and is soon not counted."""
    reported: str | None = None
    try:
        while True:
            worker_id = server.id
            if worker_id != UNREGISTERED:
                try:
                    if reported not in (None, worker_id):  # registered again, a new id
                        await sync_to_async(_gone, thread_sensitive=False)(reported)
                    await sync_to_async(_report, thread_sensitive=False)(worker_id, server)
                    reported = worker_id
                except DatabaseError:
                    logger.warning("could not report this worker's capacity", exc_info=True)
            await asyncio.sleep(interview_queue.HEARTBEAT_SECONDS if reported == worker_id else 0.5)
    finally:
        if reported is not None:
            with contextlib.suppress(DatabaseError):
                await asyncio.shield(sync_to_async(_gone, thread_sensitive=False)(reported))


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
    if options.room is None:
        tasks.append(asyncio.create_task(_report_capacity(server), name="report_capacity"))
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
