"""The back office in Chromium against a Django server thread of the test's own."""

from collections.abc import Iterator

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test.testcases import LiveServerThread


@pytest.fixture
def backoffice_server(transactional_db) -> Iterator[str]:
    """A server thread on a free loopback port. It depends on the test database, so it is
    stopped, with its connections closed, before the database is flushed: a request
    thread still holding a connection would make PostgreSQL's flush wait forever."""
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.terminate()
        connections.close_all()
