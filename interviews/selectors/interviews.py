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
