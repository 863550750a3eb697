"""Websocket consumers. The dashboard's: staff who may view interviews hear every change
that interviews.live broadcasts, for as long as they still may (each change re-checks the
user, their permission and their session). The origin is checked before this, in
hiring.asgi."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model

from interviews import live

VIEW_PERMISSION = "interviews.view_interview"
# The websocket close code for "no longer allowed".
POLICY_VIOLATION = 1008


def may_watch_interviews(user) -> bool:
    """Staff with the view permission on interviews (the same rule as the dashboard page)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(VIEW_PERMISSION)
    )


class DashboardConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        if not await database_sync_to_async(may_watch_interviews)(user):
            await self.close()  # before accept: the handshake is refused (HTTP 403)
            return
        await self.channel_layer.group_add(live.DASHBOARD_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(live.DASHBOARD_GROUP, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        """The dashboard only listens; anything it sends is ignored."""

    async def interview_changed(self, event: dict) -> None:
        if not await database_sync_to_async(self._still_allowed)():
            await self.close(code=POLICY_VIOLATION)
            return
        await self.send_json({"type": "interview.changed", "interview": event["interview"]})

    def _still_allowed(self) -> bool:
        """The user as the database has them now (a revoked permission, a deactivated
        account), and their session still there (not logged out)."""
        user, session = self.scope.get("user"), self.scope.get("session")
        if user is None or not user.is_authenticated:
            return False
        if session is None or not session.session_key or not session.exists(session.session_key):
            return False
        fresh = get_user_model().objects.filter(pk=user.pk).first()
        return may_watch_interviews(fresh)
