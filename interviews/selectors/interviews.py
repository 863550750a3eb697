from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from interviews.models import Interview, hash_invite


def interview_by_public_id(*, public_id: str) -> Interview | None:
    return (
        Interview.objects.select_related("position", "candidate")
        .filter(public_id=public_id)
        .first()
    )


def interview_by_invite(*, secret: str) -> Interview | None:
    return (
        Interview.objects.select_related("position", "candidate")
        .filter(invite_hash=hash_invite(secret))
        .first()
    )


def interview_by_room_name(*, room_name: str) -> Interview | None:
    return (
        Interview.objects.select_related("position", "candidate")
        .filter(room_name=room_name)
        .first()
    )


def live_open_interviews(
    *, now: datetime, network: str | None = None, other_than: Interview | None = None
) -> int:
    """Open-link interviews that are live: in progress, or holding a LiveKit token that has
    not expired (a room may be joined with it at any moment). From one client network, or
    all of them."""
    token_lifetime = timedelta(seconds=settings.LIVEKIT_TOKEN_TTL_SECONDS)
    live = Interview.objects.filter(kind=Interview.Kind.OPEN).filter(
        Q(status=Interview.Status.IN_PROGRESS)
        | (Q(token_issued_at__gt=now - token_lifetime) & ~Q(status__in=Interview.FINISHED_STATUSES))
    )
    if network is not None:
        live = live.filter(client_network=network)
    if other_than is not None:
        live = live.exclude(pk=other_than.pk)
    return live.count()
