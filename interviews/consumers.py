"""Websocket consumers. The dashboard's: staff who may view interviews hear every change
that interviews.live broadcasts. The origin is checked before this, in hiring.asgi."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from interviews import live

VIEW_PERMISSION = "interviews.view_interview"


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
        await self.send_json({"type": "interview.changed", "interview": event["interview"]})
