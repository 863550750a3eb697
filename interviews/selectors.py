"""Reads that need care. Writes live in services.py."""

import re

from django.db.models import Q

from interviews.models import Candidate, Interview, Position, hash_invite


def normalise_email(email: str) -> str:
    return email.strip().lower()


def candidate_by_email(*, email: str) -> Candidate | None:
    return Candidate.objects.select_related("position").filter(email=normalise_email(email)).first()


def position_by_name(*, name: str) -> Position | None:
    """Find an active position from what a person said: its slug or its title, any case."""
    words = re.sub(r"[^a-z0-9]+", " ", name.lower()).split()
    if not words:
        return None
    slug = "-".join(words)
    return (
        Position.objects.filter(is_active=True)
        .filter(Q(slug=slug) | Q(title__iexact=" ".join(words)))
        .first()
    )


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
