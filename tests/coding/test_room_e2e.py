"""After a run is recorded, the interview's room hears of it: a participant of a real
livekit-server receives {"run": <id>} on the topic "coding"."""

import asyncio
import json

import pytest
from livekit import api, rtc

from devtools.livekit_server import LiveKitServer
from interviews.models import CodeRun
from interviews.services import coding as services
from tests.coding.conftest import SOLUTION, open_coding
from tests.factories import InterviewFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def livekit(settings, tmp_path):
    server = LiveKitServer(port=0, log_path=tmp_path / "livekit.log")
    with server:
        settings.LIVEKIT_URL = server.url
        settings.LIVEKIT_API_KEY = server.api_key
        settings.LIVEKIT_API_SECRET = server.api_secret
        yield server


def listener_token(server: LiveKitServer, room: str) -> str:
    grants = api.VideoGrants(room_join=True, room=room, can_subscribe=True, can_publish=False)
    return (
        api.AccessToken(server.api_key, server.api_secret)
        .with_identity("listener")
        .with_grants(grants)
        .to_jwt()
    )


def test_the_room_is_told_of_each_recorded_run(livekit, coding_position, monkeypatch):
    work = open_coding(InterviewFactory(position=coding_position))
    interview = work.asked.interview
    monkeypatch.setattr(
        services,
        "sandbox_run",
        lambda **_: services.SandboxResult(outcome=CodeRun.Outcome.PASSED),
    )

    async def scenario() -> tuple[int, list[tuple[str, dict]]]:
        heard: list[tuple[str, dict]] = []
        arrived = asyncio.Event()
        room = rtc.Room()

        @room.on("data_received")
        def on_data(packet: rtc.DataPacket) -> None:
            heard.append((packet.topic, json.loads(packet.data)))
            arrived.set()

        await room.connect(livekit.url, listener_token(livekit, interview.room_name))
        try:
            run = await asyncio.to_thread(
                services.coding_run,
                interview=interview,
                work_id=work.pk,
                code=SOLUTION,
                kind="run",
            )
            await asyncio.wait_for(arrived.wait(), timeout=60)
        finally:
            await room.disconnect()
        return run.pk, heard

    run_id, heard = asyncio.run(scenario())
    assert heard == [("coding", {"run": run_id})]
