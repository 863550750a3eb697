"""A livekit-server asked to choose its ports starts even when another process took one
of them first (the tests start many servers side by side on one machine)."""

import socket

import pytest

from devtools import livekit_server
from devtools.livekit_server import LiveKitServer
from devtools.processes import LOOPBACK, is_listening

pytestmark = pytest.mark.e2e


def test_a_port_taken_after_it_was_chosen_means_other_ports_not_a_failure(monkeypatch, tmp_path):
    chosen = [livekit_server._free_port_pair(), livekit_server._free_port_pair()]
    picks = iter(chosen)
    monkeypatch.setattr(livekit_server, "_free_port_pair", lambda: next(picks))
    with socket.socket() as squatter:
        # Another process takes the first choice's RTC port between the choice and the start.
        squatter.bind((LOOPBACK, chosen[0] + 1))
        squatter.listen()
        server = LiveKitServer(port=0, log_path=tmp_path / "livekit.log")
        with server:
            assert server.port == chosen[1]
            assert server.url == f"ws://127.0.0.1:{chosen[1]}"
            assert is_listening(server.port)


def test_a_fixed_port_that_is_taken_is_a_clear_error(tmp_path):
    with socket.socket() as squatter:
        squatter.bind((LOOPBACK, 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        server = LiveKitServer(port=taken - 1, log_path=tmp_path / "livekit.log")
        with pytest.raises(livekit_server.LiveKitServerUnavailable) as refused:
            server.start(timeout=10)
        assert refused.value.port_taken
        assert "address already in use" in str(refused.value)
