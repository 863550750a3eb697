import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.models import Session

from interviews.models import Interview
from interviews.services.lifecycle import interview_interrupt, interview_start
from interviews.services.room_events import room_event_process
from tests.dashboard.conftest import ALLOWED_ORIGIN, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


def dashboard_socket(*, cookie: str | None = None, origin: str | None = ALLOWED_ORIGIN):
    from hiring.asgi import application  # the real stack: origin check, auth, routing

    headers = []
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, "/ws/dashboard/", headers=headers)


def connects(**kwargs) -> bool:
    async def attempt() -> bool:
        socket = dashboard_socket(**kwargs)
        connected, _ = await socket.connect(timeout=3)
        await socket.disconnect()
        return connected

    return asyncio.run(attempt())


def test_an_anonymous_visitor_is_refused():
    assert connects() is False


def test_a_user_who_is_not_staff_is_refused(outsider):
    assert connects(cookie=session_cookie(outsider)) is False


def test_staff_without_the_view_permission_are_refused(staff_without_view):
    assert connects(cookie=session_cookie(staff_without_view)) is False


def test_a_foreign_origin_is_refused_even_for_a_recruiter(recruiter):
    cookie = session_cookie(recruiter)
    assert connects(cookie=cookie, origin="https://evil.example") is False
    assert connects(cookie=cookie, origin=None) is False
    assert connects(cookie=cookie) is True


def test_a_recruiter_hears_a_status_change_made_by_a_service(recruiter, invited):
    cookie = session_cookie(recruiter)

    async def flow():
        socket = dashboard_socket(cookie=cookie)
        connected, _ = await socket.connect(timeout=3)
        assert connected
        assert await socket.receive_nothing(timeout=0.1)
        await sync_to_async(interview_start)(interview=invited, ai_mode="structured")
        started = await socket.receive_json_from(timeout=2)
        await sync_to_async(interview_interrupt)(interview=invited)
        interrupted = await socket.receive_json_from(timeout=2)
        await socket.disconnect()
        return started, interrupted

    started, interrupted = asyncio.run(flow())
    assert started["type"] == "interview.changed"
    assert started["interview"]["id"] == str(invited.public_id)
    assert started["interview"]["status"] == "in_progress"
    assert started["interview"]["position"] == "Backend engineer"
    assert interrupted["interview"]["status"] == "interrupted"
    # Candidate data never crosses the channel layer.
    assert "Ada" not in str(started) and "ada@example.com" not in str(started)
    assert Interview.objects.get(pk=invited.pk).status == Interview.Status.INTERRUPTED


def test_a_change_that_is_rolled_back_is_never_announced(recruiter, invited):
    cookie = session_cookie(recruiter)

    def start_then_fail():
        from django.db import transaction

        with pytest.raises(RuntimeError), transaction.atomic():
            interview_start(interview=invited, ai_mode="structured")
            raise RuntimeError("later step failed")

    async def flow():
        socket = dashboard_socket(cookie=cookie)
        assert (await socket.connect(timeout=3))[0]
        await sync_to_async(start_then_fail)()
        silent = await socket.receive_nothing(timeout=0.5)
        await socket.disconnect()
        return silent

    assert asyncio.run(flow()) is True
    assert Interview.objects.get(pk=invited.pk).status == Interview.Status.INVITED


def test_a_webhook_re_announces_a_state_the_agent_process_wrote(recruiter, invited):
    """With the in-memory layer the agent's own broadcast stays in its process; the web
    process's webhook handling announces the state the database holds."""
    Interview.objects.filter(pk=invited.pk).update(status=Interview.Status.COMPLETED)
    cookie = session_cookie(recruiter)

    async def flow():
        socket = dashboard_socket(cookie=cookie)
        assert (await socket.connect(timeout=3))[0]
        await sync_to_async(room_event_process)(
            event_id="EV_left_1",
            event="participant_left",
            room_name=invited.room_name,
            participant_identity=invited.participant_identity,
            occurred_at=invited.created_at,
        )
        message = await socket.receive_json_from(timeout=2)
        await socket.disconnect()
        return message

    message = asyncio.run(flow())
    assert message["interview"]["id"] == str(invited.public_id)
    assert message["interview"]["status"] == "completed"


def test_messages_from_the_browser_are_ignored(recruiter):
    cookie = session_cookie(recruiter)

    async def flow():
        socket = dashboard_socket(cookie=cookie)
        assert (await socket.connect(timeout=3))[0]
        await socket.send_json_to({"type": "interview.changed", "interview": {"id": "x"}})
        silent = await socket.receive_nothing(timeout=0.3)
        await socket.disconnect()
        return silent

    assert asyncio.run(flow()) is True


def test_a_recruiter_whose_permission_is_revoked_stops_hearing_changes(recruiter, invited):
    cookie = session_cookie(recruiter)

    async def flow():
        socket = dashboard_socket(cookie=cookie)
        connected, _ = await socket.connect(timeout=3)
        assert connected
        await sync_to_async(interview_start)(interview=invited, ai_mode="structured")
        heard = await socket.receive_json_from(timeout=2)
        await sync_to_async(recruiter.user_permissions.clear)()
        await sync_to_async(interview_interrupt)(interview=invited)
        closed = await socket.receive_output(timeout=2)
        return heard, closed

    heard, closed = asyncio.run(flow())
    assert heard["interview"]["status"] == "in_progress"
    assert closed == {"type": "websocket.close", "code": 1008}
    assert Interview.objects.get(pk=invited.pk).status == Interview.Status.INTERRUPTED


def test_a_recruiter_who_logged_out_stops_hearing_changes(recruiter, invited):
    cookie = session_cookie(recruiter)

    async def flow():
        socket = dashboard_socket(cookie=cookie)
        connected, _ = await socket.connect(timeout=3)
        assert connected
        await sync_to_async(Session.objects.all().delete)()
        await sync_to_async(interview_start)(interview=invited, ai_mode="structured")
        return await socket.receive_output(timeout=2)

    assert asyncio.run(flow()) == {"type": "websocket.close", "code": 1008}
