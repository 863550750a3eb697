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


def live_open_rooms(*, network: str, other_than: Interview | None = None) -> int:
    """Open-link interviews in progress from this client network."""
    live = Interview.objects.filter(
        kind=Interview.Kind.OPEN, status=Interview.Status.IN_PROGRESS, client_network=network
    )
    if other_than is not None:
        live = live.exclude(pk=other_than.pk)
    return live.count()
