"""Invites: creating an interview with its personal link, reissuing and revoking that
link, and the interview an open position link leads to."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from interviews import live
from interviews.models import Candidate, Interview, Position, hash_invite
from interviews.services.common import locked_interview, refuse_if_finished


@dataclass(frozen=True)
class NewInterview:
    interview: Interview
    # The raw invite secret, shown once: only its hash is stored. None for an open link.
    invite_secret: str | None

    @property
    def personal_secret(self) -> str:
        """The invite secret of a personal interview, which always has one."""
        if self.invite_secret is None:
            raise ValueError("An open-link interview has no invite secret.")
        return self.invite_secret


def interview_create(
    *,
    position: Position,
    candidate: Candidate | None = None,
    invite_ttl: timedelta | None = None,
    now: datetime | None = None,
    client_network: str = "",
) -> NewInterview:
    """A personal invite (with a candidate) or an open-link interview (without one, started
    from `client_network`)."""
    if not position.is_active:
        raise ValidationError(
            f"The {position.title} position is not open.", code="position_inactive"
        )
    now = now or timezone.now()
    with transaction.atomic():
        if candidate is None:
            interview = Interview.objects.create(
                position=position, kind=Interview.Kind.OPEN, client_network=client_network
            )
            live.broadcast_interview_change(interview)
            return NewInterview(interview=interview, invite_secret=None)
        secret, expires_at = _new_invite(invite_ttl=invite_ttl, now=now)
        interview = Interview.objects.create(
            position=position,
            candidate=candidate,
            kind=Interview.Kind.PERSONAL,
            invite_hash=hash_invite(secret),
            invite_expires_at=expires_at,
        )
        live.broadcast_interview_change(interview)
        return NewInterview(interview=interview, invite_secret=secret)


def _new_invite(*, invite_ttl: timedelta | None, now: datetime) -> tuple[str, datetime]:
    ttl = invite_ttl if invite_ttl is not None else timedelta(days=settings.INVITE_TTL_DAYS)
    if ttl <= timedelta(0):
        raise ValidationError("An invite must be valid for some time.", code="ttl_invalid")
    return secrets.token_urlsafe(24), now + ttl  # 192 random bits


def interview_reissue_invite(
    *, interview: Interview, invite_ttl: timedelta | None = None, now: datetime | None = None
) -> NewInterview:
    """A fresh link for a personal interview (the old one stops working)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = locked_interview(interview)
        refuse_if_finished(locked)
        if locked.kind != Interview.Kind.PERSONAL:
            raise ValidationError(
                "Only personal interviews have invite links.", code="not_personal"
            )
        secret, expires_at = _new_invite(invite_ttl=invite_ttl, now=now)
        locked.invite_hash = hash_invite(secret)
        locked.invite_expires_at = expires_at
        locked.invite_revoked_at = None
        locked.save(
            update_fields=["invite_hash", "invite_expires_at", "invite_revoked_at", "updated_at"]
        )
        return NewInterview(interview=locked, invite_secret=secret)


def interview_revoke_invite(*, interview: Interview, now: datetime | None = None) -> Interview:
    with transaction.atomic():
        locked = locked_interview(interview)
        if locked.invite_revoked_at is None:
            locked.invite_revoked_at = now or timezone.now()
            locked.save(update_fields=["invite_revoked_at", "updated_at"])
        return locked


def interview_open_for_position(
    *, position: Position, current: Interview | None = None, client_network: str = ""
) -> NewInterview:
    """The interview an open position link leads to: the browser's unfinished one for this
    position when there is one (a reload must not start a new interview), else a new one."""
    with transaction.atomic():
        if current is not None:
            current = Interview.objects.filter(pk=current.pk).first()
        if current is not None and current.continues_open_link(position):
            return NewInterview(interview=current, invite_secret=None)
        return interview_create(position=position, client_network=client_network)
