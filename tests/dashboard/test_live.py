"""Broadcasting never breaks nor slows the services, and with Redis a change crosses
processes' channel layers."""

import asyncio
import logging
import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from channels_redis.core import RedisChannelLayer

from interviews import live
from interviews.models import Interview
from interviews.services.lifecycle import interview_start
from tests.dashboard.conftest import ALLOWED_ORIGIN, session_cookie
from tests.dashboard.redis_process import RedisServer, free_port


def redis_layer(url: str) -> dict:
    return {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [url]}}
    }


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    with RedisServer(tmp_path_factory.mktemp("redis")) as server:
        yield server


def wait_for_background_sends() -> None:
    live._sender.submit(lambda: None).result(timeout=30)


@pytest.mark.django_db
def test_a_service_is_neither_broken_nor_slowed_when_the_channel_layer_is_down(
    settings, invited, caplog, django_capture_on_commit_callbacks
):
    settings.CHANNEL_LAYERS = redis_layer(f"redis://127.0.0.1:{free_port()}/0")
    caplog.set_level(logging.WARNING, logger="interviews.live")

    began = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        started = interview_start(interview=invited, ai_mode="structured")
    elapsed = time.monotonic() - began
    wait_for_background_sends()

    assert len(callbacks) == 1
    assert elapsed < 0.5
    assert started.status == Interview.Status.IN_PROGRESS
    assert Interview.objects.get(pk=invited.pk).status == Interview.Status.IN_PROGRESS
    failures = [
        r for r in caplog.records if r.getMessage().startswith("Dashboard broadcast failed")
    ]
    assert len(failures) == 1
    assert failures[0].interview == str(invited.public_id)
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "ada@example.com" not in logged and "Ada" not in logged


@pytest.mark.django_db
def test_a_broadcast_that_cannot_be_built_is_logged_not_raised(invited, caplog, monkeypatch):
    def broken(interview):
        raise RuntimeError("no")

    monkeypatch.setattr(live, "interview_payload", broken)
    caplog.set_level(logging.WARNING, logger="interviews.live")
    started = interview_start(interview=invited, ai_mode="structured")
    assert started.status == Interview.Status.IN_PROGRESS
    assert any("Dashboard broadcast failed" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db(transaction=True)
def test_with_redis_a_change_reaches_another_channel_layer_instance(
    settings, redis_server, invited
):
    """The web process and the agent process each build their own layer; Redis joins them."""
    settings.CHANNEL_LAYERS = redis_layer(redis_server.url)

    async def flow():
        elsewhere = RedisChannelLayer(hosts=[redis_server.url])
        channel = await elsewhere.new_channel()
        await elsewhere.group_add(live.DASHBOARD_GROUP, channel)
        await sync_to_async(interview_start)(interview=invited, ai_mode="structured")
        message = await asyncio.wait_for(elsewhere.receive(channel), 5)
        await elsewhere.group_discard(live.DASHBOARD_GROUP, channel)
        await elsewhere.flush()
        return message

    message = asyncio.run(flow())
    assert message["type"] == live.MESSAGE_TYPE
    assert message["interview"]["id"] == str(invited.public_id)
    assert message["interview"]["status"] == "in_progress"


@pytest.mark.django_db(transaction=True)
def test_with_redis_a_recruiters_dashboard_hears_a_change_sent_from_another_layer(
    settings, redis_server, recruiter, invited
):
    settings.CHANNEL_LAYERS = redis_layer(redis_server.url)
    cookie = session_cookie(recruiter)

    async def flow():
        from hiring.asgi import application

        socket = WebsocketCommunicator(
            application,
            "/ws/dashboard/",
            headers=[(b"origin", ALLOWED_ORIGIN.encode()), (b"cookie", cookie.encode())],
        )
        assert (await socket.connect(timeout=3))[0]
        # As the agent process would: its own layer, the same Redis.
        agent_side = RedisChannelLayer(hosts=[redis_server.url])
        interview = await sync_to_async(
            lambda: Interview.objects.select_related("position").get(pk=invited.pk)
        )()
        await agent_side.group_send(
            live.DASHBOARD_GROUP,
            {"type": live.MESSAGE_TYPE, "interview": live.interview_payload(interview)},
        )
        message = await socket.receive_json_from(timeout=2)
        await socket.disconnect()
        return message

    message = asyncio.run(flow())
    assert message["interview"]["id"] == str(invited.public_id)
    assert message["interview"]["status"] == "invited"
