"""A dashboard listening through Redis stays connected while nothing happens."""

import asyncio

import pytest
from channels_redis.core import RedisChannelLayer
from django.conf import settings

from tests.dashboard.redis_process import RedisServer


@pytest.fixture
def redis_server(tmp_path):
    with RedisServer(tmp_path) as server:
        yield server


def test_a_listener_outlasts_a_quiet_spell_longer_than_a_blocking_pop(redis_server):
    layer = RedisChannelLayer(
        hosts=[{"address": redis_server.url, **settings.CHANNEL_LAYER_REDIS_OPTIONS}]
    )
    quiet_for = layer.brpop_timeout + 2

    async def listen() -> str:
        channel = await layer.new_channel()
        try:
            await asyncio.wait_for(layer.receive(channel), quiet_for)
        except TimeoutError:
            return "still listening"
        finally:
            await layer.flush()
        return "received"

    # redis-py's own read timeout (5 s) would end the blocking pop with an error first.
    assert asyncio.run(listen()) == "still listening"
